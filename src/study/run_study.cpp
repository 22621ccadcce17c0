#include "run_study.hpp"

#include <iomanip>

#include "../analysis/scenario_recorder.hpp"
#include "../model/build_problem.hpp"
#include "poreflux/kernels/state_layout.hpp"

namespace poreflux {

std::vector<Scenario> build_scenarios(const Study& study) {
  std::vector<Scenario> scenarios;
  scenarios.push_back({"intact", model::build_intact_problem(study)});
  return scenarios;
}

double memory_estimate_bytes(const DiscreteProblem& p) {
  const double n = static_cast<double>(p.cell_count() + kScalarSlots);
  // state + 6 RKC vectors (+1 recorder copy on the host) in double, and the material byte.
  return 8.0 * 8.0 * n + static_cast<double>(p.cell_count());
}

StudyRun run_study(const Study& study, Backend& backend, const StudyProgress& progress,
                   const volatile std::sig_atomic_t* interrupt, std::ostream* log) {
  StudyRun run;
  run.scenarios = build_scenarios(study);
  run.result.backend = backend.name();
  run.result.backend_description = backend.description();
  run.result.duration_h = study.protocol.duration_s / 3600.0;
  run.result.applied_ug_per_cm2 = run.scenarios.front().problem.applied_ug / run.scenarios.front().problem.top_area_cm2();
  for (const Scenario& scenario : run.scenarios) {
    const DiscreteProblem& p = scenario.problem;
    if (log)
      *log << "scenario " << scenario.name << ": " << p.nx() << " x " << p.ny() << " x " << p.nz() << " = "
           << p.cell_count() << " cells, about " << std::fixed << std::setprecision(1)
           << memory_estimate_bytes(p) / (1024.0 * 1024.0) << " MiB" << std::defaultfloat << '\n';
    analysis::ScenarioRecorder recorder(scenario.name, p);
    RunControl control;
    control.interrupt = interrupt;
    if (progress.on_time) {
      const std::string name = scenario.name;
      const double duration = p.duration_s;
      control.progress = [&progress, name, duration](double t) { progress.on_time(name, t, duration); };
    }
    const SolverStats stats = backend.solve(p, recorder, control);
    run.result.scenarios.push_back(recorder.finish(stats));
  }
  return run;
}

}  // namespace poreflux
