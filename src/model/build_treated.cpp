#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "build_problem.hpp"
#include "channel_geometry.hpp"
#include "channel_painting.hpp"
#include "channel_pattern.hpp"
#include "graded_axis.hpp"
#include "grid_budget.hpp"
#include "layered_skin.hpp"

namespace poreflux::model {
namespace {

constexpr double kPi = 3.14159265358979323846;

struct LateralCells {
  double fine, coarse;
  double growth;  // width ratio of neighbouring cells between fine and coarse
};

// Automatic resolution: ~12 cells across a channel at its wall, coarse cells of a tenth of
// the pitch (at most 50 um); the user's wall_cell / lateral_max_cell win. The cells grow from
// the wall by [numerics] lateral_growth.
LateralCells lateral_cells(const Study& study, const ChannelGeometry& g) {
  const TreatmentSpec& t = *study.treatment;
  double fine = t.wall_cell_cm > 0.0 ? t.wall_cell_cm : 2.0 * g.surface_radius_cm / 12.0;
  double coarse = t.lateral_max_cell_cm > 0.0 ? t.lateral_max_cell_cm : std::min(50e-4, g.pitch_cm() / 10.0);
  coarse = std::max(coarse, fine);
  return {fine, coarse, study.numerics.lateral_growth};
}

// An axis of `length` with fine cells at each of the `walls`: each wall gets the stretch of
// axis between the midpoints to its neighbours.
std::vector<double> axis_with_walls(double length, std::vector<double> walls, const LateralCells& c) {
  std::sort(walls.begin(), walls.end());
  std::vector<double> widths;
  double start = 0.0;
  for (std::size_t w = 0; w < walls.size(); ++w) {
    const double end = w + 1 < walls.size() ? 0.5 * (walls[w] + walls[w + 1]) : length;
    const std::vector<double> part =
        graded_axis(end - start, std::clamp(walls[w] - start, 0.0, end - start), c.fine, c.coarse, c.growth);
    widths.insert(widths.end(), part.begin(), part.end());
    start = end;
  }
  return widths;
}

ChannelGeometry checked_geometry(const Study& study) {
  if (!study.treatment) throw std::invalid_argument("the study has no [treatment]");
  const ChannelGeometry g = ChannelGeometry::from(*study.treatment);
  g.check(study.layers);
  return g;
}

DiscreteProblem finish(DiscreteProblem p, const Study& study) {
  fill_channels_from_film(p, study.treatment->formulation_filled);
  attach_film_history(p, study);
  p.validate();
  return p;
}

}  // namespace

DiscreteProblem build_unit_cell(const Study& study, bool quarter) {
  const ChannelGeometry g = checked_geometry(study);
  const LateralCells cells = lateral_cells(study, g);
  std::vector<int> channel_material;
  DiscreteProblem p = treated_skeleton(study, g, channel_material);
  const double a = g.surface_radius_cm, pitch = g.pitch_cm();
  // Square: one channel per pitch x pitch cell. Hexagonal: a pitch x sqrt(3) pitch rectangle
  // with channels at its centre and corners. Both are mirror-symmetric about their mid-lines,
  // so a quarter with mirror walls is the same problem.
  const double Lx = pitch, Ly = g.lattice == Lattice::square ? pitch : std::sqrt(3.0) * pitch;
  std::vector<ChannelAxis> axes;
  if (quarter) {
    // The quarter's corner (0,0) is a channel axis; a hexagonal quarter has a second channel
    // at the opposite corner, whose wall needs fine cells too.
    const bool hex = g.lattice == Lattice::hexagonal;
    p.dx = axis_with_walls(0.5 * Lx, hex ? std::vector<double>{a, 0.5 * Lx - a} : std::vector<double>{a}, cells);
    p.dy = axis_with_walls(0.5 * Ly, hex ? std::vector<double>{a, 0.5 * Ly - a} : std::vector<double>{a}, cells);
    axes = {{0.0, 0.0}};
    if (hex) axes.push_back({0.5 * Lx, 0.5 * Ly});
    p.periodic_x = p.periodic_y = false;
  } else {
    p.dx = axis_with_walls(Lx, {0.5 * Lx - a, 0.5 * Lx + a}, cells);
    p.dy = axis_with_walls(Ly, {0.5 * Ly - a, 0.5 * Ly + a}, cells);
    axes = {{0.5 * Lx, 0.5 * Ly}};
    if (g.lattice == Lattice::hexagonal)
      for (double x : {0.0, Lx})
        for (double y : {0.0, Ly}) axes.push_back({x, y});
  }
  check_grid_budget(p, study, "treated");
  p.material.resize(p.cell_count());
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) p.material[p.index(i, j, k)] = static_cast<std::uint8_t>(p.layer_of_z[k]);
  paint_channels(p, axes, g, channel_material);
  return finish(std::move(p), study);
}

DiscreteProblem build_axisymmetric_cell(const Study& study) {
  const ChannelGeometry g = checked_geometry(study);
  const LateralCells cells = lateral_cells(study, g);
  std::vector<int> channel_material;
  DiscreteProblem p = treated_skeleton(study, g, channel_material);
  p.geometry = Geometry::axisymmetric;
  p.dx = axis_with_walls(g.equal_area_radius_cm(), {g.surface_radius_cm}, cells);
  p.dy = {2.0 * kPi};
  p.periodic_x = p.periodic_y = false;
  check_grid_budget(p, study, "treated");
  p.material.resize(p.cell_count());
  for (int k = 0; k < p.nz(); ++k)
    for (int i = 0; i < p.nx(); ++i) p.material[p.index(i, 0, k)] = static_cast<std::uint8_t>(p.layer_of_z[k]);
  paint_channels(p, {{0.0, 0.0}}, g, channel_material);
  return finish(std::move(p), study);
}

DiscreteProblem build_patch(const Study& study) {
  const ChannelGeometry g = checked_geometry(study);
  const TreatmentSpec& t = *study.treatment;
  // Channels sit anywhere on a patch, so its lateral grid is uniform at the wall resolution
  // unless the user sets a coarser lateral_max_cell.
  const double h = t.lateral_max_cell_cm > 0.0 ? t.lateral_max_cell_cm : lateral_cells(study, g).fine;
  std::vector<int> channel_material;
  DiscreteProblem p = treated_skeleton(study, g, channel_material);
  const int nx = std::max(1, static_cast<int>(std::lround(t.patch_width_cm / h)));
  const int ny = std::max(1, static_cast<int>(std::lround(t.patch_length_cm / h)));
  p.dx.assign(nx, t.patch_width_cm / nx);
  p.dy.assign(ny, t.patch_length_cm / ny);
  check_grid_budget(p, study, "treated");
  p.material.resize(p.cell_count());
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) p.material[p.index(i, j, k)] = static_cast<std::uint8_t>(p.layer_of_z[k]);
  paint_channels(p, channel_pattern(t, g), g, channel_material);
  return finish(std::move(p), study);
}

DiscreteProblem build_treated_problem(const Study& study) {
  switch (study.treatment->domain) {
    case DomainKind::unit_cell:
      return build_unit_cell(study, true);
    case DomainKind::axisymmetric:
      return build_axisymmetric_cell(study);
    case DomainKind::patch:
      return build_patch(study);
  }
  throw std::invalid_argument("unknown treatment domain");
}

}  // namespace poreflux::model
