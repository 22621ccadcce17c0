// Turns the states a backend hands back into the reported quantities (MODEL.md §6): amounts
// per compartment and area, permeation and its flux, mass balance and depth profiles.
#pragma once

#include <memory>
#include <vector>

#include "poreflux/backend.hpp"
#include "poreflux/film.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/results.hpp"

namespace poreflux::analysis {

// The permeated amount Q [ug] and its rate [ug/s] at t = 0 and every step end: with the cubic
// Hermite through neighbouring ends, the continuous permeation curve of the run.
struct PermeationTrace {
  std::vector<double> t_s, q, rate;
  double rate_at(double t) const;  // interpolated flux [ug/s]
  struct Peak {
    double t_s = 0.0, q = 0.0, rate = 0.0;
  };
  Peak peak() const;  // largest rate of the continuous curve
  // The longest interval around the peak over which rate >= fraction * peak [s].
  double plateau_s(const Peak& peak, double fraction) const;
};

// Lag time from the tangent at the peak, when the criterion of results.hpp holds; otherwise
// none, with the reason in *note.
std::optional<double> lag_time_s(const PermeationTrace& trace, std::string* note);

class ScenarioRecorder : public SnapshotSink {
 public:
  ScenarioRecorder(std::string name, const DiscreteProblem& problem);
  ~ScenarioRecorder() override;
  void record(double t_s, const std::vector<double>& state) override;
  void record_step(double t_s, double permeated_ug, double rate_ug_per_s) override;
  void record_film(double t_s, std::size_t segment, double film_slot_ug_per_cm3) override;

  // Also keep an x-z slice through the channel row and top views at the given depths [cm]
  // (call before the solve). The row is the one with the most open surface cells.
  void keep_channel_slices(const std::vector<double>& top_view_depths_cm);

  // End-of-run figures; call once after the solve.
  ScenarioResult finish(const SolverStats& stats);

 private:
  // Below zero by less than this share of the dose: round-off, reported as zero.
  static constexpr double kRoundOffOfDose = 1e-12;
  double not_below_round_off(double value) const;
  const DiscreteProblem& problem_;
  ScenarioResult result_;
  std::vector<int> compartment_of_z_;  // index into compartment_names()
  std::vector<double> x_measure_;
  double area_cm2_;
  PermeationTrace trace_;
  FilmHistory film_;         // the problem's, or a constant film when it has none
  std::size_t segment_ = 0;  // of the film's history, as of the last step
  struct LastFilmStep {
    double t_s = 0.0, excess = 0.0;  // s - K_f a_sat: > 0 when a deposit is there
    std::size_t application = 0;
    double s = 0.0;  // the film slot
    std::size_t segment = 0;
  } last_film_;
  // The film's active split at state slot s: dissolved and deposited [ug].
  struct FilmSplit {
    double dissolved = 0.0, deposit = 0.0, degree_of_saturation = 0.0;
  };
  FilmSplit split_film(double s, std::size_t segment, double t_s) const;
  std::size_t application_of(std::size_t segment) const;
};

}  // namespace poreflux::analysis
