#include "poreflux/problem.hpp"

#include <cmath>
#include <stdexcept>

namespace poreflux {

std::vector<double> DiscreteProblem::x_measure() const {
  std::vector<double> m(dx.size());
  if (geometry == Geometry::cartesian) return dx;
  // Axisymmetric: the radial measure of an annulus per radian, (r_o² - r_i²) / 2.
  double r = 0.0;
  for (std::size_t i = 0; i < dx.size(); ++i) {
    const double ro = r + dx[i];
    m[i] = 0.5 * (ro * ro - r * r);
    r = ro;
  }
  return m;
}

std::vector<double> DiscreteProblem::x_face_area() const {
  std::vector<double> a(dx.size() + 1, 1.0);
  if (geometry == Geometry::cartesian) return a;
  double r = 0.0;
  a[0] = 0.0;  // the axis
  for (std::size_t i = 0; i < dx.size(); ++i) {
    r += dx[i];
    a[i + 1] = r;  // face area per radian per unit height
  }
  return a;
}

double DiscreteProblem::top_area_cm2() const {
  double ax = 0.0, ay = 0.0;
  for (double v : x_measure()) ax += v;
  for (double v : dy) ay += v;
  return ax * ay;
}

double DiscreteProblem::cell_volume(int i, int j, int k) const {
  const double xm = geometry == Geometry::cartesian ? dx[i] : x_measure()[i];
  return xm * dy[j] * dz[k];
}

double DiscreteProblem::total_dose_ug() const {
  double dose = applied_ug;
  for (const FilmEvent& e : film.events) dose += e.added_state_ug_per_cm3 * film_thickness_cm * top_area_cm2();
  return dose;
}

double DiscreteProblem::open_fraction(double t_s, double needled_at_s) const {
  if (std::isinf(closure_tau_s)) return 1.0;
  if (closure_tau_s <= 0.0) return 0.0;
  return std::exp(-std::max(t_s - needled_at_s, 0.0) / closure_tau_s);
}

namespace {
// A material's own D and K in the stratum corneum's hydration state.
double hydrated_or_partial(double hydrated, double partial, bool sc_hydrated) {
  return !sc_hydrated && partial > 0.0 ? partial : hydrated;
}
}  // namespace

MaterialTable DiscreteProblem::coefficients_at(double t_s, bool film_liquid, double needled_at_s, bool sc_hydrated,
                                               double top_resistance) const {
  MaterialTable table;
  table.count = static_cast<int>(materials.size());
  table.top_resistance = top_resistance;
  const double f = open_fraction(t_s, needled_at_s);
  for (std::size_t m = 0; m < materials.size(); ++m) {
    const Material& mat = materials[m];
    double D = hydrated_or_partial(mat.diffusivity_cm2_s, mat.partial_diffusivity_cm2_s, sc_hydrated);
    double K = hydrated_or_partial(mat.partition, mat.partial_partition, sc_hydrated);
    double kdeg = mat.degradation_per_s, kclr = mat.clearance_per_s;
    table.top_contact[m] = 1.0;
    if (mat.closes_into >= 0) {
      // A dried film no longer feeds an open channel; the part that has closed is skin under
      // the residue like the rest of the surface (MODEL.md §3).
      if (!film_liquid) table.top_contact[m] = 1.0 - f;
      // A closing channel blends linearly from its own properties to the tissue's.
      // The state is C (amount per volume), so changing K conserves mass by construction.
      const Material& tissue = materials[static_cast<std::size_t>(mat.closes_into)];
      D = f * D +
          (1.0 - f) * hydrated_or_partial(tissue.diffusivity_cm2_s, tissue.partial_diffusivity_cm2_s, sc_hydrated);
      K = f * K + (1.0 - f) * hydrated_or_partial(tissue.partition, tissue.partial_partition, sc_hydrated);
      kdeg = f * kdeg + (1.0 - f) * tissue.degradation_per_s;
      kclr = f * kclr + (1.0 - f) * tissue.clearance_per_s;
    }
    table.half_resistance[m] = 1.0 / (2.0 * K * D);
    table.inv_partition[m] = 1.0 / K;
    table.degradation[m] = kdeg;
    table.clearance[m] = kclr;
    if (kdeg > 0.0 || kclr > 0.0) table.any_volume_sink = true;
  }
  return table;
}

void DiscreteProblem::validate() const {
  auto fail = [](const std::string& why) { throw std::invalid_argument("invalid discrete problem: " + why); };
  if (dx.empty() || dy.empty() || dz.empty()) fail("every axis needs at least one cell");
  for (const auto* axis : {&dx, &dy, &dz})
    for (double w : *axis)
      if (!(w > 0.0) || !std::isfinite(w)) fail("cell widths must be positive and finite");
  if (material.size() != cell_count()) fail("material map size differs from the cell count");
  if (materials.empty() || materials.size() > static_cast<std::size_t>(kMaxMaterials))
    fail("between 1 and " + std::to_string(kMaxMaterials) + " materials are supported");
  for (auto m : material)
    if (m >= materials.size()) fail("material map refers to an undefined material");
  for (const Material& m : materials) {
    if (!(m.diffusivity_cm2_s > 0.0) || !(m.partition > 0.0) || !std::isfinite(m.diffusivity_cm2_s) ||
        !std::isfinite(m.partition))
      fail("material '" + m.name + "' needs finite D > 0 and K > 0");
    if (!std::isfinite(m.degradation_per_s) || !std::isfinite(m.clearance_per_s) || m.degradation_per_s < 0.0 ||
        m.clearance_per_s < 0.0)
      fail("material '" + m.name + "' needs finite, non-negative rates");
    if (m.closes_into >= static_cast<int>(materials.size())) fail("closes_into out of range");
    if (!std::isfinite(m.partial_diffusivity_cm2_s) || !std::isfinite(m.partial_partition) ||
        m.partial_diffusivity_cm2_s < 0.0 || m.partial_partition < 0.0 ||
        ((m.partial_diffusivity_cm2_s > 0.0) != (m.partial_partition > 0.0)))
      fail("material '" + m.name + "' needs both partial-hydration coefficients (finite, > 0) or neither");
  }
  if (layer_of_z.size() != dz.size()) fail("layer_of_z needs one entry per z plane");
  if (!initial_concentration.empty() && initial_concentration.size() != cell_count())
    fail("initial_concentration size differs from the cell count");
  if (!(film_thickness_cm > 0.0) || !std::isfinite(film_thickness_cm))
    fail("the vehicle film must have a finite, positive thickness");
  if (!std::isfinite(vehicle_concentration) || vehicle_concentration < 0.0 || !std::isfinite(applied_ug))
    fail("the vehicle concentration and dose must be finite and >= 0");
  if (output_times_s.empty() || !(duration_s > 0.0)) fail("needs a duration and output times");
  for (std::size_t i = 0; i < needling_times_s.size(); ++i)
    if (!(needling_times_s[i] > (i ? needling_times_s[i - 1] : 0.0)) || !(needling_times_s[i] < duration_s))
      fail("needling times must increase within (0, duration)");
  if (geometry == Geometry::axisymmetric && (dy.size() != 1 || periodic_x))
    fail("an axisymmetric grid has one wedge in y and no periodic radius");
}

}  // namespace poreflux
