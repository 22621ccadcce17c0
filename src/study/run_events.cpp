#include "run_events.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace poreflux {
namespace {

std::size_t compartment_index(const std::string& name) {
  const auto& names = compartment_names();
  return static_cast<std::size_t>(std::find(names.begin(), names.end(), name) - names.begin());
}

}  // namespace

std::string event_time_text(double hours) {
  char buffer[32];
  if (hours < 1.0) std::snprintf(buffer, sizeof buffer, "%.3g min", hours * 60.0);
  else std::snprintf(buffer, sizeof buffer, "%.3g h", hours);
  return buffer;
}

std::vector<RunEvent> scenario_events(const Study& study, const ScenarioResult& s) {
  std::vector<RunEvent> events;
  for (std::size_t k = 0; k < s.applications.size(); ++k) {
    const FilmApplicationSummary& a = s.applications[k];
    const std::string which = s.applications.size() > 1 ? " (application " + std::to_string(k + 1) + ")" : "";
    if (a.dry_after_h)
      events.push_back({"film_dry", "film dry" + which, a.applied_at_h + *a.dry_after_h, std::nullopt, "",
                        "99 % of the volatile liquid the film loses gone (film history)"});
    if (a.sc_partial_after_h)
      events.push_back({"sc_partially_hydrated", "SC partially hydrated" + which,
                        a.applied_at_h + *a.sc_partial_after_h, std::nullopt, "",
                        "the film's water share below half, or a neat/volatile-solvent dose ([skin] hydration)"});
    if (a.saturated_after_h)
      events.push_back({"deposit_formed", "deposit formed" + which, a.applied_at_h + *a.saturated_after_h, std::nullopt,
                        "", "the film first saturated: undissolved active on the skin (film history)"});
  }
  // The deposit at its largest, over the output times.
  const std::size_t deposit = compartment_index("deposit");
  if (deposit < s.amounts_ug_per_cm2.size() && !s.times_s.empty()) {
    const std::vector<double>& amount = s.amounts_ug_per_cm2[deposit];
    const auto peak = std::max_element(amount.begin(), amount.end());
    if (peak != amount.end() && *peak > 0.0) {
      const std::size_t t = static_cast<std::size_t>(peak - amount.begin());
      events.push_back({"deposit_peak", "deposit largest", s.times_s[t] / 3600.0, *peak, "ug/cm2",
                        "largest undissolved amount at an output time"});
    }
  }
  if (s.summary.flux_max_ug_per_cm2_h > 0.0)
    events.push_back({"flux_peak", "peak flux", s.summary.t_flux_max_h, s.summary.flux_max_ug_per_cm2_h, "ug/cm2/h",
                      "largest permeation flux (into receptor or systemic)"});
  if (s.name == "treated" && study.treatment) {
    const double tau = study.treatment->closure_tau_s.value;
    const double at_h = tau * std::log(10.0) / 3600.0;
    if (std::isfinite(tau) && tau > 0.0 && at_h <= study.protocol.duration_s / 3600.0)
      events.push_back({"channels_closed_to_10_percent", "channels 10 % open", at_h, std::nullopt, "",
                        "open fraction exp(-t/tau) = 0.1 at tau ln 10 after the first needling"});
  }
  std::stable_sort(events.begin(), events.end(),
                   [](const RunEvent& a, const RunEvent& b) { return a.time_h < b.time_h; });
  return events;
}

}  // namespace poreflux
