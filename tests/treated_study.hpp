// Small treated studies built in code, for the microchannel tests: a three-layer skin with an
// in vitro sink and a channel lattice whose every field the test sets explicitly.
#pragma once

#include <cmath>
#include <limits>
#include <string>

#include "analysis/scenario_recorder.hpp"
#include "backend_fixture.hpp"
#include "poreflux/config.hpp"
#include "poreflux/results.hpp"
#include "poreflux/study.hpp"

namespace poreflux::testing {

inline Study small_skin_study(double duration_h = 2.0) {
  const std::string toml = R"(
title = "treated test"
[vehicle]
concentration = "100 mg/mL"
volume_per_area = "10 uL/cm2"
[[layer]]
name = "stratum_corneum"
thickness = "15 um"
diffusivity = "3e-10 cm2/s"
partition = 1.0
max_cell = "1.5 um"
[[layer]]
name = "viable_epidermis"
thickness = "60 um"
diffusivity = "3e-6 cm2/s"
partition = 0.7
max_cell = "5 um"
[[layer]]
name = "dermis"
thickness = "300 um"
diffusivity = "3e-6 cm2/s"
partition = 0.7
max_cell = "30 um"
[boundary]
bottom = "in_vitro"
[protocol]
duration = ")" + std::to_string(duration_h) +
                           R"( h"
output_interval = ")" + std::to_string(duration_h / 8.0) +
                           R"( h"
[numerics]
rtol = 1e-6
)";
  Study s = parse_study(toml, "treated_test.toml");
  TreatmentSpec t;
  t.device = "channels";
  t.channel_depth_cm = {100e-4, "test"};
  t.channel_diameter_cm = {50e-4, "test"};
  t.density_per_cm2 = {100.0, "test"};
  t.closure_tau_s = {std::numeric_limits<double>::infinity(), "test"};
  t.channel_diffusivity_cm2_s = {9e-6, "test"};
  t.wall_cell_cm = 5e-4;
  t.lateral_max_cell_cm = 40e-4;
  s.treatment = t;
  return s;
}

// Runs one problem and returns its analysed result.
inline ScenarioResult run_problem(Backend& backend, const DiscreteProblem& p, const std::string& name = "treated") {
  analysis::ScenarioRecorder recorder(name, p);
  const SolverStats stats = backend.solve(p, recorder, RunControl{});
  return recorder.finish(stats);
}

inline double relative_difference(double a, double b) {
  return std::fabs(a - b) / std::max(std::fabs(a), std::fabs(b));
}

}  // namespace poreflux::testing
