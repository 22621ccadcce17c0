// The output registry: every scalar figure and every time series a scenario reports, declared
// once with its unit, description and how it is computed from the scenario. The run HDF5
// (scenarios/<name>/summary attributes, the series datasets), the sweep table, the CSV export,
// the JSON summary, the printed summary and `poreflux layout --json` (which the Python readers
// use) all iterate over these lists. A new scalar output is one entry in scalar_outputs().
#pragma once

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "poreflux/results.hpp"

namespace poreflux {

// Where a figure goes in the printed summary and the sweep table: shares of the dose next to
// the compartments (as %), other figures after the OECD categories, checks of the numerics last
// (and, in the sweep table, after the treated/intact enhancement columns).
enum class OutputKind { share_of_dose, figure, check };

struct ScalarOutput {
  const char* name;         // CSV summary column, sweep table column: "cumulative_permeated"
  const char* table_name;   // the sweep table's shorter column name where it has one, else nullptr
  const char* unit;         // "1" (dimensionless), "h", "ug/cm2", "ug/cm2/h"
  const char* description;  // the HDF5 and table description
  const char* label;        // the row of the printed summary
  OutputKind kind;
  double (*value)(const ScenarioResult&);  // NaN: no value (note() then says why)
  // Why there is no value, or how it was found; nullptr for figures that always have one.
  std::string (*note)(const ScenarioResult&) = nullptr;
  const char* absent_text = nullptr;  // printed for NaN (nullptr: the number format's "nan")
};

namespace output_detail {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
}  // namespace output_detail

// In the order of the JSON summary, the HDF5 attributes and the CSV summary columns.
inline const std::vector<ScalarOutput>& scalar_outputs() {
  static const std::vector<ScalarOutput> outputs{
      {"uptake_fraction", nullptr, "1", "SC + VE + dermis + receptor + systemic at the end / dose",
       "uptake (SC+VE+dermis+receptor/systemic)", OutputKind::share_of_dose,
       [](const ScenarioResult& s) { return s.summary.uptake_fraction; }},
      {"dermal_delivery_fraction", nullptr, "1", "VE + dermis + receptor + systemic at the end / dose",
       "dermal delivery (VE+dermis+receptor/sys)", OutputKind::share_of_dose,
       [](const ScenarioResult& s) { return s.summary.dermal_delivery_fraction; }},
      {"cumulative_permeated", "permeated", "ug/cm2", "receptor + systemic at the end", "permeated [ug/cm2]",
       OutputKind::figure, [](const ScenarioResult& s) { return s.summary.cumulative_permeated_ug_per_cm2; }},
      {"flux_max", nullptr, "ug/cm2/h", "largest permeation flux", "peak flux [ug/cm2/h]", OutputKind::figure,
       [](const ScenarioResult& s) { return s.summary.flux_max_ug_per_cm2_h; }},
      {"t_flux_max", nullptr, "h", "time of the largest permeation flux", "time of peak flux [h]", OutputKind::figure,
       [](const ScenarioResult& s) { return s.summary.t_flux_max_h; }},
      {"lag_time", nullptr, "h", "lag time (NaN: no steady state approached)", "lag time [h]", OutputKind::figure,
       [](const ScenarioResult& s) { return s.summary.lag_time_h.value_or(output_detail::kNaN); },
       [](const ScenarioResult& s) {
         return s.summary.lag_time_h ? std::string(lag_time_criterion()) : s.summary.lag_time_note;
       },
       "not reached"},
      {"mass_balance_error", nullptr, "1", "largest |mass balance| / dose over the run",
       "mass balance error [fraction of dose]", OutputKind::check,
       [](const ScenarioResult& s) { return s.summary.mass_balance_error; }},
      {"flux_at_end", nullptr, "ug/cm2/h",
       "permeation flux at the end of the run (an infinite dose run past its lag time: the steady-state flux)",
       "flux at the end [ug/cm2/h]", OutputKind::figure,
       [](const ScenarioResult& s) {
         return s.flux_ug_per_cm2_h.empty() ? output_detail::kNaN : s.flux_ug_per_cm2_h.back();
       }},
  };
  return outputs;
}

// The name an output carries where its unit is not stored beside it (HDF5 attributes, JSON
// keys): the name with the unit appended, the first '/' read "per" and later ones dropped, as
// the summary has always spelt them ("ug/cm2/h" -> flux_max_ug_per_cm2_h); dimensionless: the name.
inline std::string keyed_name(const ScalarOutput& o) {
  std::string suffix;
  bool per = false;
  for (const char* c = o.unit; *c; ++c) {
    if (*c != '/') suffix += *c;
    else suffix += per ? "_" : "_per_", per = true;
  }
  return suffix == "1" ? std::string(o.name) : std::string(o.name) + "_" + suffix;
}

// The sweep table's column name.
inline std::string table_name(const ScalarOutput& o) { return o.table_name ? o.table_name : o.name; }

// Time series of a scenario besides the compartments (datasets scenarios/<name>/<name>).
struct SeriesOutput {
  const char* name;
  const char* unit;
  const char* description;
  const std::vector<double>& (*values)(const ScenarioResult&);
};

inline const std::vector<SeriesOutput>& series_outputs() {
  static const std::vector<SeriesOutput> series{
      {"supplied", "ug/cm2", "cumulative amount drawn from an infinite-dose reservoir",
       [](const ScenarioResult& s) -> const std::vector<double>& { return s.supplied_ug_per_cm2; }},
      {"permeated", "ug/cm2", "cumulative amount in receptor + systemic",
       [](const ScenarioResult& s) -> const std::vector<double>& { return s.permeated_ug_per_cm2; }},
      {"flux", "ug/cm2/h", "permeation flux into receptor + systemic",
       [](const ScenarioResult& s) -> const std::vector<double>& { return s.flux_ug_per_cm2_h; }},
      {"mass_balance_error", "1", "(total amount - applied so far - supplied) / total dose of the run",
       [](const ScenarioResult& s) -> const std::vector<double>& { return s.mass_balance_error; }},
      {"film_volume", "uL/cm2", "liquid volume of the vehicle film per skin area (evaporation, washes, applications)",
       [](const ScenarioResult& s) -> const std::vector<double>& { return s.film_volume_uL_per_cm2; }},
  };
  return series;
}

}  // namespace poreflux
