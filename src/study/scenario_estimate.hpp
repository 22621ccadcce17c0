// The run-time estimate of one scenario as validate and run's log print it (grid_budget.hpp).
// A 3D treated scenario of a lattice takes the steps its axisymmetric twin takes (the same film,
// events, channel closure and tolerances: the pen example's 3D unit cell and its twin take 129
// and 130 steps), and its conjugate-gradient iterations per solve follow the twin's (1.2-1.6x
// them, where the 3D cells' own range over 10-19 per solve), so the twin is run with conjugate
// gradients (~0.1 s) and its iterations set the 3D cell's cost. The guess from the events alone
// (typical_linear_solves) was off by 2x on closing channels and drying films
// (docs/BENCHMARKS.md, "validate's estimates against measured runs").
#pragma once

#include <optional>
#include <vector>

#include "poreflux/backend.hpp"
#include "poreflux/study.hpp"
#include "study/run_study.hpp"

namespace poreflux {

// The conjugate-gradient iterations of the study's axisymmetric twin, run on `backend` with that
// solver and without output; none
// when the study has no treatment, its treated domain is already axisymmetric, the twin cannot
// be built, or it integrates explicitly (RKC: no solves to count; then so does the 3D cell, as
// far as the two stiffness estimates agree). The twin runs with the 3D cell's linear solver
// (conjugate gradients), so `auto` picks its time method by the same rule.
std::optional<double> twin_krylov_iterations(const Study& study, Backend& backend);

// Whether the scenarios include a 3D treated grid (whose estimate wants the twin's count).
bool has_3d_treated(const std::vector<Scenario>& scenarios);

// Seconds on the CPU (2 threads) for `scenario`; `twin_iterations` from twin_krylov_iterations
// (used for a 3D treated scenario only; without it, the events' guess).
double estimated_scenario_seconds(const Scenario& scenario, std::optional<double> twin_iterations);

}  // namespace poreflux
