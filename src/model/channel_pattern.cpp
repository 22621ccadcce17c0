#include "channel_pattern.hpp"

#include <cmath>
#include <random>

namespace poreflux::model {
namespace {

constexpr double kPi = 3.14159265358979323846;

// Positions of a lattice with spacings (sx, sy) and a row shift, offset by (ox, oy), covering
// the patch; rows alternate by `row_shift` (half a pitch for hexagonal lattices).
void add_lattice(std::vector<ChannelAxis>& out, double W, double L, double sx, double sy, double row_shift, double ox,
                 double oy) {
  int row = 0;
  for (double y = oy; y < L; y += sy, ++row) {
    const double shift = (row % 2) ? row_shift : 0.0;
    for (double x = std::fmod(ox + shift, sx); x < W; x += sx) out.push_back({x, y});
  }
}

}  // namespace

std::vector<ChannelAxis> channel_pattern(const TreatmentSpec& t, const ChannelGeometry& g) {
  const double W = t.patch_width_cm, L = t.patch_length_cm;
  std::mt19937_64 rng(t.seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  std::vector<ChannelAxis> axes;
  switch (t.pattern) {
    case PatternKind::lattice: {
      const double p = g.pitch_cm();
      if (t.lattice == Lattice::square) add_lattice(axes, W, L, p, p, 0.0, 0.5 * p, 0.5 * p);
      else add_lattice(axes, W, L, p, p * std::sqrt(3.0) / 2.0, 0.5 * p, 0.5 * p, 0.5 * p);
      break;
    }
    case PatternKind::roller: {
      // Needles stand in rows across the drum; a pass rolls along y. Across: drum width /
      // needles per row; along: drum circumference / rows. Each pass lands with its own phase.
      const int per_row = std::max(1, t.roller_needles / std::max(1, t.roller_rows));
      const double sx = t.drum_width_cm / per_row;
      const double sy = kPi * t.drum_diameter_cm / std::max(1, t.roller_rows);
      for (int pass = 0; pass < t.passes; ++pass) add_lattice(axes, W, L, sx, sy, 0.0, unit(rng) * sx, unit(rng) * sy);
      break;
    }
    case PatternKind::pen: {
      // A stamp places a near-square cluster of needles; stamps tile the patch at the stamp
      // density, each pass with its own phase.
      const double stamp = 1.0 / std::sqrt(t.pen_stamps_per_cm2);
      const int side = static_cast<int>(std::ceil(std::sqrt(static_cast<double>(t.pen_needles))));
      const double needle_gap = stamp / (side + 1);
      for (int pass = 0; pass < t.passes; ++pass) {
        std::vector<ChannelAxis> stamps;
        add_lattice(stamps, W + stamp, L + stamp, stamp, stamp, 0.0, unit(rng) * stamp - stamp,
                    unit(rng) * stamp - stamp);
        for (const ChannelAxis& s : stamps)
          for (int n = 0; n < t.pen_needles; ++n)
            axes.push_back({s.x_cm + (n % side + 1) * needle_gap, s.y_cm + (n / side + 1) * needle_gap});
      }
      break;
    }
  }
  if (t.jitter_cm > 0.0) {
    std::normal_distribution<double> jitter(0.0, t.jitter_cm);
    for (ChannelAxis& a : axes) {
      a.x_cm += jitter(rng);
      a.y_cm += jitter(rng);
    }
  }
  // Keep the channels whose axis lies on the patch.
  std::vector<ChannelAxis> inside;
  for (const ChannelAxis& a : axes)
    if (a.x_cm >= 0.0 && a.x_cm < W && a.y_cm >= 0.0 && a.y_cm < L) inside.push_back(a);
  return inside;
}

}  // namespace poreflux::model
