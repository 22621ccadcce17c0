// Runs every scenario of a study on one backend: builds each discretised problem, reports its
// size, integrates it, and gathers the results. Shared by the CLI and the tests.
#pragma once

#include <csignal>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "poreflux/backend.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/results.hpp"
#include "poreflux/study.hpp"

namespace poreflux {

struct Scenario {
  std::string name;            // "intact", "treated"
  DiscreteProblem problem;
};

// The scenarios a study asks for, in report order (intact first).
std::vector<Scenario> build_scenarios(const Study& study);

struct StudyProgress {
  // Called with the scenario name, simulated time and the duration (seconds).
  std::function<void(const std::string&, double, double)> on_time;
};

struct StudyRun {
  RunResult result;
  std::vector<Scenario> scenarios;
};

// `log` receives one line per scenario before it runs (cells, memory estimate).
StudyRun run_study(const Study& study, Backend& backend, const StudyProgress& progress,
                   const volatile std::sig_atomic_t* interrupt, std::ostream* log);

// Depths [cm] of the top views kept for a treated scenario.
std::vector<double> top_view_depths_cm(const Study& study);

// Bytes the solver holds for a problem: state and six RKC work vectors, grid and material map.
double memory_estimate_bytes(const DiscreteProblem& problem);
// "3.4 GiB", "2.6 MiB", "6.7 KiB".
std::string format_bytes(double bytes);

}  // namespace poreflux
