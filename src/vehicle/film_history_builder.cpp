#include "film_history_builder.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>

#include <boost/numeric/odeint/integrate/integrate_adaptive.hpp>
#include <boost/numeric/odeint/stepper/generation.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta_dopri5.hpp>

#include "film_composition.hpp"

namespace poreflux::vehicle {
namespace {

using Thickness = std::vector<double>;
constexpr double kTolerance = 1e-10;  // of the composition ODE: far below the transport's

struct Composition {
  std::vector<VehicleComponent> components;
  bool keeps_volume = false;  // no composition given: one non-volatile liquid of constant K_vw
  int water = -1;             // the water component, if any
};

// An aqueous film wets the skin (keeps the stratum corneum fully hydrated) while water is at
// least half of its volume (MODEL.md §3); a film of no given composition is an aqueous donor.
constexpr double kWettingWaterFraction = 0.5;
double water_fraction(const Composition& c, const std::vector<double>& h) {
  if (c.keeps_volume) return 1.0;
  double total = 0.0;
  for (double x : h) total += std::max(x, 0.0);
  return c.water >= 0 && total > 0.0 ? std::max(h[static_cast<std::size_t>(c.water)], 0.0) / total : 0.0;
}

double capacity_cm(const Composition& c, const Thickness& h, const FilmPlan& plan) {
  if (c.keeps_volume) return std::max(h[0], 0.0);
  return water_equivalent_capacity_cm(c.components, h, plan.log_kow, plan.fraction_non_ionised);
}

Thickness rates(const Composition& c, const Thickness& h, const FilmPlan& plan) {
  if (c.keeps_volume) return Thickness(1, 0.0);
  return evaporation_rates(c.components, h, plan.environment);
}

double volatile_cm(const Composition& c, const Thickness& h) {
  double v = 0.0;
  for (std::size_t i = 0; i < c.components.size(); ++i)
    if (is_volatile(c.components[i])) v += std::max(h[i], 0.0);
  return v;
}

double total_cm(const Thickness& h) {
  double v = 0.0;
  for (double x : h) v += std::max(x, 0.0);
  return v;
}

// One knot: capacity and volume relative to the reference, with their time derivatives (the
// capacity's by a central difference along the evaporation direction).
void add_knot(FilmSegment& seg, double t, const Composition& c, const Thickness& h, const FilmPlan& plan,
              double cap_ref) {
  const Thickness r = rates(c, h, plan);
  double speed = 0.0, scale = 0.0;
  for (std::size_t i = 0; i < h.size(); ++i) {
    speed = std::max(speed, std::fabs(r[i]));
    scale = std::max(scale, std::fabs(h[i]));
  }
  double slope = 0.0, volume_slope = 0.0;
  if (speed > 0.0) {
    const double eps = 1e-7 * scale / speed;
    Thickness up = h, down = h;
    for (std::size_t i = 0; i < h.size(); ++i) {
      up[i] += eps * r[i];
      down[i] -= eps * r[i];
      volume_slope += r[i];
    }
    slope = (capacity_cm(c, up, plan) - capacity_cm(c, down, plan)) / (2.0 * eps);
  }
  seg.t_s.push_back(t);
  seg.capacity.push_back(capacity_cm(c, h, plan) / cap_ref);
  seg.capacity_rate_per_s.push_back(slope / cap_ref);
  seg.volume_ratio.push_back(total_cm(h) / plan.reference_thickness_cm);
  seg.volume_ratio_rate_per_s.push_back(volume_slope / plan.reference_thickness_cm);
}

// When the stratum corneum under this segment's film becomes partially hydrated: from the start
// for hydration = "partial"; never under occlusion, an infinite dose or "full"; from the start
// for an emptied surface or a film that is not aqueous; else where the film's water share falls
// below half.
double dehydration_time(const FilmSegment& seg, const std::vector<double>& water_at, bool empty, const FilmPlan& plan) {
  constexpr double never = std::numeric_limits<double>::infinity();
  if (plan.hydration == "partial") return seg.start_s;  // as the user says, whatever the film
  if (plan.hydration == "full" || plan.environment.occluded || plan.infinite_dose) return never;
  if (empty || water_at.front() < kWettingWaterFraction) return seg.start_s;
  for (std::size_t k = 1; k < water_at.size(); ++k)
    if (water_at[k] < kWettingWaterFraction) {
      const double w0 = water_at[k - 1], w1 = water_at[k];
      const double w = (w0 - kWettingWaterFraction) / (w0 - w1);
      return seg.t_s[k - 1] + w * (seg.t_s[k] - seg.t_s[k - 1]);
    }
  return never;
}

// Integrates the composition over [a, b], one knot per accepted step. The film counts as dry
// from when 99 % of the volatile liquid it loses in the interval has gone, provided it has
// stopped evaporating by the end (its rate below 1 % of the start's); a hygroscopic residue
// keeps the water it holds at the room's humidity, which never leaves.
FilmSegment integrate_segment(const Composition& c, Thickness& h, double a, double b, const FilmPlan& plan,
                              double cap_ref) {
  namespace odeint = boost::numeric::odeint;
  FilmSegment seg;
  seg.start_s = a;
  seg.end_s = b;
  if (total_cm(h) <= 0.0) seg.dry_from_s = a;  // nothing on the surface (washed off)
  auto loss_rate = [&](const Thickness& x) {
    const Thickness r = rates(c, x, plan);
    double sum = 0.0;
    for (double v : r) sum += v;
    return -sum;
  };
  const double volatile0 = volatile_cm(c, h), rate0 = loss_rate(h);
  std::vector<double> volatile_at{volatile0};
  std::vector<double> water_at{water_fraction(c, h)};
  add_knot(seg, a, c, h, plan, cap_ref);
  const Thickness r0 = rates(c, h, plan);
  if (std::any_of(r0.begin(), r0.end(), [](double x) { return x != 0.0; })) {
    auto system = [&](const Thickness& x, Thickness& dxdt, double) { dxdt = rates(c, x, plan); };
    auto observer = [&](const Thickness& x, double t) {
      if (t == a) return;
      Thickness clamped = x;
      for (double& v : clamped) v = std::max(v, 0.0);
      add_knot(seg, t, c, clamped, plan, cap_ref);
      volatile_at.push_back(volatile_cm(c, clamped));
      water_at.push_back(water_fraction(c, clamped));
    };
    const double scale = std::max(total_cm(h), 1e-12);
    odeint::integrate_adaptive(
        odeint::make_controlled(kTolerance * scale, kTolerance, odeint::runge_kutta_dopri5<Thickness>()), system, h, a,
        b, std::min(1.0, (b - a) / 100.0), observer);
    for (double& v : h) v = std::max(v, 0.0);
  }
  if (seg.t_s.back() < b) {
    add_knot(seg, b, c, h, plan, cap_ref);
    volatile_at.push_back(volatile_cm(c, h));
    water_at.push_back(water_fraction(c, h));
  }
  seg.dehydrated_from_s = dehydration_time(seg, water_at, total_cm(h) <= 0.0, plan);
  const double volatile_end = volatile_at.back(), lost = volatile0 - volatile_end;
  if (volatile0 > 0.0 && lost > 0.0 && loss_rate(h) <= 0.01 * rate0) {
    const double threshold = volatile_end + FilmHistory::kDryFraction * lost;
    for (std::size_t k = 1; k < volatile_at.size(); ++k)
      if (volatile_at[k] <= threshold) {
        const double v0 = volatile_at[k - 1], v1 = volatile_at[k];
        const double w = v0 > v1 ? (v0 - threshold) / (v0 - v1) : 1.0;
        seg.dry_from_s = seg.t_s[k - 1] + w * (seg.t_s[k] - seg.t_s[k - 1]);
        break;
      }
  }
  return seg;
}

}  // namespace

FilmHistory build_film_history(const FilmPlan& plan) {
  Composition c;
  Thickness h;
  if (plan.composition) {
    c.components = plan.composition->components;
    for (std::size_t i = 0; i < c.components.size(); ++i)
      if (c.components[i].name == "water") c.water = static_cast<int>(i);
    for (double f : plan.composition->volume_fractions) h.push_back(f * plan.reference_thickness_cm);
  } else {
    c.keeps_volume = true;
    h = {plan.reference_thickness_cm};
  }
  const double cap_ref = capacity_cm(c, h, plan);

  // Events in time order; a wash at the time of an application comes first.
  struct Pending {
    double t;
    const WashSpec* wash;
    const ApplicationSpec* application;
  };
  std::vector<Pending> pending;
  for (const WashSpec& w : plan.washes) pending.push_back({w.time_s, &w, nullptr});
  for (const ApplicationSpec& a : plan.applications) pending.push_back({a.time_s, nullptr, &a});
  std::stable_sort(pending.begin(), pending.end(),
                   [](const Pending& p, const Pending& q) { return p.t < q.t || (p.t == q.t && p.wash && !q.wash); });

  FilmHistory history;
  history.saturation_activity = plan.saturation_activity;
  history.solubility_activity = plan.solubility_activity;
  history.active_evaporation_cm_per_s = plan.environment.occluded ? 0.0 : plan.active_evaporation_cm_per_s;
  if (plan.dry_deposit_activity > 0.0) history.dry_deposit_activity = plan.dry_deposit_activity;
  history.dry_deposit_resistance_s_per_cm = plan.dry_deposit_resistance_s_per_cm;
  history.deposit_full_coverage_ug_per_cm2 = plan.deposit_full_coverage_ug_per_cm2;
  double a = 0.0;
  int application = 0;
  for (const Pending& p : pending) {
    history.segments.push_back(integrate_segment(c, h, a, p.t, plan, cap_ref));
    FilmEvent e;
    e.time_s = p.t;
    if (p.wash) {
      e.removed_fraction = p.wash->efficiency;
      for (double& v : h) v *= 1.0 - p.wash->efficiency;
      char buf[48];
      std::snprintf(buf, sizeof buf, "wash (%.3g %% removed)", 100.0 * p.wash->efficiency);
      e.what = buf;
    } else {
      const ApplicationSpec& ap = *p.application;
      const std::vector<double> fractions =
          plan.composition ? plan.composition->volume_fractions : std::vector<double>{1.0};
      for (std::size_t i = 0; i < h.size(); ++i) h[i] += fractions[i] * ap.film_thickness_cm;
      e.added_state_ug_per_cm3 = ap.concentration_ug_per_cm3 * ap.film_thickness_cm / plan.reference_thickness_cm;
      e.application = ++application;
      e.what = "application " + std::to_string(application + 1);
    }
    history.events.push_back(e);
    a = p.t;
  }
  history.segments.push_back(integrate_segment(c, h, a, plan.duration_s, plan, cap_ref));
  history.validate(plan.duration_s);
  return history;
}

double active_evaporation_cm_per_s(double vapour_pressure_pa, double molar_mass_g_per_mol, double solubility_ug_per_cm3,
                                   const FilmEnvironment& env) {
  if (!(vapour_pressure_pa > 0.0) || env.occluded) return 0.0;
  VehicleComponent active;
  active.molar_mass_g_per_mol = molar_mass_g_per_mol;
  // Diffusivity in air scaled from water's by Graham's law (an estimate; docs/VEHICLES.md).
  active.air_diffusivity_cm2_s = 0.26 * std::sqrt(18.015 / molar_mass_g_per_mol);
  const double vapour_ug_per_cm3 =
      vapour_pressure_pa * molar_mass_g_per_mol / (8.314462618 * kSkinTemperatureK);  // g/m³ = ug/cm³
  return mass_transfer_cm_s(active, env) * vapour_ug_per_cm3 / solubility_ug_per_cm3;
}

FilmPlan film_plan(const Study& study, double reference_thickness_cm) {
  FilmPlan plan;
  const VehicleSpec& v = study.vehicle;
  plan.composition = v.composition;
  plan.environment = study.protocol.environment;
  plan.log_kow = v.active.log_kow;
  plan.fraction_non_ionised = v.active.fraction_non_ionised;
  plan.reference_thickness_cm = reference_thickness_cm;
  plan.applications = study.protocol.applications;
  plan.washes = study.protocol.washes;
  if (study.protocol.wipe_time_s) {  // a wipe is a complete wash
    plan.washes.push_back({*study.protocol.wipe_time_s, 1.0});
    std::stable_sort(plan.washes.begin(), plan.washes.end(),
                     [](const WashSpec& a, const WashSpec& b) { return a.time_s < b.time_s; });
  }
  plan.duration_s = study.protocol.duration_s;
  plan.saturation_activity = v.solubility_ug_per_cm3 && v.mode == DoseMode::finite
                                 ? v.supersaturation_limit * v.solubility_ug_per_cm3->value
                                 : std::numeric_limits<double>::infinity();
  plan.solubility_activity = v.solubility_ug_per_cm3 && v.mode == DoseMode::finite
                                 ? v.solubility_ug_per_cm3->value
                                 : std::numeric_limits<double>::infinity();
  // No film drives the SC above the active's density (MODEL.md §3).
  if (v.active.density_cap_activity > 0.0)
    plan.saturation_activity = std::min(plan.saturation_activity, v.active.density_cap_activity);
  plan.active_evaporation_cm_per_s = v.active.evaporation_cm_per_s;
  plan.hydration = study.parameter_model.sc_hydration;
  plan.infinite_dose = v.mode == DoseMode::infinite;
  plan.dry_deposit_activity = v.active.dry_deposit_activity;
  plan.dry_deposit_resistance_s_per_cm = v.active.dry_deposit_resistance_s_per_cm;
  plan.deposit_full_coverage_ug_per_cm2 = v.active.deposit_full_coverage_ug_per_cm2;
  return plan;
}

}  // namespace poreflux::vehicle
