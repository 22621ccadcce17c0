// The vehicle film's history (MODEL.md §3): how its capacity for the active changes as its
// volatile components evaporate, and the events that add or remove formulation. Plain host
// data, built before the run from the vehicle's composition (src/vehicle); the transport then
// integrates the active against it. No Thrust, no CUDA, no TOML here.
//
// Units and reference. The film's state slot holds s = amount / V_ref [ug/cm³], V_ref being the
// first application's film volume (after any channel filling). Activities are vehicle-equivalent
// concentrations of the applied vehicle (what the tissue partitions are relative to). The film
// behaves as a well-mixed cell of volume V_ref whose partition K_f(t) = V(t) K_vw(t) /
// (V_ref K_vw,ref) is its *capacity*: dissolved, its activity is a = s / K_f. Once a reaches
// the saturation activity a_sat (the solubility in the applied vehicle times the tolerated
// degree of saturation), the excess is a deposit and a stays at a_sat: thermodynamically a
// saturated solution in any composition has the activity of the solid, so with K_vw = S_v / S_w
// (the partition the composition sets) a_sat is the same whatever the film has become.
#pragma once

#include <cstddef>
#include <limits>
#include <string>
#include <vector>

namespace poreflux {

// One stretch of the film between two events: capacity K_f and volume ratio V / V_ref at knots,
// with their time derivatives, for cubic Hermite interpolation (C¹, so the error-controlled
// integrators see a smooth coefficient).
struct FilmSegment {
  double start_s = 0.0, end_s = 0.0;
  std::vector<double> t_s;
  std::vector<double> capacity, capacity_rate_per_s;
  std::vector<double> volume_ratio, volume_ratio_rate_per_s;
  // The film is dry from this time on (99 % of the volatile liquid the segment loses has gone,
  // and it has stopped evaporating); infinity: not within the segment. Channels stop being fed.
  double dry_from_s = std::numeric_limits<double>::infinity();
  // The stratum corneum is partially hydrated from this time on (MODEL.md §3): open skin once
  // the film's water has gone, or from the start under a neat or volatile-solvent dose;
  // infinity: fully hydrated throughout the segment (occlusion, an aqueous film, [skin]
  // hydration = "full").
  double dehydrated_from_s = std::numeric_limits<double>::infinity();
};

// What happens to the film at an event, in this order: a fraction is washed off (its dissolved
// and deposited active go to "removed"), then formulation is applied (the active to the film).
struct FilmEvent {
  double time_s = 0.0;
  double removed_fraction = 0.0;        // 0..1
  double added_state_ug_per_cm3 = 0.0;  // added to s: applied amount / V_ref
  int application = -1;                 // index of the application it starts, or -1 (a wash only)
  std::string what;                     // "application 2", "wash (90 %)", for messages
};

struct FilmHistory {
  std::vector<FilmSegment> segments;                                     // segments[i] ends where events[i] happens
  std::vector<FilmEvent> events;                                         // events[i] at segments[i + 1].start_s
  double saturation_activity = std::numeric_limits<double>::infinity();  // a_sat [ug/cm³]
  // The solubility in the applied vehicle as an activity, S_ref (a_sat = supersaturation
  // limit x S_ref) [ug/cm³]; +inf when unknown. For the reported degree of saturation.
  double solubility_activity = std::numeric_limits<double>::infinity();
  // The active's own evaporation: flux per area per unit of activity [cm/s] (0: not volatile,
  // or occluded). Evaporation rate [ug/s] = this x top area x a.
  double active_evaporation_cm_per_s = 0.0;
  // A dried deposit (the film dry, docs/VEHICLES.md): the activity it holds against the skin and
  // the share of the surface conductance it keeps ([vehicle] deposit). +inf / 1: as a saturated
  // liquid film.
  double dry_deposit_activity = std::numeric_limits<double>::infinity();
  // Transfer resistance of a dried deposit [s/cm per unit of vehicle-equivalent activity]: 1 /
  // its transfer coefficient; 0: none (the deposit is in full contact).
  double dry_deposit_resistance_s_per_cm = 0.0;
  // A particulate dry deposit ([vehicle] deposit_contact = "particles"): the amount per area
  // [ug/cm2] at which it covers the whole surface; below, it covers (M / this)^(2/3) of it
  // (crystals whose number is fixed as they dissolve: Hixson-Crowell) and presents its activity
  // over that share of the surface. 0: always in full contact.
  double deposit_full_coverage_ug_per_cm2 = 0.0;
  // The fraction of its volatile loss still to go at which a film counts as dry.
  static constexpr double kDryFraction = 0.01;

  // A film that keeps its volume and composition: K_f = 1 over [0, duration].
  static FilmHistory constant(double duration_s);
  // The same, wiped off completely at wipe_s: nothing is left on the surface afterwards.
  static FilmHistory constant_until_wiped(double duration_s, double wipe_s);

  // Values inside segment `segment` (t is clamped to it): the end of a segment is evaluated
  // before its event, the start after the previous one.
  double capacity(std::size_t segment, double t_s) const;
  double volume_ratio(std::size_t segment, double t_s) const;
  bool liquid(std::size_t segment, double t_s) const { return t_s < segments[segment].dry_from_s; }
  bool sc_hydrated(std::size_t segment, double t_s) const { return t_s < segments[segment].dehydrated_from_s; }
  // The saturation activity in force: the liquid's, or once dry the deposit's.
  double saturation_at(std::size_t segment, double t_s) const {
    return liquid(segment, t_s) || !(dry_deposit_activity < std::numeric_limits<double>::infinity())
               ? saturation_activity
               : dry_deposit_activity;
  }
  bool can_saturate() const { return saturation_activity < std::numeric_limits<double>::infinity(); }
  // Throws std::invalid_argument when segments and events do not fit together.
  void validate(double duration_s) const;
};

}  // namespace poreflux
