// What a run produces, per scenario (intact, later treated): time series of amounts in every
// compartment, permeation, depth profiles, and the end-of-run figures. Host data only.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "poreflux/backend.hpp"

namespace poreflux {

// Compartments reported, in this order, as amounts per skin area [ug/cm²].
// Skin layers appear under their role names; a role a study lacks stays zero.
inline const std::vector<std::string>& compartment_names() {
  static const std::vector<std::string> names{"vehicle",         "removed",          "degraded",
                                              "stratum_corneum", "viable_epidermis", "dermis",
                                              "receptor",        "systemic"};
  return names;
}

struct ScenarioSummary {
  std::vector<double> fraction_of_dose;   // by compartment_names(), 0..1 of the applied dose
  double uptake_fraction = 0.0;           // SC + VE + dermis + receptor + systemic
  double dermal_delivery_fraction = 0.0;  // VE + dermis + receptor + systemic
  double cumulative_permeated_ug_per_cm2 = 0.0;  // receptor + systemic at the end
  double flux_max_ug_per_cm2_h = 0.0;     // largest permeation flux at an output time
  double t_flux_max_h = 0.0;
  std::optional<double> lag_time_h;       // tangent at peak flux meets Q = 0; none if no flux
  double mass_balance_error = 0.0;        // largest |balance| / dose over the output times
};

struct ScenarioResult {
  std::string name;                       // "intact" or "treated"
  std::vector<double> times_s;
  std::vector<std::vector<double>> amounts_ug_per_cm2;  // [compartment][time]
  std::vector<double> supplied_ug_per_cm2;              // drawn from an infinite dose [time]
  std::vector<double> permeated_ug_per_cm2;             // receptor + systemic [time]
  std::vector<double> flux_ug_per_cm2_h;                // permeation flux at each time
  std::vector<double> mass_balance_error;               // (amount now - applied - supplied) / applied
  std::vector<double> depth_um;                         // z cell centres
  std::vector<std::vector<double>> depth_profile_ug_per_cm3;  // [time][z], laterally averaged C
  ScenarioSummary summary;
  SolverStats solver;
};

struct RunResult {
  std::string backend;              // name actually used
  std::string backend_description;
  double applied_ug_per_cm2 = 0.0;
  double duration_h = 0.0;
  std::vector<ScenarioResult> scenarios;
};

}  // namespace poreflux
