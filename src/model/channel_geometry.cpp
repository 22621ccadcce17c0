#include "channel_geometry.hpp"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>

namespace poreflux::model {
namespace {
constexpr double kPi = 3.14159265358979323846;
std::string um(double cm) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.1f um", cm * 1e4);
  return buf;
}
}  // namespace

ChannelGeometry ChannelGeometry::from(const TreatmentSpec& t) {
  ChannelGeometry g;
  g.depth_cm = t.channel_depth_cm.value;
  g.surface_radius_cm = 0.5 * t.channel_diameter_cm.value;
  g.cone = t.shape == ChannelShape::cone;
  g.tip_radius_cm = g.cone ? 0.5 * t.tip_diameter_cm : g.surface_radius_cm;
  g.density_per_cm2 = t.density_per_cm2.value;
  g.lattice = t.lattice;
  return g;
}

double ChannelGeometry::pitch_cm() const {
  return lattice == Lattice::square ? 1.0 / std::sqrt(density_per_cm2)
                                    : std::sqrt(2.0 / (std::sqrt(3.0) * density_per_cm2));
}

double ChannelGeometry::equal_area_radius_cm() const { return 1.0 / std::sqrt(kPi * density_per_cm2); }

double ChannelGeometry::radius_at(double z_cm) const {
  if (z_cm < 0.0 || z_cm > depth_cm) return 0.0;
  if (!cone) return surface_radius_cm;
  return surface_radius_cm + (tip_radius_cm - surface_radius_cm) * (z_cm / depth_cm);
}

double ChannelGeometry::volume_cm3() const {
  const double a = surface_radius_cm, b = tip_radius_cm;
  return kPi * depth_cm * (a * a + a * b + b * b) / 3.0;  // frustum; a == b gives the cylinder
}

void ChannelGeometry::check(const std::vector<LayerSpec>& layers) const {
  double total = 0.0;
  for (const LayerSpec& l : layers) total += l.thickness_cm;
  if (!(depth_cm > 0.0) || !(surface_radius_cm > 0.0) || !(density_per_cm2 > 0.0))
    throw std::invalid_argument("channel depth, diameter and density must be positive");
  if (depth_cm >= total)
    throw std::invalid_argument("the channel (" + um(depth_cm) + " deep) would reach through the modelled skin (" +
                                um(total) + "); use a shorter channel or a thicker dermis");
  if (!layers.empty() && depth_cm < layers.front().thickness_cm * (1.0 - 1e-9))
    throw std::invalid_argument("the channel (" + um(depth_cm) + " deep) does not cross the stratum corneum (" +
                                um(layers.front().thickness_cm) + ")");
  if (2.0 * surface_radius_cm >= pitch_cm())
    throw std::invalid_argument("channels of " + um(2.0 * surface_radius_cm) + " diameter overlap at a pitch of " +
                                um(pitch_cm()) + " (" + std::to_string(density_per_cm2) + " per cm2)");
}

}  // namespace poreflux::model
