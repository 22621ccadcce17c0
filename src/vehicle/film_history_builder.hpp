// Builds the film's history (film.hpp) for one scenario: integrates the composition of the
// film between events with Boost.Odeint (the solvents evaporate independently of the dilute
// active, so their trajectory is known before the transport runs), and turns it into the
// capacity K_f(t) the transport integrates against, with the events and dry times.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "poreflux/film.hpp"
#include "poreflux/study.hpp"

namespace poreflux::vehicle {

struct FilmPlan {
  std::optional<VehicleComposition> composition;  // none: a film that keeps its volume
  FilmEnvironment environment;
  double log_kow = 0.0;
  double fraction_non_ionised = 1.0;
  double reference_thickness_cm = 0.0;        // the film at t = 0 (after channel filling): V_ref / area
  std::vector<ApplicationSpec> applications;  // later ones, increasing
  std::vector<WashSpec> washes;               // increasing
  double duration_s = 0.0;
  double saturation_activity = 0.0;  // a_sat [ug/cm³], +inf when unknown
  double solubility_activity = 0.0;  // S_ref [ug/cm³], +inf when unknown
  double active_evaporation_cm_per_s = 0.0;
  // The stratum corneum's hydration ([skin] hydration, MODEL.md §3): "auto" follows the film,
  // "full" and "partial" hold it.
  std::string hydration = "auto";
  bool infinite_dose = false;
  double dry_deposit_activity = 0.0;              // FilmHistory::dry_deposit_activity
  double dry_deposit_resistance_s_per_cm = 0.0;   // FilmHistory::dry_deposit_resistance_s_per_cm
  double deposit_full_coverage_ug_per_cm2 = 0.0;  // FilmHistory::deposit_full_coverage_ug_per_cm2
};

FilmHistory build_film_history(const FilmPlan& plan);

// The film plan a study asks for, for a first film of `reference_thickness_cm` (the applied
// film less what filled the channels).
FilmPlan film_plan(const Study& study, double reference_thickness_cm);

// The active's evaporation coefficient [cm/s]: flux per area per unit of activity, from its
// vapour pressure and its solubility in the applied vehicle (the activity of the pure active).
double active_evaporation_cm_per_s(double vapour_pressure_pa, double molar_mass_g_per_mol, double solubility_ug_per_cm3,
                                   const FilmEnvironment& env);

}  // namespace poreflux::vehicle
