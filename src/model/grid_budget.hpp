// What a discretised problem will cost, known from its axes before its 3D arrays exist, and the
// limits a run must stay within unless --allow-large lifts them (issue 8; docs/CONFIG.md,
// "Size and run-time limits"): memory below 80 % of what the machine has available, and an
// estimated run time below kMaxRunSeconds. A problem beyond them is refused before anything is
// allocated or integrated, with the keys that drive its size.
#pragma once

#include <string>

#include "poreflux/problem.hpp"
#include "poreflux/study.hpp"

namespace poreflux {

// Peak resident bytes of a process that runs this problem: a fitted base (the executable, its
// libraries, HDF5) plus the bytes the solver allocates per cell, counted from the code, times a
// fitted factor per geometry (bench/calibrate_estimate.py; the constants are in grid_budget.cpp).
double memory_estimate_bytes(const DiscreteProblem& problem);
// "3.4 GiB", "2.6 MiB", "6.7 KiB".
std::string format_bytes(double bytes);

// "0.3 s", "4.2 min", "2.5 h".
std::string format_seconds(double seconds);

// Memory the machine can give (MemAvailable), or 0 when it cannot tell.
double available_memory_bytes();

constexpr double kMemoryFraction = 0.8;
constexpr double kMaxRunSeconds = 4.0 * 3600.0;

// A rough wall time of one scenario on the CPU backend (2 threads), from fitted costs
// (bench/calibrate_estimate.py, docs/BENCHMARKS.md): not a promise. A whole `run` takes
// run_start_seconds() more (process start, resolve, output files), once.
//
// Flat grids (1D, axisymmetric) cost per cell and linear solve. A 3D grid costs per cell and
// conjugate-gradient iteration, counted where they can be: a 3D lattice scenario takes the steps
// of its axisymmetric twin (the same film, events and closure), and its iterations per solve
// follow the twin's (1.2-1.6x them on four configs), so the twin is run with conjugate gradients
// and its iterations given (src/study/scenario_estimate.hpp, ~0.1 s). Without them,
// typical_linear_solves guesses the solves from the events (applications and washes restart the
// transients) and the time method, and a 3D grid's iterations from a typical count per solve.
double estimated_run_seconds(const DiscreteProblem& problem);
double estimated_run_seconds_from_twin(const DiscreteProblem& problem, double twin_krylov_iterations);
double typical_linear_solves(const DiscreteProblem& problem);
double run_start_seconds();

// Throws ConfigError, naming the keys that set the grid, when a problem with these axes (its
// material map may still be empty: call it before allocating) would need more than 80 % of the
// available memory, or (not on a GPU) run longer than kMaxRunSeconds; does nothing with
// study.numerics.allow_large.
void check_grid_budget(const DiscreteProblem& axes, const Study& study, const std::string& scenario);

}  // namespace poreflux
