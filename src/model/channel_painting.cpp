#include "channel_painting.hpp"

#include <algorithm>
#include <cstdio>
#include <stdexcept>
#include <string>

#include "graded_axis.hpp"
#include "layered_skin.hpp"

namespace poreflux::model {

DiscreteProblem treated_skeleton(const Study& study, const ChannelGeometry& g, std::vector<int>& channel_material) {
  const TreatmentSpec& t = *study.treatment;
  DiscreteProblem p = layered_problem_skeleton(study);
  const DepthGrid depth = make_depth_grid(study.layers, {g.depth_cm});
  p.dz = depth.dz;
  p.layer_of_z = depth.layer_of_z;
  channel_material.assign(study.layers.size(), -1);
  double top = 0.0;
  for (std::size_t l = 0; l < study.layers.size(); ++l) {
    if (top < g.depth_cm) {
      Material m;
      m.name = "channel in " + study.layers[l].name;
      m.diffusivity_cm2_s = t.channel_diffusivity_cm2_s->value;
      m.partition = t.channel_partition;
      // Formulation in the channel degrades as in the film; interstitial fluid as the tissue.
      m.degradation_per_s = t.formulation_filled ? study.vehicle.degradation_per_s : study.layers[l].degradation_per_s;
      m.clearance_per_s = 0.0;  // blends in from the tissue as the channel closes
      m.closes_into = static_cast<int>(l);
      channel_material[l] = static_cast<int>(p.materials.size());
      p.materials.push_back(m);
    }
    top += study.layers[l].thickness_cm;
  }
  p.closure_tau_s = t.closure_tau_s.value;
  p.needling_times_s = t.repeat_at_s;
  return p;
}

void paint_channels(DiscreteProblem& p, const std::vector<ChannelAxis>& axes, const ChannelGeometry& g,
                    const std::vector<int>& channel_material) {
  const std::vector<double> xc = cell_centres(p.dx);
  const std::vector<double> yc = p.geometry == Geometry::axisymmetric ? std::vector<double>{0.0} : cell_centres(p.dy);
  const std::vector<double> zc = cell_centres(p.dz);
  auto first_at_or_above = [](const std::vector<double>& c, double v) {
    return static_cast<int>(std::lower_bound(c.begin(), c.end(), v) - c.begin());
  };
  for (int k = 0; k < p.nz(); ++k) {
    const double r = g.radius_at(zc[k]);
    if (r <= 0.0) continue;
    const int m = channel_material[p.layer_of_z[k]];
    for (const ChannelAxis& a : axes) {
      // Only the bounding box of the circle is visited: patches hold thousands of channels.
      const int i0 = first_at_or_above(xc, a.x_cm - r), i1 = first_at_or_above(xc, a.x_cm + r);
      const int j0 = first_at_or_above(yc, a.y_cm - r), j1 = first_at_or_above(yc, a.y_cm + r);
      for (int j = j0; j < std::min(j1, p.ny()); ++j)
        for (int i = i0; i < std::min(i1, p.nx()); ++i) {
          const double ddx = xc[i] - a.x_cm, ddy = yc[j] - a.y_cm;
          if (ddx * ddx + ddy * ddy < r * r) p.material[p.index(i, j, k)] = static_cast<std::uint8_t>(m);
        }
    }
  }
}

void fill_channels_from_film(DiscreteProblem& p, bool formulation_filled) {
  const double area = p.top_area_cm2();
  p.applied_ug = p.vehicle_concentration * p.film_thickness_cm * area;
  if (!formulation_filled) return;
  const std::vector<double> xm = p.x_measure();
  p.initial_concentration.assign(p.cell_count(), 0.0);
  double channel_volume = 0.0;
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) {
        const std::size_t c = p.index(i, j, k);
        const Material& m = p.materials[p.material[c]];
        if (m.closes_into < 0) continue;
        p.initial_concentration[c] = m.partition * p.vehicle_concentration;
        channel_volume += xm[i] * p.dy[j] * p.dz[k];
      }
  const double film_left = p.film_thickness_cm - channel_volume / area;
  if (!(film_left > 0.0)) {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "the applied film (%.3g um, i.e. %.3g uL/cm2) cannot fill the channels (%.3g um of film); "
                  "apply more formulation or use filling = \"drained\"",
                  p.film_thickness_cm * 1e4, p.film_thickness_cm * 1e3, channel_volume / area * 1e4);
    throw std::invalid_argument(buf);
  }
  p.film_thickness_cm = film_left;
  // The dose is what the film and the filled channels hold at t = 0. With a channel partition
  // of 1 (the default) that equals the film as applied.
  double filled = 0.0;
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) filled += p.initial_concentration[p.index(i, j, k)] * xm[i] * p.dy[j] * p.dz[k];
  p.applied_ug = p.vehicle_concentration * film_left * area + filled;
}

}  // namespace poreflux::model
