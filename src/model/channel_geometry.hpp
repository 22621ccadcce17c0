// The shape and spacing of microneedle channels (MODEL.md §1), independent of the grid.
#pragma once

#include <vector>

#include "poreflux/study.hpp"

namespace poreflux::model {

struct ChannelGeometry {
  double depth_cm = 0.0;
  double surface_radius_cm = 0.0;
  double tip_radius_cm = 0.0;  // cone: radius at the channel bottom
  bool cone = false;
  double density_per_cm2 = 0.0;
  Lattice lattice = Lattice::square;

  static ChannelGeometry from(const TreatmentSpec& treatment);

  // Lattice spacing: square 1/sqrt(n); hexagonal sqrt(2 / (sqrt(3) n)).
  double pitch_cm() const;
  // Radius of the circle with the area per channel, 1/sqrt(pi n) (the axisymmetric cell).
  double equal_area_radius_cm() const;
  // Channel radius at depth z; zero below the channel.
  double radius_at(double z_cm) const;
  // Open channel volume per channel [cm³].
  double volume_cm3() const;

  // Refuses geometry the grid cannot hold: deeper than the skin, not through the stratum
  // corneum, or channels touching each other. Throws std::invalid_argument saying why.
  void check(const std::vector<LayerSpec>& layers) const;
};

}  // namespace poreflux::model
