// `poreflux calibrate STUDY --ivpt FILE.csv | --measure uptake=0.05@24h [--fit A [B]]`:
// fits the factors, reports them with confidence intervals, residuals and goodness of fit,
// and writes the calibrated study (the config as written plus a [calibration] table), which a
// treated study reuses with `poreflux run treated.toml --calibration CALIBRATED.toml`.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "calibration/calibrated_study.hpp"
#include "calibration/fit_factors.hpp"
#include "commands.hpp"
#include "config/study_reader.hpp"
#include "io/atomic_text_file.hpp"
#include "io/output_paths.hpp"
#include "poreflux/config.hpp"
#include "study/print_summary.hpp"

namespace poreflux::cli {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int calibrate_command(const CalibrateOptions& options) {
  const Study study = load_study(options.study);
  if (!study.calibration.empty()) {
    throw ConfigError(options.study, 0, "calibration",
                      "this study already carries [calibration] factors; calibrate the uncalibrated study");
  }
  for (const std::string& target : options.factors) {
    if (!config::calibration_target_known(target)) {
      std::cerr << "poreflux: --fit: unknown factor '" << target << "'; valid: " << config::calibration_targets_text()
                << '\n';
      return 2;
    }
  }
  std::vector<calibration::Observation> data;
  try {
    if (!options.ivpt_csv.empty()) data = calibration::read_ivpt_csv(options.ivpt_csv);
    for (const std::string& m : options.measures) data.push_back(calibration::parse_measure(m));
  } catch (const std::invalid_argument& e) {
    std::cerr << "poreflux: calibration data: " << e.what() << '\n';
    return 2;
  }
  if (data.empty()) {
    std::cerr << "poreflux: calibrate needs data: --ivpt FILE.csv (time_h, Q_ug_per_cm2[, sd_ug_per_cm2]) or --measure "
                 "uptake=0.05@24h\n";
    return 2;
  }
  const std::filesystem::path config(options.study);
  const std::string output = !options.output.empty()
                                 ? options.output
                                 : (config.parent_path() / (config.stem().string() + "_calibrated.toml")).string();
  std::vector<std::string> inputs{options.study, options.ivpt_csv};
  for (const std::string& f : study.parameter_model.library_files) inputs.push_back(f);
  check_outputs({{output, "calibrated study"}}, inputs, options.force, &std::cerr);

  std::string notice;
  const std::unique_ptr<Backend> backend = make_backend(options.backend, &notice);
  std::cerr << "calibrating " << options.study << " (intact skin"
            << (study.treatment ? "; its [treatment] is left out of the fit" : "") << ") against " << data.size()
            << " observation(s), fitting";
  for (const std::string& t : options.factors) std::cerr << ' ' << t;
  std::cerr << "\n";

  calibration::FitReport report;
  try {
    report = calibration::fit_factors(study, options.factors, data, *backend);
  } catch (const std::invalid_argument& e) {
    std::cerr << "poreflux: calibrate: " << e.what() << '\n';
    return 2;
  }
  if (!report.identifiable && report.factors.empty()) {
    std::cout << "not identifiable: " << report.identifiability << "\nnothing was written.\n";
    return 4;
  }

  std::cout << "\nfit: " << report.status << " after " << report.iterations << " iterations, " << report.runs
            << " study runs\n";
  std::cout << "  factor                          value      95 % CI              sd of ln(factor)\n";
  for (const auto& f : report.factors) {
    std::string name = "  " + f.target;
    name.resize(32, ' ');
    std::cout << name << fmt("%-10.4g", f.value) << " "
              << (std::isfinite(f.ci95_low) ? fmt("[%.4g, ", f.ci95_low) + fmt("%.4g]", f.ci95_high)
                                            : std::string("n/a (no degrees of freedom)"))
              << "   " << fmt("%.3g", f.log_sd) << '\n';
  }
  std::cout << "\n  observation                                    measured     predicted    weighted residual\n";
  for (const auto& r : report.residuals) {
    std::string label = "  " + std::string(calibration::observable_name(r.observation.what)) + " at " +
                        fmt("%.4g h", r.observation.time_s / 3600.0);
    label.resize(48, ' ');
    std::cout << label << fmt("%-12.4g ", r.observation.value) << fmt("%-12.4g ", r.predicted)
              << fmt("%.3g", r.weighted) << '\n';
  }
  std::cout << "\n  chi2 " << fmt("%.4g", report.chi2) << ", degrees of freedom " << report.dof << ", R^2 "
            << (std::isfinite(report.r_squared) ? fmt("%.4f", report.r_squared) : std::string("n/a")) << '\n';
  if (!report.identifiability.empty())
    std::cout << (report.identifiable ? "note: " : "NOT IDENTIFIABLE: ") << report.identifiability << '\n';
  if (!report.identifiable) {
    std::cout << "nothing was written: the factors are not determined by these data.\n";
    return 4;
  }

  const std::string text =
      calibration::calibrated_study_text(read_all(options.study), report, options.study, options.ivpt_csv, output);
  write_text_atomically(output, text);
  load_study(output);  // the written study must read back
  std::cout << "\ncalibrated study: " << output << "\nnext: poreflux run TREATED.toml --calibration " << output << '\n';
  return 0;
}

}  // namespace poreflux::cli
