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

// Bytes the solver holds for a problem (every vector per cell, counted from the code).
double memory_estimate_bytes(const DiscreteProblem& problem);
// "3.4 GiB", "2.6 MiB", "6.7 KiB".
std::string format_bytes(double bytes);

// "0.3 s", "4.2 min", "2.5 h".
std::string format_seconds(double seconds);

// Memory the machine can give (MemAvailable), or 0 when it cannot tell.
double available_memory_bytes();

constexpr double kMemoryFraction = 0.8;
constexpr double kMaxRunSeconds = 4.0 * 3600.0;

// A rough wall time on the CPU backend (2 threads), from measured costs per cell and step
// (docs/BENCHMARKS.md): the order of magnitude, not a promise. Events (applications, washes)
// restart the transients and add steps.
double estimated_run_seconds(const DiscreteProblem& problem);
double estimated_run_seconds(double cells, bool flat, std::size_t applications, std::size_t washes);

// Throws ConfigError, naming the keys that set the grid, when a problem with these axes (its
// material map may still be empty: call it before allocating) would need more than 80 % of the
// available memory, or (not on a GPU) run longer than kMaxRunSeconds; does nothing with
// study.numerics.allow_large.
void check_grid_budget(const DiscreteProblem& axes, const Study& study, const std::string& scenario);

}  // namespace poreflux
