// poreflux qualify: runs the measurement files of the qualification suite (data/measurements/)
// and scores every endpoint against the published value (MODEL.md §9, docs/VALIDATION.md).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "commands.hpp"
#include "config/measurement.hpp"
#include "io/atomic_text_file.hpp"
#include "io/csv_table.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/config.hpp"
#include "qualify/score.hpp"
#include "study/load_measurement.hpp"
#include "study/run_study.hpp"

#ifndef POREFLUX_SOURCE_DIR
#define POREFLUX_SOURCE_DIR "."
#endif

namespace poreflux::cli {
namespace {

namespace fs = std::filesystem;
using qualify::ScoredEndpoint;

std::string g3(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

std::vector<std::string> measurement_files(const std::vector<std::string>& given) {
  std::vector<std::string> paths = given;
  if (paths.empty()) paths.push_back(std::string(POREFLUX_SOURCE_DIR) + "/data/measurements");
  std::vector<std::string> files;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> here;
      for (const auto& entry : fs::directory_iterator(p))
        if (entry.path().extension() == ".toml") here.push_back(entry.path().string());
      std::sort(here.begin(), here.end());
      files.insert(files.end(), here.begin(), here.end());
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      throw ConfigError(
          p, 0, "", "no such measurement file or folder; give .toml files of data/measurements/ or a folder of them");
    }
  }
  if (files.empty()) throw ConfigError(paths.front(), 0, "", "no measurement files (*.toml) found here");
  return files;
}

// Runs every study of one measurement file and scores its endpoints.
std::vector<ScoredEndpoint> run_case(const qualify::MeasurementCase& c, Backend& backend,
                                     const volatile std::sig_atomic_t* interrupt) {
  std::vector<RunResult> results;
  for (const qualify::CaseRun& run : c.runs)
    results.push_back(run_study(run.study, backend, {}, interrupt, nullptr).result);
  std::vector<ScoredEndpoint> out;
  for (const qualify::Endpoint& e : c.endpoints) {
    const Study& study = c.runs[e.run].study;
    const RunResult& r = results[e.run];
    const ScenarioResult *intact = nullptr, *treated = nullptr;
    for (const ScenarioResult& s : r.scenarios) {
      if (s.name == "intact") intact = &s;
      if (s.name == "treated") treated = &s;
    }
    ScoredEndpoint s;
    s.case_id = c.id;
    s.label = e.label;
    s.quantity = qualify::quantity_name(e.quantity);
    s.unit = qualify::unit_name(e.unit);
    s.scenario = e.scenario;
    s.set_text = e.set_text;
    s.reference = c.reference;
    s.read = c.read;
    s.peer_predictions = e.peer_predictions;
    s.time_h = e.time_s / 3600.0;
    s.measured = e.measured;
    s.spread = e.spread ? *e.spread : -1.0;
    s.predicted = qualify::predicted_value(e, study, intact, treated);
    s.fold = s.predicted / s.measured;
    s.log_kow = study.compound.log_kow ? study.compound.log_kow->value : 0.0;
    s.lipophilicity = qualify::lipophilicity_class(s.log_kow);
    s.dose = study.vehicle.mode == DoseMode::infinite ? "infinite" : "finite";
    s.setting = study.bottom == BottomBoundary::clearance ? "in vivo" : "in vitro";
    out.push_back(std::move(s));
  }
  return out;
}

std::string fold_text(double fold) {
  if (!std::isfinite(fold)) return "n/a";
  if (fold >= qualify::kFoldCap) return ">1e6";
  if (fold <= 1.0 / qualify::kFoldCap) return "<1e-6";
  return g3(fold);
}

void print_table(std::ostream& out, const std::vector<ScoredEndpoint>& all) {
  char line[400];
  std::snprintf(line, sizeof line, "%-34s %-22s %-22s %7s %-9s %10s %10s %8s\n", "case", "endpoint", "quantity",
                "time h", "unit", "measured", "predicted", "fold");
  out << line;
  for (const ScoredEndpoint& e : all) {
    const std::string q = e.scenario == "intact" ? e.quantity : e.quantity + " (" + e.scenario + ")";
    std::snprintf(line, sizeof line, "%-34.34s %-22.22s %-22.22s %7s %-9s %10s %10s %8s%s\n", e.case_id.c_str(),
                  e.label.c_str(), q.c_str(), g3(e.time_h).c_str(), e.unit.c_str(), g3(e.measured).c_str(),
                  g3(e.predicted).c_str(), fold_text(e.fold).c_str(),
                  std::isfinite(e.fold) && (e.fold > 3.0 || e.fold < 1.0 / 3.0) ? "  *" : "");
    out << line;
  }
}

void print_scores(std::ostream& out, const std::vector<qualify::Score>& scores) {
  char line[200];
  std::snprintf(line, sizeof line, "\n%-16s %4s %7s %9s %9s %8s\n", "class", "n", "GMFE", "within 2x", "within 3x",
                "bias");
  out << line;
  for (const qualify::Score& s : scores) {
    std::snprintf(line, sizeof line, "%-16s %4d %7.2f %8.0f%% %8.0f%% %8.2f\n", s.group.c_str(), s.n, s.gmfe,
                  100.0 * s.within_2, 100.0 * s.within_3, s.bias);
    out << line;
  }
  out << "(fold = predicted / measured; GMFE = 10^mean|log10 fold|; bias = 10^mean log10 fold, > 1 over-predicts; "
         "* marks an endpoint outside 3x)\n";
}

std::string csv_text(const std::vector<ScoredEndpoint>& all) {
  CsvTable t;
  auto strings = [&](const std::string& h, auto get) {
    std::vector<std::string> v;
    for (const ScoredEndpoint& e : all) v.push_back(get(e));
    t.add_strings(h, v);
  };
  auto numbers = [&](const std::string& h, auto get) {
    std::vector<double> v;
    for (const ScoredEndpoint& e : all) v.push_back(get(e));
    t.add_numbers(h, v);
  };
  strings("case", [](const ScoredEndpoint& e) { return e.case_id; });
  strings("endpoint", [](const ScoredEndpoint& e) { return e.label; });
  strings("quantity", [](const ScoredEndpoint& e) { return e.quantity; });
  strings("scenario", [](const ScoredEndpoint& e) { return e.scenario; });
  numbers("time [h]", [](const ScoredEndpoint& e) { return e.time_h; });
  strings("unit", [](const ScoredEndpoint& e) { return e.unit; });
  numbers("measured [unit]", [](const ScoredEndpoint& e) { return e.measured; });
  numbers("spread [unit]", [](const ScoredEndpoint& e) { return e.spread >= 0.0 ? e.spread : std::nan(""); });
  numbers("predicted [unit]", [](const ScoredEndpoint& e) { return e.predicted; });
  numbers("fold error [1]", [](const ScoredEndpoint& e) { return e.fold; });
  numbers("log_kow [1]", [](const ScoredEndpoint& e) { return e.log_kow; });
  strings("lipophilicity", [](const ScoredEndpoint& e) { return e.lipophilicity; });
  strings("dose", [](const ScoredEndpoint& e) { return e.dose; });
  strings("setting", [](const ScoredEndpoint& e) { return e.setting; });
  strings("set", [](const ScoredEndpoint& e) { return e.set_text; });
  strings("read", [](const ScoredEndpoint& e) { return e.read; });
  strings("reference", [](const ScoredEndpoint& e) { return e.reference; });
  strings("peer predictions", [](const ScoredEndpoint& e) { return e.peer_predictions; });
  return t.text();
}

std::string markdown_text(const std::vector<ScoredEndpoint>& all, const std::vector<qualify::Score>& scores,
                          const std::vector<std::string>& overrides) {
  std::ostringstream md;
  md << "Generated by `poreflux qualify -o DIR`";
  for (const std::string& o : overrides) md << " --set " << o;
  md << " (DIR/qualification.md); do not edit by hand.\n\n";
  md << "| class | n | GMFE | within 2× | within 3× | bias |\n|---|---|---|---|---|---|\n";
  for (const qualify::Score& s : scores) {
    char row[160];
    std::snprintf(row, sizeof row, "| %s | %d | %.2f | %.0f %% | %.0f %% | %.2f |\n", s.group.c_str(), s.n, s.gmfe,
                  100.0 * s.within_2, 100.0 * s.within_3, s.bias);
    md << row;
  }
  md << "\n| case | endpoint | quantity | time (h) | measured | predicted | fold | class | read |\n"
        "|---|---|---|---|---|---|---|---|---|\n";
  for (const ScoredEndpoint& e : all) {
    const std::string q = e.scenario == "intact" ? e.quantity : e.quantity + " (" + e.scenario + ")";
    const std::string unit = e.unit == "1" ? "" : " " + e.unit;
    md << "| " << e.case_id << " | " << e.label << " | " << q << " | " << g3(e.time_h) << " | " << g3(e.measured)
       << (e.spread >= 0.0 ? " ± " + g3(e.spread) : std::string()) << unit << " | " << g3(e.predicted) << unit << " | "
       << fold_text(e.fold) << " | " << e.lipophilicity << ", " << e.dose << ", " << e.setting << " | " << e.read
       << " |\n";
  }
  return md.str();
}

// The ratchet (tests/qualification_baseline.csv): case, endpoint, fold. An endpoint whose
// |log10 fold| grew beyond the recorded one (plus a rounding allowance) fails.
constexpr double kRatchetAllowance = 0.002;  // in log10: 0.5 %, far above run-to-run noise

std::map<std::string, double> read_baseline(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError(path, 0, "", "cannot read the baseline file");
  std::map<std::string, double> folds;
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line[0] == '#' || line.rfind("case,", 0) == 0) continue;
    const std::size_t a = line.find(','), b = line.rfind(',');
    if (a == std::string::npos || a == b) throw ConfigError(path, n, "", "expected case,endpoint,fold");
    folds[line.substr(0, b)] = std::strtod(line.c_str() + b + 1, nullptr);
  }
  return folds;
}

std::string baseline_text(const std::vector<ScoredEndpoint>& all) {
  std::ostringstream out;
  out << "# The qualification ratchet: fold error (predicted / measured) of every endpoint, written by\n"
         "# `poreflux qualify --write-baseline`. ctest fails when an endpoint's |log10 fold| grows past its\n"
         "# value here; update it in the commit of a physics change that improves the scores.\n"
         "case,endpoint,fold\n";
  for (const ScoredEndpoint& e : all) {
    char fold[40];
    std::snprintf(fold, sizeof fold, "%.6g", e.fold);
    out << e.case_id << "," << e.label << "," << fold << "\n";
  }
  return out.str();
}

int check_baseline(const std::string& path, const std::vector<ScoredEndpoint>& all) {
  const std::map<std::string, double> base = read_baseline(path);
  int worse = 0, missing = 0;
  std::map<std::string, bool> seen;
  for (const ScoredEndpoint& e : all) {
    const std::string key = e.case_id + "," + e.label;
    seen[key] = true;
    const auto it = base.find(key);
    if (it == base.end()) {
      std::cout << "ratchet: new endpoint " << key << " (fold " << fold_text(e.fold) << "), not in the baseline\n";
      continue;
    }
    const double now = std::fabs(std::log10(e.fold)), before = std::fabs(std::log10(it->second));
    if (!(now <= before + kRatchetAllowance)) {
      std::cout << "ratchet: WORSE " << key << ": fold " << fold_text(e.fold) << " against " << fold_text(it->second)
                << " recorded\n";
      ++worse;
    }
  }
  for (const auto& [key, fold] : base)
    if (!seen.count(key)) {
      std::cout << "ratchet: MISSING " << key << " (recorded fold " << fold_text(fold) << ")\n";
      ++missing;
    }
  std::cout << "ratchet: " << all.size() << " endpoints against " << path << ": " << worse << " worse, " << missing
            << " missing\n";
  return worse + missing == 0 ? 0 : 1;
}

void write_plot(const std::string& csv, const std::string& png, bool quiet) {
  const std::string script = std::string(POREFLUX_SOURCE_DIR) + "/tools/plot_qualification.py";
  if (!fs::exists(script) || !fs::exists("/usr/bin/python3")) {
    if (!quiet) std::cerr << "qualify: no plot (" << script << " or /usr/bin/python3 missing)\n";
    return;
  }
  const std::string command = "/usr/bin/python3 '" + script + "' '" + csv + "' -o '" + png + "'";
  if (std::system(command.c_str()) != 0) std::cerr << "qualify: the plot script failed: " << command << '\n';
}

}  // namespace

int qualify_command(const QualifyOptions& options, const volatile std::sig_atomic_t* interrupt) {
  const std::vector<std::string> files = measurement_files(options.cases);
  // Every file is read (and every study resolved) before anything runs.
  std::vector<qualify::MeasurementCase> cases;
  for (const std::string& f : files) cases.push_back(qualify::read_measurement_file(f, options.overrides));
  std::string notice;
  const std::unique_ptr<Backend> backend = make_backend(options.backend, &notice);
  std::vector<ScoredEndpoint> all;
  for (std::size_t i = 0; i < cases.size(); ++i) {
    if (!options.quiet)
      std::cerr << "qualify: [" << i + 1 << "/" << cases.size() << "] " << cases[i].id << " (" << cases[i].runs.size()
                << " run" << (cases[i].runs.size() == 1 ? "" : "s") << ", " << cases[i].endpoints.size() << " endpoint"
                << (cases[i].endpoints.size() == 1 ? "" : "s") << ")\n";
    std::vector<ScoredEndpoint> scored = run_case(cases[i], *backend, interrupt);
    all.insert(all.end(), scored.begin(), scored.end());
  }
  const std::vector<qualify::Score> scores = qualify::scores_by_class(all);
  print_table(std::cout, all);
  print_scores(std::cout, scores);

  if (!options.output_dir.empty()) {
    fs::create_directories(options.output_dir);
    const std::string csv = options.output_dir + "/qualification.csv";
    write_text_atomically(csv, csv_text(all));
    write_text_atomically(options.output_dir + "/qualification.md", markdown_text(all, scores, options.overrides));
    write_plot(csv, options.output_dir + "/qualification.png", options.quiet);
    std::cout << "\nwritten: " << csv << ", " << options.output_dir << "/qualification.md, " << options.output_dir
              << "/qualification.png\n";
  }
  if (!options.write_baseline.empty()) write_text_atomically(options.write_baseline, baseline_text(all));
  if (!options.baseline.empty()) return check_baseline(options.baseline, all);
  return 0;
}

}  // namespace poreflux::cli
