// One-dimensional grids for the lateral axes: fine at a focus (a channel wall), growing
// geometrically away from it to a coarse cap, and ending exactly at both ends.
#pragma once

#include <vector>

namespace poreflux::model {

// Cells covering [0, length]: width `fine` at `focus`, growing by `ratio` per cell on both
// sides up to `coarse`. With fine == coarse the grid is uniform.
std::vector<double> graded_axis(double length, double focus, double fine, double coarse, double ratio = 1.25);

// Cell centres of a grid given by its widths.
std::vector<double> cell_centres(const std::vector<double>& widths, double origin = 0.0);

}  // namespace poreflux::model
