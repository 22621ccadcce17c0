#include "poreflux/film.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace poreflux {
namespace {

// Cubic Hermite interpolation on knots t with values y and slopes dy, t clamped to the knots.
double hermite(const std::vector<double>& t, const std::vector<double>& y, const std::vector<double>& dy, double x) {
  if (t.size() == 1 || x <= t.front()) return y.front();
  if (x >= t.back()) return y.back();
  const std::size_t i = static_cast<std::size_t>(std::upper_bound(t.begin(), t.end(), x) - t.begin()) - 1;
  const double h = t[i + 1] - t[i];
  if (!(h > 0.0)) return y[i + 1];
  const double s = (x - t[i]) / h, s2 = s * s, s3 = s2 * s;
  const double v = (2 * s3 - 3 * s2 + 1) * y[i] + (s3 - 2 * s2 + s) * h * dy[i] + (-2 * s3 + 3 * s2) * y[i + 1] +
                   (s3 - s2) * h * dy[i + 1];
  return v > 0.0 ? v : 0.0;  // a capacity or volume is never negative (the cubic may dip at a dry end)
}

}  // namespace

FilmHistory FilmHistory::constant(double duration_s) {
  FilmHistory h;
  FilmSegment s;
  s.start_s = 0.0;
  s.end_s = duration_s;
  s.t_s = {0.0, duration_s};
  s.capacity = {1.0, 1.0};
  s.capacity_rate_per_s = {0.0, 0.0};
  s.volume_ratio = {1.0, 1.0};
  s.volume_ratio_rate_per_s = {0.0, 0.0};
  h.segments.push_back(s);
  return h;
}

FilmHistory FilmHistory::constant_until_wiped(double duration_s, double wipe_s) {
  FilmHistory h = constant(duration_s);
  FilmSegment& before = h.segments.front();
  before.end_s = wipe_s;
  before.t_s = {0.0, wipe_s};
  FilmSegment after = before;
  after.start_s = wipe_s;
  after.end_s = duration_s;
  after.t_s = {wipe_s, duration_s};
  after.capacity = {0.0, 0.0};
  after.volume_ratio = {0.0, 0.0};
  after.dry_from_s = wipe_s;
  h.segments.push_back(after);
  FilmEvent wipe;
  wipe.time_s = wipe_s;
  wipe.removed_fraction = 1.0;
  wipe.what = "wipe";
  h.events.push_back(wipe);
  return h;
}

double FilmHistory::capacity(std::size_t segment, double t_s) const {
  const FilmSegment& s = segments[segment];
  return hermite(s.t_s, s.capacity, s.capacity_rate_per_s, t_s);
}

double FilmHistory::volume_ratio(std::size_t segment, double t_s) const {
  const FilmSegment& s = segments[segment];
  return hermite(s.t_s, s.volume_ratio, s.volume_ratio_rate_per_s, t_s);
}

void FilmHistory::validate(double duration_s) const {
  auto fail = [](const std::string& why) { throw std::invalid_argument("invalid film history: " + why); };
  if (segments.empty()) fail("no segments");
  if (events.size() + 1 != segments.size()) fail("one event between each two segments is needed");
  if (segments.front().start_s != 0.0 || segments.back().end_s != duration_s) fail("segments must cover [0, duration]");
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const FilmSegment& s = segments[i];
    if (s.t_s.empty() || s.t_s.size() != s.capacity.size() || s.t_s.size() != s.capacity_rate_per_s.size() ||
        s.t_s.size() != s.volume_ratio.size() || s.t_s.size() != s.volume_ratio_rate_per_s.size())
      fail("knot arrays of segment " + std::to_string(i) + " differ in size");
    if (!std::is_sorted(s.t_s.begin(), s.t_s.end())) fail("knots must increase");
    for (double c : s.capacity)
      if (!(c >= 0.0) || !std::isfinite(c)) fail("capacities must be finite and >= 0");
    if (i > 0 && (segments[i].start_s != segments[i - 1].end_s || events[i - 1].time_s != s.start_s))
      fail("segment " + std::to_string(i) + " does not start at its event");
  }
  for (const FilmEvent& e : events)
    if (!(e.removed_fraction >= 0.0 && e.removed_fraction <= 1.0) || !(e.added_state_ug_per_cm3 >= 0.0))
      fail("event '" + e.what + "' removes outside [0, 1] or adds a negative amount");
  if (!(saturation_activity > 0.0)) fail("the saturation activity must be > 0");
  if (!(active_evaporation_cm_per_s >= 0.0) || !std::isfinite(active_evaporation_cm_per_s))
    fail("the active's evaporation coefficient must be finite and >= 0");
}

}  // namespace poreflux
