// What a run produces, per scenario (intact, later treated): time series of amounts in every
// compartment, permeation, depth profiles, and the end-of-run figures. Host data only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "poreflux/backend.hpp"

namespace poreflux {

// Compartments reported, in this order, as amounts per skin area [ug/cm²].
// Skin layers appear under their role names; a role a study lacks stays zero.
inline const std::vector<std::string>& compartment_names() {
  // "vehicle" is the active dissolved in the film; "deposit" what lies on the skin
  // undissolved (crystals out of a saturated film, or the residue of a dried film); "evaporated" the active that left
  // into the air. (New names go last, so earlier columns keep their places.)
  static const std::vector<std::string> names{"vehicle", "removed",  "degraded", "stratum_corneum", "viable_epidermis",
                                              "dermis",  "receptor", "systemic", "evaporated",      "deposit"};
  return names;
}

// The OECD TG 428 / SCCS categories studies report in (MODEL.md §6), each a sum of the
// compartments above: one declaration that the summary, the HDF5 file, the JSON and `poreflux
// qualify` read. "absorbed" is receptor + systemic; "uptake" is disappearance from the surface.
struct ReportedCategory {
  const char* name;
  const char* description;
  std::vector<const char*> compartments;
};
inline const std::vector<ReportedCategory>& oecd_categories() {
  static const std::vector<ReportedCategory> categories{
      {"dislodgeable", "on the surface (film and deposit) and washed or wiped off", {"vehicle", "deposit", "removed"}},
      {"stratum_corneum", "stratum corneum (not absorbed in the SCCS sense)", {"stratum_corneum"}},
      {"epidermis", "viable epidermis", {"viable_epidermis"}},
      {"dermis", "dermis", {"dermis"}},
      {"skin", "stratum corneum + epidermis + dermis", {"stratum_corneum", "viable_epidermis", "dermis"}},
      {"receptor", "receptor fluid (in vitro)", {"receptor"}},
      {"absorbed", "receptor fluid + systemic (cleared into the blood in vivo)", {"receptor", "systemic"}},
      {"potentially_absorbable",
       "epidermis + dermis + receptor + systemic (SCCS; 'dermal delivery')",
       {"viable_epidermis", "dermis", "receptor", "systemic"}},
      {"uptake",
       "stratum corneum + potentially absorbable: disappearance from the surface",
       {"stratum_corneum", "viable_epidermis", "dermis", "receptor", "systemic"}},
  };
  return categories;
}

// A lag time is reported when the permeation flux stayed within this fraction of its peak for
// at least as long as the lag time itself: for an infinite dose on a membrane the flux is within
// 5 % of steady from 2.24 lag times on, so this asks for a run of >= 3.2 lag times (MODEL.md §6).
constexpr double kLagPlateauFraction = 0.95;
inline const char* lag_time_criterion() {
  return "flux within 5 % of its peak for at least one lag time (tangent at the peak flux meets Q = 0)";
}

struct ScenarioSummary {
  std::vector<double> fraction_of_dose;          // by compartment_names(), 0..1 of the applied dose
  double uptake_fraction = 0.0;                  // SC + VE + dermis + receptor + systemic
  double dermal_delivery_fraction = 0.0;         // VE + dermis + receptor + systemic
  double cumulative_permeated_ug_per_cm2 = 0.0;  // receptor + systemic at the end
  double flux_max_ug_per_cm2_h = 0.0;            // largest permeation flux of the continuous solution
  double t_flux_max_h = 0.0;
  // Tangent at peak flux meets Q = 0, reported only when a steady state was approached
  // (lag_time_criterion()); otherwise none, and lag_time_note says why.
  std::optional<double> lag_time_h;
  std::string lag_time_note;
  double mass_balance_error = 0.0;      // largest |balance| / dose over the output times
  std::vector<double> oecd_ug_per_cm2;  // by oecd_categories(), at the end of the run
};

// Pictures of the concentration around a channel at every output time (float32: they are for
// looking at, and patches make them large).
struct ChannelSlices {
  int row_j = 0;                          // the y row of the x-z slice (through a channel axis)
  std::vector<double> x_um, y_um, z_um;   // cell centres
  std::vector<double> top_view_depth_um;  // depths of the top views (cell centres)
  std::vector<int> top_view_k;
  std::vector<std::vector<float>> xz_ug_per_cm3;        // [time][z][x]
  std::vector<std::vector<float>> top_view_ug_per_cm3;  // [time][depth][y][x]
  std::vector<std::uint8_t> channel_map;                // [y][x]: 1 where the surface is open at t = 0
};

// The film's figures for one application (MODEL.md §3), from every step of the run.
struct FilmApplicationSummary {
  double applied_at_h = 0.0;
  double dose_ug_per_cm2 = 0.0;
  std::optional<double> dry_after_h;               // 99 % of the volatile liquid it loses gone; none: stayed liquid
  std::optional<double> sc_partial_after_h;        // the SC partially hydrated from then on; none: stayed hydrated
  double vehicle_evaporated_fraction = 0.0;        // of the film volume present after the application
  std::optional<double> max_degree_of_saturation;  // dissolved concentration / solubility; none: solubility unknown
  std::optional<double> saturated_after_h;         // first reached saturation (a deposit forms)
  double max_deposit_ug_per_cm2 = 0.0;             // largest undissolved amount on the skin
};

struct ScenarioResult;
// A category's amount [ug/cm2] at output `k` (never below zero: round-off in an emptied
// compartment is no amount).
double category_amount_ug_per_cm2(const ScenarioResult& s, const ReportedCategory& category, std::size_t k);

struct ScenarioResult {
  std::string name;  // "intact" or "treated"
  std::vector<double> times_s;
  std::vector<std::vector<double>> amounts_ug_per_cm2;        // [compartment][time]
  std::vector<double> supplied_ug_per_cm2;                    // drawn from an infinite dose [time]
  std::vector<double> permeated_ug_per_cm2;                   // receptor + systemic [time]
  std::vector<double> flux_ug_per_cm2_h;                      // permeation flux at each time
  std::vector<double> mass_balance_error;                     // (amount now - applied so far - supplied) / total dose
  std::vector<double> film_volume_uL_per_cm2;                 // the film's liquid volume per area [time]
  std::vector<double> depth_um;                               // z cell centres
  std::vector<std::vector<double>> depth_profile_ug_per_cm3;  // [time][z], laterally averaged C
  ScenarioSummary summary;
  std::vector<FilmApplicationSummary> applications;  // one per application, in time order
  double total_dose_ug_per_cm2 = 0.0;                // every application; fractions are of this
  SolverStats solver;
  std::optional<ChannelSlices> slices;  // treated scenarios
};

// The treated scenario's channel geometry, as reported in the summary.
struct GeometrySummary {
  std::string domain;  // "unit_cell", "axisymmetric", "patch"
  double channels_per_cm2 = 0.0;
  double channel_depth_um = 0.0;
  double channel_diameter_um = 0.0;
  std::size_t cells = 0;  // of the treated grid
};

struct RunResult {
  std::string backend;  // name actually used
  std::string backend_description;
  double applied_ug_per_cm2 = 0.0;
  double duration_h = 0.0;
  std::vector<ScenarioResult> scenarios;
  std::optional<GeometrySummary> geometry;  // treated studies only
};

}  // namespace poreflux
