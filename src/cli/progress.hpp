// Progress on stderr while a scenario runs: simulated time, percentage and an ETA, redrawn in
// place at most a few times a second, and only when stderr is a terminal.
#pragma once

#include <chrono>
#include <string>

namespace poreflux::cli {

class ProgressLine {
 public:
  explicit ProgressLine(bool enabled);
  void update(const std::string& scenario, double t_s, double duration_s);
  void finish();  // ends the line, if one was drawn

 private:
  bool enabled_;
  bool drawn_ = false;
  std::string scenario_;
  std::chrono::steady_clock::time_point scenario_start_, last_draw_;
};

}  // namespace poreflux::cli
