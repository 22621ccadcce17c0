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

// A rough wall time of one scenario on the CPU backend (2 threads), from fitted costs per cell
// and step (bench/calibrate_estimate.py, docs/BENCHMARKS.md): not a promise. Events
// (applications, washes) restart the transients and add steps. A whole `run` takes
// run_start_seconds() more (process start, resolve, output files), once.
double estimated_run_seconds(const DiscreteProblem& problem);
double estimated_run_seconds(double cells, bool flat, std::size_t applications, std::size_t washes);
double run_start_seconds();

// Throws ConfigError, naming the keys that set the grid, when a problem with these axes (its
// material map may still be empty: call it before allocating) would need more than 80 % of the
// available memory, or (not on a GPU) run longer than kMaxRunSeconds; does nothing with
// study.numerics.allow_large.
void check_grid_budget(const DiscreteProblem& axes, const Study& study, const std::string& scenario);

}  // namespace poreflux
