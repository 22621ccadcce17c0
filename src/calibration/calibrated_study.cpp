#include "calibrated_study.hpp"

#include <cmath>

#include "study/print_summary.hpp"

namespace poreflux::calibration {

std::string calibrated_study_text(std::string text, const FitReport& report, const std::string& study_name,
                                  const std::string& data_file, const std::string& output) {
  if (!text.empty() && text.back() != '\n') text += '\n';
  text +=
      "\n# Added by poreflux calibrate: fitted to " + (data_file.empty() ? std::string("--measure data") : data_file);
  text += " (chi2 " + fmt("%.4g", report.chi2) + ", dof " + std::to_string(report.dof) + ").\n";
  text += "# Reuse for a treated study: poreflux run TREATED.toml --calibration " + output +
          "\n[calibration]\nfactors = [\n";
  for (const auto& f : report.factors) {
    std::string source = "poreflux calibrate " + study_name + " against " +
                         (data_file.empty() ? std::string("--measure") : data_file) + "; 95 % CI " +
                         (std::isfinite(f.ci95_low) ? fmt("%.4g", f.ci95_low) + "-" + fmt("%.4g", f.ci95_high) : "n/a");
    text +=
        "  { target = \"" + f.target + "\", value = " + fmt("%.10g", f.value) + ", source = \"" + source + "\" },\n";
  }
  text += "]\n";
  return text;
}

}  // namespace poreflux::calibration
