#include "graded_axis.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace poreflux::model {
namespace {

// Widths covering a segment of `length`, starting at `fine` next to the focus and growing by
// `ratio` up to `coarse`; the last cells are rescaled so the segment is covered exactly.
std::vector<double> growing_segment(double length, double fine, double coarse, double ratio) {
  std::vector<double> w;
  if (length <= 0.0) return w;
  double covered = 0.0, h = fine;
  while (covered + h < length * (1.0 - 1e-12)) {
    w.push_back(h);
    covered += h;
    h = std::min(coarse, h * ratio);
  }
  const double rest = length - covered;
  // A sliver shorter than half the previous cell merges into it; otherwise it becomes a cell.
  if (!w.empty() && rest < 0.5 * w.back()) w.back() += rest;
  else w.push_back(rest);
  return w;
}

}  // namespace

std::vector<double> graded_axis(double length, double focus, double fine, double coarse, double ratio) {
  if (!(length > 0.0) || !(fine > 0.0) || coarse < fine || focus < 0.0 || focus > length)
    throw std::invalid_argument("graded_axis: needs length > 0, 0 <= focus <= length, 0 < fine <= coarse");
  if (std::fabs(coarse - fine) <= 1e-12 * coarse) {
    const int n = std::max(1, static_cast<int>(std::lround(length / fine)));
    return std::vector<double>(n, length / n);
  }
  std::vector<double> inner = growing_segment(focus, fine, coarse, ratio);  // from focus towards 0
  std::vector<double> outer = growing_segment(length - focus, fine, coarse, ratio);
  std::reverse(inner.begin(), inner.end());
  inner.insert(inner.end(), outer.begin(), outer.end());
  return inner;
}

std::vector<double> cell_centres(const std::vector<double>& widths, double origin) {
  std::vector<double> c;
  double x = origin;
  for (double w : widths) {
    c.push_back(x + 0.5 * w);
    x += w;
  }
  return c;
}

}  // namespace poreflux::model
