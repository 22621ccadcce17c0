// Runs every scenario of a study on one backend: builds each discretised problem, reports its
// size, integrates it, and gathers the results. Shared by the CLI and the tests.
#pragma once

#include <csignal>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "model/grid_budget.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/results.hpp"
#include "poreflux/study.hpp"

namespace poreflux {

struct Scenario {
  std::string name;  // "intact", "treated"
  DiscreteProblem problem;
};

// Which of a study's scenarios to build and run: a sweep runs each distinct intact baseline
// once and the treated scenario of every case.
enum class ScenarioSet { all, intact, treated };

// The scenarios a study asks for, in report order (intact first).
std::vector<Scenario> build_scenarios(const Study& study, ScenarioSet which = ScenarioSet::all);

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
                   const volatile std::sig_atomic_t* interrupt, std::ostream* log,
                   ScenarioSet which = ScenarioSet::all);

// What a caller may change of a study's numerics before it runs (the command line's options,
// the Python module's keywords); an empty string keeps the config's choice.
struct NumericsChoice {
  std::string backend, method, linear_solver;
  bool allow_large = false;  // lift the size and run-time limits
};
void apply_numerics_choice(Study& study, const NumericsChoice& choice);

// Writes a finished run: OUT.h5 (io/write_run_h5.hpp) and its ParaView sidecar next to it
// (io/write_xdmf.hpp). Returns whether the sidecar was written. The caller checks the outputs
// (io/output_paths.hpp) first.
bool write_run_files(const std::string& out_h5, const Study& study, const StudyRun& run, const std::string& version);

// Depths [cm] of the top views kept for a treated scenario.
std::vector<double> top_view_depths_cm(const Study& study);

// memory_estimate_bytes, format_bytes: model/grid_budget.hpp.

}  // namespace poreflux
