// `poreflux sweep STUDY.toml`: the cases of a [sweep] or [population] (docs/STUDIES.md), run
// into a folder of parts (resumable), then assembled into one HDF5 and a CSV.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include "commands.hpp"
#include "engine/run_sweep.hpp"
#include "io/output_paths.hpp"
#include "io/study_h5.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/config.hpp"
#include "poreflux/outputs.hpp"
#include "poreflux/version.hpp"
#include "progress.hpp"
#include "study/print_summary.hpp"
#include "study/run_plan.hpp"

namespace poreflux::cli {
namespace {

namespace fs = std::filesystem;

struct Shard {
  int index = 0, count = 1;  // 0-based index
};

Shard parse_shard(const std::string& text) {
  Shard shard;
  if (text.empty()) return shard;
  int k = 0, n = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%d/%d%c", &k, &n, &tail) != 2 || n < 1 || k < 1 || k > n)
    throw ConfigError("", 0, "--shard",
                      "'" + text +
                          "' is not a shard: give K/N with 1 <= K <= N, e.g. --shard 3/8 "
                          "(the 3rd of 8 shards)");
  return {k - 1, n};
}

std::string stem_path(const std::string& config) { return fs::path(config).stem().string(); }

std::string percent(double fraction) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, std::isfinite(fraction) ? "%.3g %%" : "-", 100.0 * fraction);
  return buffer;
}

std::string number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, std::isfinite(v) ? "%.3g" : "-", v);
  return buffer;
}

struct Printed {
  std::string heading, column;
  bool ratio = false;
};

// The columns printed: the outputs with a terminal heading (poreflux/outputs.hpp) at the end,
// their enhancement ratio, the same at the first report_at time, and the checks.
std::vector<Printed> printed_columns(const StudyTable& t) {
  std::vector<Printed> columns;
  for (const OutputReporting& r : output_reporting())
    if (r.terminal_heading) columns.push_back({r.terminal_heading, r.output});
  for (const OutputReporting& r : output_reporting())
    if (r.terminal_heading && r.enhancement_at_report_times)
      columns.push_back({"enhancement*", enhancement_name(r), true});
  for (const OutputReporting& first : output_reporting()) {
    if (!first.terminal_heading_at) continue;
    const std::string prefix = std::string(first.output) + "_at_";
    const auto c = std::find_if(t.columns.begin(), t.columns.end(),
                                [&](const TableColumn& c) { return c.name.rfind(prefix, 0) == 0; });
    if (c == t.columns.end()) break;
    const std::string at = c->name.substr(prefix.size());  // "4h"
    for (const OutputReporting& r : output_reporting())
      if (r.terminal_heading_at)
        columns.push_back({std::string(r.terminal_heading_at) + " @" + at, r.output + ("_at_" + at)});
    for (const ReportTimeCompartment& k : report_time_compartments())
      if (k.terminal_heading)
        columns.push_back(
            {std::string(k.terminal_heading) + " @" + at, std::string("fraction_") + k.name + "_at_" + at});
    for (const OutputReporting& r : output_reporting())
      if (r.terminal_heading_at && r.enhancement_at_report_times)
        columns.push_back({"enh. @" + at, enhancement_name(r) + "_at_" + at, true});
    break;
  }
  for (const ScalarOutput& o : scalar_outputs())
    if (o.terminal_heading) columns.push_back({o.terminal_heading, table_name(o), true});
  return columns;
}

// "(% of the dose; uptake and dermal delivery at the end unless @ a time; *enhancement: ...)"
std::string printed_footnote() {
  std::string shown, ratio;
  for (const OutputReporting& r : output_reporting()) {
    if (!r.terminal_heading) continue;
    shown += (shown.empty() ? "" : " and ") + std::string(r.words);
    if (r.enhancement_at_report_times) ratio += (ratio.empty() ? "" : ", ") + std::string(r.words);
  }
  return "(% of the dose; " + shown + " at the end unless @ a time; *enhancement: " + ratio + " treated / intact)\n";
}

void print_table(std::ostream& out, const StudyTable& t, std::size_t max_rows) {
  const TableColumn* id = t.find("case");
  const TableColumn* label = t.find("label");
  const TableColumn* scenario = t.find("scenario");
  const std::vector<Printed> columns = printed_columns(t);
  std::size_t width = 5;
  for (std::size_t r = 0; r < t.rows && r < max_rows; ++r) width = std::max(width, label->texts[r].size());
  width = std::min<std::size_t>(width, 50);
  char cell[128];
  std::snprintf(cell, sizeof cell, "%-10s %-*s %-8s", "case", static_cast<int>(width), "label", "scenario");
  out << cell;
  for (const Printed& p : columns) {
    std::snprintf(cell, sizeof cell, " %13s", p.heading.c_str());
    out << cell;
  }
  out << '\n';
  for (std::size_t r = 0; r < t.rows && r < max_rows; ++r) {
    std::snprintf(cell, sizeof cell, "%-10s %-*s %-8s", id->texts[r].c_str(), static_cast<int>(width),
                  printable(label->texts[r], width).c_str(), scenario->texts[r].c_str());
    out << cell;
    for (const Printed& p : columns) {
      const TableColumn* c = t.find(p.column);
      const double v = c ? c->numbers[r] : std::nan("");
      std::snprintf(cell, sizeof cell, " %13s", (p.ratio ? number(v) : percent(v)).c_str());
      out << cell;
    }
    out << '\n';
  }
  if (t.rows > max_rows) out << "... " << t.rows - max_rows << " more rows in the CSV\n";
  out << printed_footnote();
}

void print_population(std::ostream& out, const PopulationSummary& p) {
  out << "\npercentiles over the subjects at " << number(p.time_h.back()) << " h (5th / 50th / 95th):\n";
  for (const auto& [name, band] : p.bands) {
    const bool ratio = name.rfind("enhancement", 0) == 0;
    auto show = [&](double v) { return ratio ? number(v) : percent(v); };
    out << "  " << name << ": " << show(band[0].back()) << " / " << show(band[1].back()) << " / "
        << show(band[2].back()) << '\n';
  }
  out << "\nsensitivity: inputs ranked by |PRCC| (partial rank correlation; Spearman in brackets)\n";
  for (const SensitivityEntry& e : p.sensitivity) {
    std::vector<std::size_t> order(p.inputs.size());
    for (std::size_t j = 0; j < order.size(); ++j) order[j] = j;
    auto key = [&](std::size_t j) { return std::isfinite(e.prcc[j]) ? std::abs(e.prcc[j]) : -1.0; };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return key(a) > key(b); });
    out << "  " << e.output << ":";
    for (std::size_t j : order)
      out << "  " << p.inputs[j] << " " << number(e.prcc[j]) << " (" << number(e.spearman[j]) << ")";
    out << '\n';
  }
}

}  // namespace

void print_study_outputs(std::ostream& out, const StudyOutputs& outputs) {
  print_table(out, outputs.table, 60);
  if (outputs.population) print_population(out, *outputs.population);
}

int sweep_command(const SweepOptions& options, bool stderr_is_terminal, const volatile std::sig_atomic_t* interrupt) {
  const Shard shard = parse_shard(options.shard);
  StudyPlan plan = load_study_plan(options.config);
  const bool sharded = shard.count > 1 || !options.shard.empty();
  std::string out = options.output;
  if (out.empty())
    out = sharded ? stem_path(options.config) + ".shard-" + std::to_string(shard.index + 1) + "-of-" +
                        std::to_string(shard.count) + ".h5"
                  : stem_path(options.config) + ".h5";
  const std::string csv = options.csv.empty() ? fs::path(out).replace_extension(".csv").string() : options.csv;
  std::vector<std::string> inputs{options.config};
  for (const std::string& f : plan.cases.front().study.parameter_model.library_files) inputs.push_back(f);
  check_outputs({{out, "study results (HDF5)"}, {csv, "results table (CSV)"}}, inputs, options.force, &std::cerr);

  // The backend, once here to report it (and fail early); each worker makes its own.
  std::string backend_name = options.backend.empty() ? plan.cases.front().study.numerics.backend : options.backend;
  std::string notice, detail;
  const std::unique_ptr<Backend> probe = make_backend(backend_name, &notice, &detail);
  backend_name = probe->name();
  SweepSettings job_rule;
  job_rule.backend = backend_name;
  job_rule.jobs = options.jobs;
  const int jobs = sweep_jobs(job_rule);
  if (jobs < options.jobs) {
    std::cerr << "sweep: --jobs " << options.jobs
              << " ignored on the cuda backend (one GPU runs one case at a time; use "
                 "shards for several GPUs)\n";
  }
  const std::vector<std::size_t> selected = shard_cases(plan, shard.index, shard.count);
  if (!options.quiet) {
    if (!notice.empty()) std::cerr << notice << '\n';
    if (options.verbose && !detail.empty()) std::cerr << detail << '\n';
    std::cerr << "backend: " << backend_name << " (" << probe->description() << ")\n";
    std::cerr << (plan.kind == StudyKind::sweep ? "sweep" : "population") << ": " << plan.cases.size() << " cases";
    if (sharded) std::cerr << "; shard " << shard.index + 1 << "/" << shard.count << " runs " << selected.size();
    std::cerr << "; varying";
    for (const PlanColumn& c : plan.columns) std::cerr << ' ' << c.key;
    std::cerr << '\n';
  }
  if (selected.empty())
    throw ConfigError(
        "", 0, "--shard",
        "shard " + options.shard + " holds no case: the study has only " + std::to_string(plan.cases.size()));

  SweepSettings settings;
  settings.backend = backend_name;
  settings.method = options.method;
  settings.linear_solver = options.linear_solver;
  settings.jobs = jobs;
  settings.allow_large = options.allow_large;
  settings.force = options.force;
  settings.keep_parts = options.keep_parts;
  settings.shard_index = shard.index;
  settings.shard_count = shard.count;
  settings.sharded = sharded;
  settings.version = kVersion;
  // On a terminal, one job: the running case's progress line. In a log, the line per case is
  // enough (a sweep's cases are many and short; progress every 10 % of each would drown it).
  ProgressLine progress(!options.quiet && jobs == 1 && stderr_is_terminal ? ProgressLine::Mode::terminal
                                                                          : ProgressLine::Mode::off);
  SweepHooks hooks;
  hooks.interrupt = interrupt;
  hooks.log = options.quiet ? nullptr : &std::cerr;
  hooks.on_time = [&progress](const std::string& what, double t, double duration) {
    progress.update(what, t, duration);
  };
  hooks.on_case_end = [&progress]() { progress.finish(); };
  StudyOutputs outputs;
  try {
    outputs = run_sweep_to_files(plan, selected, settings, out, csv, hooks);
  } catch (const Interrupted&) {
    progress.finish();
    std::cerr << "\nsweep: the cases finished so far are kept in " << out << ".parts"
              << "; run the same command again to resume (they are not run again)";
    throw;
  } catch (...) {
    progress.finish();
    throw;
  }
  if (!options.quiet) {
    std::cout << '\n';
    print_study_outputs(std::cout, outputs);
    std::cout << "\nresults: " << out << ", table: " << csv;
    if (sharded)
      std::cout << "\nmerge the shards with: poreflux merge -o " << stem_path(options.config) << ".h5 "
                << stem_path(options.config) << ".shard-*-of-" << shard.count << ".h5";
    std::cout << "\nreport:  /usr/bin/python3 tools/report.py " << out << '\n';
  }
  return 0;
}

}  // namespace poreflux::cli
