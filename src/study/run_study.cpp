#include "run_study.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "analysis/scenario_recorder.hpp"
#include "io/write_run_h5.hpp"
#include "io/write_xdmf.hpp"
#include "model/build_problem.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "scenario_estimate.hpp"

namespace poreflux {

std::vector<Scenario> build_scenarios(const Study& study, ScenarioSet which) {
  std::vector<Scenario> scenarios;
  if (which != ScenarioSet::treated) scenarios.push_back({"intact", model::build_intact_problem(study)});
  if (study.treatment && which != ScenarioSet::intact)
    scenarios.push_back({"treated", model::build_treated_problem(study)});
  return scenarios;
}

void apply_numerics_choice(Study& study, const NumericsChoice& choice) {
  study.numerics.allow_large = choice.allow_large;
  if (!choice.backend.empty()) study.numerics.backend = choice.backend;
  if (!choice.method.empty()) study.numerics.method = choice.method;
  if (!choice.linear_solver.empty()) study.numerics.linear_solver = choice.linear_solver;
}

bool write_run_files(const std::string& out_h5, const Study& study, const StudyRun& run, const std::string& version) {
  std::vector<const DiscreteProblem*> problems;
  for (const Scenario& s : run.scenarios) problems.push_back(&s.problem);
  write_run_h5(out_h5, study, run.result, problems, version);
  // Read back from the finished file, so the sidecar describes exactly what was written.
  return write_xdmf(out_h5, xdmf_path_for(out_h5));
}

std::vector<double> top_view_depths_cm(const Study& study) {
  // Mid stratum corneum, half-way down the channel, just above its bottom, and below it.
  const double sc = study.layers.front().thickness_cm;
  const double depth = study.treatment->channel_depth_cm.value;
  double skin = 0.0;
  for (const LayerSpec& l : study.layers) skin += l.thickness_cm;
  return {0.5 * sc, 0.5 * depth, 0.95 * depth, std::min(1.5 * depth, 0.5 * (depth + skin))};
}

StudyRun run_study(const Study& study, Backend& backend, const StudyProgress& progress,
                   const volatile std::sig_atomic_t* interrupt, std::ostream* log, ScenarioSet which) {
  StudyRun run;
  run.scenarios = build_scenarios(study, which);
  run.result.backend = backend.name();
  run.result.backend_description = backend.description();
  run.result.duration_h = study.protocol.duration_s / 3600.0;
  run.result.applied_ug_per_cm2 = study.applied_ug_per_cm2();
  if (!run.scenarios.empty())
    run.result.applied_ug_per_cm2 =
        run.scenarios.front().problem.total_dose_ug() / run.scenarios.front().problem.top_area_cm2();
  if (study.treatment && !run.scenarios.empty() && run.scenarios.back().name == "treated") {
    static const char* kDomain[] = {"unit_cell", "axisymmetric", "patch"};
    const TreatmentSpec& t = *study.treatment;
    run.result.geometry =
        GeometrySummary{kDomain[static_cast<int>(t.domain)], t.density_per_cm2.value, t.channel_depth_cm.value * 1e4,
                        t.channel_diameter_cm.value * 1e4, run.scenarios.back().problem.cell_count()};
  }
  // The estimate of a 3D treated scenario counts its work on the axisymmetric twin (~0.1 s): only
  // for the log a person reads.
  std::optional<double> twin_work;
  if (log && has_3d_treated(run.scenarios)) twin_work = twin_krylov_iterations(study, backend);
  for (const Scenario& scenario : run.scenarios) {
    if (interrupt && *interrupt) throw Interrupted();
    const DiscreteProblem& p = scenario.problem;
    if (log)
      *log << "scenario " << scenario.name << ": " << p.nx() << " x " << p.ny() << " x " << p.nz() << " = "
           << p.cell_count() << " cells, about " << format_bytes(memory_estimate_bytes(p)) << ", roughly "
           << format_seconds(estimated_scenario_seconds(scenario, twin_work)) << " on the CPU\n";
    analysis::ScenarioRecorder recorder(scenario.name, p);
    if (scenario.name == "treated") recorder.keep_channel_slices(top_view_depths_cm(study));
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
