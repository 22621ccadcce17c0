// The output registry: every scalar figure and every time series a scenario reports, declared
// once with its unit, description and how it is computed from the scenario. The run HDF5
// (scenarios/<name>/summary attributes, the series datasets), the sweep table, the CSV export,
// the JSON summary, the printed summary and `poreflux layout --json` (which the Python readers
// use) all iterate over these lists. A new scalar output is one entry in scalar_outputs(); its
// enhancement ratio and its sampling over time, if it has them, one entry in output_reporting().
#pragma once

#include <cmath>
#include <limits>
#include <stdexcept>
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
  // Its column in `poreflux sweep`'s terminal table (a screen wide; nullptr: the CSV and HDF5 only).
  const char* terminal_heading = nullptr;
  // Printed in the summary without --verbose. The default summary fits one screen (50 lines,
  // tests/test_first_hour.cpp) and a treated run fills it: an output added later is printed
  // with --verbose unless a line is freed for it.
  bool first_screen = true;
};

namespace output_detail {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The time [h] at which `values` (at `times_s`) first reaches `level`, interpolated linearly
// between the two output times around it; NaN when it never does (or level is not positive).
inline double first_crossing_h(const std::vector<double>& times_s, const std::vector<double>& values, double level) {
  if (!(level > 0.0)) return kNaN;
  for (std::size_t k = 0; k < values.size() && k < times_s.size(); ++k) {
    if (!(values[k] >= level)) continue;
    if (k == 0) return times_s[0] / 3600.0;
    const double f = (level - values[k - 1]) / (values[k] - values[k - 1]);
    return (times_s[k - 1] + f * (times_s[k] - times_s[k - 1])) / 3600.0;
  }
  return kNaN;
}
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
       [](const ScenarioResult& s) { return s.summary.mass_balance_error; }, nullptr, nullptr, "mass bal."},
      {"flux_at_end", nullptr, "ug/cm2/h",
       "permeation flux at the end of the run (an infinite dose run past its lag time: the steady-state flux)",
       "flux at the end [ug/cm2/h]", OutputKind::figure,
       [](const ScenarioResult& s) {
         return s.flux_ug_per_cm2_h.empty() ? output_detail::kNaN : s.flux_ug_per_cm2_h.back();
       }},
      // The onset a formulator compares products by: how soon 1 % of the dose is through the
      // skin (OECD "absorbed": receptor + systemic), read off the output times.
      {"t_absorbed_1pct", nullptr, "h",
       "time at which the absorbed amount (receptor + systemic) reaches 1 % of the dose",
       "time to 1 % of the dose absorbed [h]", OutputKind::figure,
       [](const ScenarioResult& s) {
         return output_detail::first_crossing_h(s.times_s, s.permeated_ug_per_cm2, 0.01 * s.total_dose_ug_per_cm2);
       },
       [](const ScenarioResult& s) {
         return std::isnan(
                    output_detail::first_crossing_h(s.times_s, s.permeated_ug_per_cm2, 0.01 * s.total_dose_ug_per_cm2))
                    ? std::string("the absorbed amount stays below 1 % of the dose within the run")
                    : std::string("linear interpolation between the output times around the crossing");
       },
       "not reached", nullptr, false},
  };
  return outputs;
}

inline const ScalarOutput& scalar_output(const std::string& name) {
  for (const ScalarOutput& o : scalar_outputs())
    if (name == o.name) return o;
  throw std::invalid_argument("no scalar output '" + name + "' in poreflux/outputs.hpp");
}

// How the outputs above are reported beyond their own value: over time (the study table's
// <name>_at_<t>h columns, the population's percentile bands and rank correlations) and as a
// treated / intact enhancement ratio (the JSON "enhancement" block, the printed "Enhancement"
// line, the study table's enhancement_<key> columns and the population's enhancement bands).
// An output not listed here is reported only as its own value.
struct OutputReporting {
  const char* output;  // a scalar_outputs() name
  const char* words;   // how descriptions and the printed enhancement line name it: "dermal delivery"
  // The OECD category (oecd_categories()) whose share of the dose this output is at each output
  // time; nullptr: not sampled over time.
  const char* category = nullptr;
  // The JSON key under "enhancement" (and the study column enhancement_<key>); nullptr: no ratio.
  const char* enhancement_key = nullptr;
  bool enhancement_in_table = false;         // enhancement_<key> column and population band (needs a category)
  bool enhancement_at_report_times = false;  // enhancement_<key>_at_<t>h columns (needs a category)
  // Its columns in `poreflux sweep`'s terminal table: at the end, and at the first report time
  // (nullptr: the CSV and HDF5 only). An output with enhancement_at_report_times and a heading
  // also shows its ratio there ("enhancement*", "enh. @4h").
  const char* terminal_heading = nullptr;
  const char* terminal_heading_at = nullptr;
  // The figure a reader asks about first: the study report (tools/report.py) leads its heat maps
  // and sensitivity panels with it. The report plots every output with a category, in this
  // list's order elsewhere, so a new one needs no Python edit.
  bool headline = false;
};

// In the order of the JSON "enhancement" block, the printed line and the study table's columns.
inline const std::vector<OutputReporting>& output_reporting() {
  static const std::vector<OutputReporting> reporting{
      {"uptake_fraction", "uptake", "uptake", "uptake", true, false, "uptake"},
      {"dermal_delivery_fraction", "dermal delivery", "potentially_absorbable", "dermal_delivery", true, true,
       "dermal deliv.", "dermal", true},
      {"cumulative_permeated", "permeated", nullptr, "cumulative_permeated"},
      {"flux_max", "peak flux", nullptr, "flux_max"},
  };
  return reporting;
}

// "enhancement_dermal_delivery": the study table column and population band of a ratio.
inline std::string enhancement_name(const OutputReporting& r) {
  return std::string("enhancement_") + r.enhancement_key;
}

// The compartments whose share of the dose the study table also gives at each report time
// (fraction_<compartment>_at_<t>h): where the active is once it has left the stratum corneum;
// with the heading of their column in `poreflux sweep`'s terminal table (nullptr: not shown;
// those shown are also the study report's heat maps at a report time).
struct ReportTimeCompartment {
  const char* name;
  const char* terminal_heading;
};
inline const std::vector<ReportTimeCompartment>& report_time_compartments() {
  static const std::vector<ReportTimeCompartment> compartments{
      {"viable_epidermis", "VE"}, {"dermis", nullptr}, {"receptor", nullptr}, {"systemic", "systemic"}};
  return compartments;
}

// An output's value as a fraction of the dose, the scale on which enhancement ratios are floored:
// shares as they are, amounts per area over the dose, fluxes per area times the duration over
// the dose. NaN for units with no such reading (an enhancement of a time is not declared).
inline double as_fraction_of_dose(const ScalarOutput& o, double value, double dose_ug_per_cm2, double duration_h) {
  const std::string unit = o.unit;
  if (unit == "1") return value;
  if (unit == "ug/cm2") return value / dose_ug_per_cm2;
  if (unit == "ug/cm2/h") return value * (duration_h / dose_ug_per_cm2);
  return output_detail::kNaN;
}

// "_at_24h": the suffix of a column sampled at `hours_text` ("24 h").
inline std::string at_time_suffix(const std::string& hours_text) {
  return "_at_" + hours_text.substr(0, hours_text.size() - 2) + "h";
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
