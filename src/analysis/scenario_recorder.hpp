// Turns the states a backend hands back into the reported quantities (MODEL.md §6): amounts
// per compartment and area, permeation and its flux, mass balance and depth profiles.
#pragma once

#include <memory>
#include <vector>

#include "poreflux/backend.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/results.hpp"

namespace poreflux::analysis {

class ScenarioRecorder : public SnapshotSink {
 public:
  ScenarioRecorder(std::string name, const DiscreteProblem& problem);
  ~ScenarioRecorder() override;
  void record(double t_s, const std::vector<double>& state) override;

  // Also keep an x-z slice through the channel row and top views at the given depths [cm]
  // (call before the solve). The row is the one with the most open surface cells.
  void keep_channel_slices(const std::vector<double>& top_view_depths_cm);

  // End-of-run figures; call once after the solve.
  ScenarioResult finish(const SolverStats& stats);

 private:
  struct Rates;  // host evaluation of instantaneous rates (the reference operator)
  const DiscreteProblem& problem_;
  ScenarioResult result_;
  std::vector<int> compartment_of_z_;  // index into compartment_names()
  std::vector<double> x_measure_;
  double area_cm2_;
  std::unique_ptr<Rates> rates_;
};

// Lag time from a cumulative curve: the tangent at the peak flux meets Q = 0.
std::optional<double> lag_time_s(const std::vector<double>& t_s, const std::vector<double>& q,
                                 const std::vector<double>& flux_per_s);

}  // namespace poreflux::analysis
