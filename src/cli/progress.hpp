// Progress on stderr while a scenario runs: simulated time, percentage and an ETA. On a
// terminal one line is redrawn in place a few times a second; otherwise (a log file, a batch
// job) a line is written every 10 % of the simulated time or every minute, whichever comes
// first, so that a long run is never silent. --quiet turns both off.
#pragma once

#include <chrono>
#include <deque>
#include <string>

namespace poreflux::cli {

class ProgressLine {
 public:
  enum class Mode { off, terminal, log };
  explicit ProgressLine(Mode mode);
  void update(const std::string& scenario, double t_s, double duration_s);
  void finish();  // ends the line, if one was drawn

  // Seconds left, from the recent wall time per e-fold of simulated time (step sizes grow
  // with the time reached; the last fifth of the elapsed wall time tells best).
  double eta_s(double t_s, double duration_s) const;

 private:
  using Clock = std::chrono::steady_clock;
  Mode mode_;
  bool drawn_ = false;
  std::string scenario_;
  Clock::time_point scenario_start_, last_draw_;
  double last_logged_fraction_ = 0.0;
  struct Sample {
    double wall_s, t_s;
  };
  std::deque<Sample> samples_;
};

}  // namespace poreflux::cli
