#include "run_study.hpp"

#include <algorithm>
#include <cstdio>

#include "../analysis/scenario_recorder.hpp"
#include "../model/build_problem.hpp"
#include "poreflux/kernels/state_layout.hpp"

namespace poreflux {

std::vector<Scenario> build_scenarios(const Study& study) {
  std::vector<Scenario> scenarios;
  scenarios.push_back({"intact", model::build_intact_problem(study)});
  if (study.treatment) scenarios.push_back({"treated", model::build_treated_problem(study)});
  return scenarios;
}

std::vector<double> top_view_depths_cm(const Study& study) {
  // Mid stratum corneum, half-way down the channel, just above its bottom, and below it.
  const double sc = study.layers.front().thickness_cm;
  const double depth = study.treatment->channel_depth_cm.value;
  double skin = 0.0;
  for (const LayerSpec& l : study.layers) skin += l.thickness_cm;
  return {0.5 * sc, 0.5 * depth, 0.95 * depth, std::min(1.5 * depth, 0.5 * (depth + skin))};
}

double memory_estimate_bytes(const DiscreteProblem& p) {
  const double n = static_cast<double>(p.cell_count() + kScalarSlots);
  // Doubles per cell, counted from the code: the state, the dense output's three vectors, the
  // six cached coefficients (3 face conductances, 1/K, decay, clearance), the host volumes, and
  // the host copy handed to the recorder: 12. RKC adds 6 work vectors; TR-BDF2 adds 8, plus 7
  // for conjugate gradients (4 vectors, 3 column factors) or, with the sparse Cholesky, the
  // host copies of the coefficients and the factor (~20 on the grids it is chosen for). The
  // estimate takes the largest of the methods `auto` may pick for this grid; plus the material
  // byte.
  const bool flat = p.nx() == 1 || p.ny() == 1;
  double per_cell = 12.0 + 6.0;                 // RKC
  per_cell = std::max(per_cell, 12.0 + 8.0 + (flat ? 20.0 : 7.0));  // implicit
  return 8.0 * per_cell * n + static_cast<double>(p.cell_count());
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 4) {
    bytes /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g %s", bytes, units[u]);
  return buf;
}

StudyRun run_study(const Study& study, Backend& backend, const StudyProgress& progress,
                   const volatile std::sig_atomic_t* interrupt, std::ostream* log) {
  StudyRun run;
  run.scenarios = build_scenarios(study);
  run.result.backend = backend.name();
  run.result.backend_description = backend.description();
  run.result.duration_h = study.protocol.duration_s / 3600.0;
  run.result.applied_ug_per_cm2 = run.scenarios.front().problem.total_dose_ug() / run.scenarios.front().problem.top_area_cm2();
  if (study.treatment) {
    static const char* kDomain[] = {"unit_cell", "axisymmetric", "patch"};
    const TreatmentSpec& t = *study.treatment;
    run.result.geometry = GeometrySummary{kDomain[static_cast<int>(t.domain)], t.density_per_cm2.value,
                                          t.channel_depth_cm.value * 1e4, t.channel_diameter_cm.value * 1e4,
                                          run.scenarios.back().problem.cell_count()};
  }
  for (const Scenario& scenario : run.scenarios) {
    const DiscreteProblem& p = scenario.problem;
    if (log)
      *log << "scenario " << scenario.name << ": " << p.nx() << " x " << p.ny() << " x " << p.nz() << " = "
           << p.cell_count() << " cells, about " << format_bytes(memory_estimate_bytes(p)) << '\n';
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
