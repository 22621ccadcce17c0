#include <algorithm>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <vector>

#include "commands.hpp"
#include "io/atomic_text_file.hpp"
#include "io/output_paths.hpp"
#include "io/write_run_h5.hpp"
#include "io/write_xdmf.hpp"
#include "model/grid_budget.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/config.hpp"
#include "poreflux/sweep.hpp"
#include "poreflux/version.hpp"
#include "progress.hpp"
#include "study/print_summary.hpp"
#include "study/run_study.hpp"
#include "study/scenario_estimate.hpp"
#include "study/summary_json.hpp"

namespace poreflux::cli {
namespace {

std::string output_path(const RunOptions& options, const Study& study) {
  if (!options.output.empty()) return options.output;
  if (!study.output.path.empty()) return study.output.path;
  return std::filesystem::path(options.config).stem().string() + ".h5";
}

}  // namespace

int run_command(const RunOptions& options, bool stderr_is_terminal, const volatile std::sig_atomic_t* interrupt) {
  Study study = load_study(options.config, options.calibration);
  // The warnings are in the printed summary; said before a long run only when asked.
  if (!options.quiet && options.verbose) print_warnings(std::cerr, study);
  apply_numerics_choice(study, {options.backend, options.method, options.linear_solver, options.allow_large});
  const std::string out_path = output_path(options, study);
  // Every output is checked before anything is computed (io/output_paths.hpp).
  std::vector<std::string> inputs{options.config, options.calibration};
  for (const std::string& f : study.parameter_model.library_files) inputs.push_back(f);
  const std::string xmf_path = xdmf_path_for(out_path);
  check_outputs(
      {{out_path, "results (HDF5)"}, {xmf_path, "ParaView description (XDMF)"}, {options.summary_json, "summary JSON"}},
      inputs, options.force, &std::cerr);

  std::string notice, detail;
  const std::unique_ptr<Backend> backend = make_backend(study.numerics.backend, &notice, &detail);
  study.numerics.on_gpu = backend->name() == "cuda";
  if (!options.quiet) {
    if (!notice.empty()) std::cerr << notice << '\n';
    if (options.verbose) {
      if (!detail.empty()) std::cerr << detail << '\n';
      std::cerr << "backend: " << backend->name() << " (" << backend->description() << ")\n";
    }
  }

  ProgressLine progress(options.quiet        ? ProgressLine::Mode::off
                        : stderr_is_terminal ? ProgressLine::Mode::terminal
                                             : ProgressLine::Mode::log);
  StudyProgress hooks;
  hooks.on_time = [&progress](const std::string& name, double t, double duration) {
    progress.update(name, t, duration);
  };
  StudyRun run;
  try {
    run = run_study(study, *backend, hooks, interrupt, options.quiet ? nullptr : &std::cerr);
  } catch (...) {
    progress.finish();
    throw;
  }
  progress.finish();

  const bool wrote_xmf = write_run_files(out_path, study, run, kVersion);
  if (!options.summary_json.empty()) write_text_atomically(options.summary_json, summary_json(study, run.result));
  // A first interrupt during the write lets it finish (it is short); the results are complete.
  if (interrupt && *interrupt)
    std::cerr << "poreflux: interrupted while writing the results; the write completed: " << out_path << " is whole\n";
  if (!options.quiet) {
    print_summary(std::cout, study, run.result, options.verbose);
    std::cout << "\nresults: " << out_path;
    if (wrote_xmf) std::cout << ", ParaView: " << xmf_path;
    if (!options.summary_json.empty()) std::cout << ", summary: " << options.summary_json;
    std::cout << "\nplot:    /usr/bin/python3 tools/plot_results.py " << out_path << '\n';
  }
  return 0;
}

// When the first film dries (from its history, known before the run).
std::string film_dry_note(const DiscreteProblem& p) {
  if (p.film.segments.empty() || !std::isfinite(p.film.segments.front().dry_from_s)) return "";
  return "; the film dries after " + fmt("%.3g", p.film.segments.front().dry_from_s / 3600.0) + " h";
}

// The axisymmetric twin's conjugate-gradient iterations when the study has a 3D treated scenario
// (its run-time estimate counts its work there, study/scenario_estimate.hpp), on the CPU backend
// the estimate is for.
std::optional<double> twin_work_for_estimate(const Study& study, const std::vector<Scenario>& scenarios) {
  if (!has_3d_treated(scenarios)) return std::nullopt;
  return twin_krylov_iterations(study, *make_cpu_backend());
}

// A sweep or population: every case is read and resolved (load_study_plan); the first case's
// grid stands for the others' size.
int validate_plan(const std::string& config, bool allow_large) {
  const StudyPlan plan = load_study_plan(config);
  std::vector<std::string> baselines;
  for (const PlanCase& c : plan.cases)
    if (std::find(baselines.begin(), baselines.end(), c.baseline_id) == baselines.end())
      baselines.push_back(c.baseline_id);
  std::cout << config << ": valid " << (plan.kind == StudyKind::sweep ? "sweep" : "population") << " of "
            << plan.cases.size() << " cases (" << baselines.size() << " distinct intact baseline"
            << (baselines.size() == 1 ? "" : "s") << "), varying:\n";
  for (const PlanColumn& c : plan.columns)
    std::cout << "  " << c.key << (c.unit.empty() ? "" : " [" + c.unit + "]")
              << (c.description.empty() ? "" : ": " + c.description) << '\n';
  Study first = plan.cases.front().study;
  first.numerics.allow_large = allow_large;
  double seconds = run_start_seconds();
  const std::vector<Scenario> scenarios = build_scenarios(first);
  const std::optional<double> twin_work = twin_work_for_estimate(first, scenarios);
  for (const Scenario& s : scenarios) {
    const double per = estimated_scenario_seconds(s, twin_work);
    const std::size_t runs = s.name == "intact" ? baselines.size() : plan.cases.size();
    seconds += per * static_cast<double>(runs);
    std::cout << "  " << s.name << " (" << plan.cases.front().id << "): " << s.problem.cell_count() << " cells, about "
              << format_bytes(memory_estimate_bytes(s.problem)) << ", roughly " << format_seconds(per)
              << " on the CPU x " << runs << " run" << (runs == 1 ? "" : "s") << '\n';
  }
  std::cout << "  all cases: roughly " << format_seconds(seconds)
            << " on one CPU job (--jobs N divides it among the cores)\n";
  return 0;
}

int validate_command(const std::string& config, bool allow_large) {
  if (has_study_table(config)) return validate_plan(config, allow_large);
  Study study = load_study(config);
  study.numerics.allow_large = allow_large;
  study.numerics.on_gpu =
      study.numerics.backend == "cuda" || (study.numerics.backend == "auto" && cuda_device_available(nullptr));
  print_parameters(std::cout, study);
  print_vehicle(std::cout, study);
  print_conversions(std::cout, study);
  const std::vector<Scenario> scenarios = build_scenarios(study);
  std::cout << config << ": valid. " << study.layers.size() << " layers, " << study.protocol.output_times_s.size()
            << " output times over " << study.protocol.duration_s / 3600.0 << " h, applied "
            << study.applied_ug_per_cm2() << " ug/cm2\n";
  double seconds = run_start_seconds();
  const std::optional<double> twin_work = twin_work_for_estimate(study, scenarios);
  for (const Scenario& s : scenarios) {
    const double per = estimated_scenario_seconds(s, twin_work);
    seconds += per;
    std::cout << "  " << s.name << ": " << s.problem.nx() << " x " << s.problem.ny() << " x " << s.problem.nz() << " = "
              << s.problem.cell_count() << " cells, about " << format_bytes(memory_estimate_bytes(s.problem))
              << ", roughly " << format_seconds(per) << " on the CPU" << film_dry_note(s.problem)
              << (s.name == "treated" && study.treatment ? default_domain_remark(*study.treatment) : "") << '\n';
  }
  std::cout << "  in all: roughly " << format_seconds(seconds) << " on the CPU (with "
            << format_seconds(run_start_seconds()) << " to start)\n";

  return 0;
}

}  // namespace poreflux::cli
