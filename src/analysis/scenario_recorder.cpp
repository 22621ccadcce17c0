#include "scenario_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <cstdio>

#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/solver/dense_output.hpp"

namespace poreflux::analysis {
namespace {

int compartment_index(const std::string& name) {
  const auto& names = compartment_names();
  const auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) throw std::invalid_argument("layer '" + name + "' has no compartment to report to");
  return static_cast<int>(it - names.begin());
}

const int kVehicleIdx = compartment_index("vehicle");
const int kRemovedIdx = compartment_index("removed");
const int kDegradedIdx = compartment_index("degraded");
const int kReceptorIdx = compartment_index("receptor");
const int kSystemicIdx = compartment_index("systemic");
const int kEvaporatedIdx = compartment_index("evaporated");
const int kDepositIdx = compartment_index("deposit");

}  // namespace

ScenarioRecorder::ScenarioRecorder(std::string name, const DiscreteProblem& problem)
    : problem_(problem),
      x_measure_(problem.x_measure()),
      area_cm2_(problem.top_area_cm2()),
      film_(problem.film.segments.empty()
                ? (problem.wipe_time_s ? FilmHistory::constant_until_wiped(problem.duration_s, *problem.wipe_time_s)
                                       : FilmHistory::constant(problem.duration_s))
                : problem.film) {
  result_.name = std::move(name);
  result_.amounts_ug_per_cm2.assign(compartment_names().size(), {});
  for (int k = 0; k < problem.nz(); ++k)
    compartment_of_z_.push_back(compartment_index(
        (problem.layer_roles.empty() ? problem.layer_names : problem.layer_roles)[problem.layer_of_z[k]]));
  double depth = 0.0;
  for (double h : problem.dz) {
    result_.depth_um.push_back((depth + 0.5 * h) * 1e4);
    depth += h;
  }
}

ScenarioRecorder::~ScenarioRecorder() = default;

void ScenarioRecorder::keep_channel_slices(const std::vector<double>& top_view_depths_cm) {
  const DiscreteProblem& p = problem_;
  ChannelSlices s;
  auto centres_um = [](const std::vector<double>& widths) {
    std::vector<double> c;
    double x = 0.0;
    for (double w : widths) {
      c.push_back((x + 0.5 * w) * 1e4);
      x += w;
    }
    return c;
  };
  s.x_um = centres_um(p.dx);
  // An axisymmetric cell's dy is the wedge angle, not a length: its y axis is the single row 0.
  s.y_um = p.geometry == Geometry::axisymmetric ? std::vector<double>{0.0} : centres_um(p.dy);
  s.z_um = centres_um(p.dz);
  s.channel_map.assign(static_cast<std::size_t>(p.nx()) * p.ny(), 0);
  int best = -1;
  for (int j = 0; j < p.ny(); ++j) {
    int open = 0;
    for (int i = 0; i < p.nx(); ++i) {
      const bool channel = p.materials[p.material[p.index(i, j, 0)]].closes_into >= 0;
      s.channel_map[i + static_cast<std::size_t>(p.nx()) * j] = channel ? 1 : 0;
      open += channel;
    }
    if (open > best) {
      best = open;
      s.row_j = j;
    }
  }
  for (double depth : top_view_depths_cm) {
    const auto it = std::lower_bound(s.z_um.begin(), s.z_um.end(), depth * 1e4);
    const int k = std::min<int>(p.nz() - 1, static_cast<int>(it - s.z_um.begin()));
    // Two requested depths in one cell plane would give a coordinate with a repeated value,
    // which no reader can select by value: the plane is kept once.
    if (std::find(s.top_view_k.begin(), s.top_view_k.end(), k) != s.top_view_k.end()) continue;
    s.top_view_k.push_back(k);
    s.top_view_depth_um.push_back(s.z_um[k]);
  }
  result_.slices = std::move(s);
}

// An amount [ug] (or a permeation rate, per hour) cannot be negative: a value below zero by less
// than kRoundOffOfDose of the run's dose is the integrator's round-off and is reported as zero.
// ESDIRK's negative tableau entries (a_32, b_5) leave ~1e-45 ug in cells the active has not
// reached (configs/default.toml), TR-BDF2 exact zeros; the mass balance keeps the raw sums.
double ScenarioRecorder::not_below_round_off(double value) const {
  return value < 0.0 && value > -kRoundOffOfDose * problem_.total_dose_ug() ? 0.0 : value;
}

void ScenarioRecorder::record(double t_s, const std::vector<double>& x) {
  const DiscreteProblem& p = problem_;
  const std::size_t n = p.cell_count();
  std::vector<double> amount(compartment_names().size(), 0.0);
  std::vector<double> profile(p.nz(), 0.0);
  double total = 0.0;
  for (int k = 0; k < p.nz(); ++k) {
    double plane = 0.0, volume = 0.0;
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) {
        const double v = x_measure_[i] * p.dy[j] * p.dz[k];
        plane += x[p.index(i, j, k)] * v;
        volume += v;
      }
    profile[k] = plane / volume;
    amount[compartment_of_z_[k]] += plane;
    total += plane;
  }
  const FilmSplit film = split_film(x[n + kVehicleConcentration], segment_, t_s);
  amount[kVehicleIdx] += film.dissolved;
  amount[kDepositIdx] += film.deposit;
  amount[kRemovedIdx] += x[n + kRemoved];
  amount[kDegradedIdx] += x[n + kDegraded];
  amount[kReceptorIdx] += x[n + kReceptor];
  amount[kSystemicIdx] += x[n + kSystemic];
  amount[kEvaporatedIdx] += x[n + kEvaporated];
  total += film.dissolved + film.deposit + x[n + kRemoved] + x[n + kDegraded] + x[n + kReceptor] + x[n + kSystemic] +
           x[n + kEvaporated];

  result_.times_s.push_back(t_s);
  for (std::size_t c = 0; c < amount.size(); ++c)
    result_.amounts_ug_per_cm2[c].push_back(not_below_round_off(amount[c]) / area_cm2_);
  result_.supplied_ug_per_cm2.push_back(x[n + kSupplied] / area_cm2_);
  result_.permeated_ug_per_cm2.push_back(not_below_round_off(x[n + kReceptor] + x[n + kSystemic]) / area_cm2_);
  // Against what has been applied so far (later applications add to kApplied), relative to
  // the whole run's dose.
  result_.mass_balance_error.push_back((total - x[n + kSupplied] - p.applied_ug - x[n + kApplied]) / p.total_dose_ug());
  result_.depth_profile_ug_per_cm3.push_back(std::move(profile));
  result_.film_volume_uL_per_cm2.push_back(film_.volume_ratio(segment_, t_s) * p.film_thickness_cm * 1e3);
  if (result_.slices) {
    ChannelSlices& s = *result_.slices;
    std::vector<float> xz, top;
    for (int k = 0; k < p.nz(); ++k)
      for (int i = 0; i < p.nx(); ++i) xz.push_back(static_cast<float>(x[p.index(i, s.row_j, k)]));
    for (int k : s.top_view_k)
      for (int j = 0; j < p.ny(); ++j)
        for (int i = 0; i < p.nx(); ++i) top.push_back(static_cast<float>(x[p.index(i, j, k)]));
    s.xz_ug_per_cm3.push_back(std::move(xz));
    s.top_view_ug_per_cm3.push_back(std::move(top));
  }
}

ScenarioRecorder::FilmSplit ScenarioRecorder::split_film(double s, std::size_t segment, double t_s) const {
  FilmSplit split;
  const double v_ref = problem_.film_thickness_cm * area_cm2_;
  const double capacity = film_.capacity(segment, t_s);
  // Round-off may leave s a hair below 0 once a deposit has dissolved: it stays "dissolved".
  const double dissolved_state = problem_.infinite_dose ? s : std::min(s, capacity * film_.saturation_at(segment, t_s));
  split.dissolved = dissolved_state * v_ref;
  split.deposit = (s - dissolved_state) * v_ref;
  if (capacity > 0.0 && std::isfinite(film_.solubility_activity))
    split.degree_of_saturation = dissolved_state / capacity / film_.solubility_activity;
  else if (split.deposit > 0.0 && std::isfinite(film_.solubility_activity))
    split.degree_of_saturation = 1.0;  // a dry deposit is at the solid's own activity
  return split;
}

std::size_t ScenarioRecorder::application_of(std::size_t segment) const {
  std::size_t a = 0;
  for (std::size_t e = 0; e < segment && e < film_.events.size(); ++e)
    if (film_.events[e].application >= 0) ++a;
  return a;
}

void ScenarioRecorder::record_film(double t_s, std::size_t segment, double s) {
  segment_ = segment;
  if (result_.applications.empty()) {
    // One summary per application, with what the history already says (times, doses, drying).
    const double per_area = problem_.film_thickness_cm;  // V_ref per area: state -> ug/cm²
    FilmApplicationSummary first;
    first.dose_ug_per_cm2 = problem_.applied_ug / area_cm2_;
    result_.applications.push_back(first);
    for (const FilmEvent& e : film_.events)
      if (e.application >= 0) {
        FilmApplicationSummary a;
        a.applied_at_h = e.time_s / 3600.0;
        a.dose_ug_per_cm2 = e.added_state_ug_per_cm3 * per_area;
        result_.applications.push_back(a);
      }
    for (std::size_t g = 0; g < film_.segments.size(); ++g) {
      const FilmSegment& seg = film_.segments[g];
      FilmApplicationSummary& a = result_.applications[application_of(g)];
      if (!a.dry_after_h && std::isfinite(seg.dry_from_s) && seg.dry_from_s > seg.start_s)
        a.dry_after_h = seg.dry_from_s / 3600.0 - a.applied_at_h;
      if (!a.sc_partial_after_h && std::isfinite(seg.dehydrated_from_s))
        a.sc_partial_after_h = seg.dehydrated_from_s / 3600.0 - a.applied_at_h;
    }
    // Evaporated volume: within a segment only evaporation changes the volume.
    std::vector<double> start_volume(result_.applications.size(), -1.0), lost(result_.applications.size(), 0.0);
    for (std::size_t g = 0; g < film_.segments.size(); ++g) {
      const FilmSegment& seg = film_.segments[g];
      const std::size_t k = application_of(g);
      const double v0 = film_.volume_ratio(g, seg.start_s), v1 = film_.volume_ratio(g, seg.end_s);
      if (start_volume[k] < 0.0) start_volume[k] = v0;
      lost[k] += std::max(v0 - v1, 0.0);
    }
    for (std::size_t k = 0; k < result_.applications.size(); ++k)
      result_.applications[k].vehicle_evaporated_fraction = start_volume[k] > 0.0 ? lost[k] / start_volume[k] : 0.0;
  }
  const std::size_t application = std::min(application_of(segment), result_.applications.size() - 1);
  FilmApplicationSummary& a = result_.applications[application];
  const FilmSplit split = split_film(s, segment, t_s);
  if (std::isfinite(film_.solubility_activity)) {
    a.max_degree_of_saturation = std::max(a.max_degree_of_saturation.value_or(0.0), split.degree_of_saturation);
    // The onset of saturation between two step ends, where the excess over what the film can
    // dissolve, s - K_f(t) a_sat(t), crosses zero. Within one history segment the capacity and
    // the saturation are known at any t (they follow the solvents' evaporation, which a long
    // implicit step may span) and s, moved by the slow transport, is taken linear between the
    // step ends: bisection. Across segments, the excess itself is taken linear.
    const double excess = s - film_.capacity(segment, t_s) * film_.saturation_at(segment, t_s);
    if (!a.saturated_after_h && split.deposit > 1e-12 * problem_.applied_ug) {
      double onset = t_s;
      const LastFilmStep& last = last_film_;
      if (last.application == application && last.excess <= 0.0 && excess > last.excess) {
        onset = last.t_s + (t_s - last.t_s) * (-last.excess) / (excess - last.excess);
        if (last.segment == segment && t_s > last.t_s) {
          auto excess_at = [&](double u) {
            const double su = last.s + (s - last.s) * (u - last.t_s) / (t_s - last.t_s);
            return su - film_.capacity(segment, u) * film_.saturation_at(segment, u);
          };
          double lo = last.t_s, hi = t_s;
          for (int i = 0; i < 60; ++i) {
            const double mid = 0.5 * (lo + hi);
            (excess_at(mid) <= 0.0 ? lo : hi) = mid;
          }
          onset = 0.5 * (lo + hi);
        }
      }
      a.saturated_after_h = onset / 3600.0 - a.applied_at_h;
    }
    last_film_ = {t_s, excess, application, s, segment};
  }
  a.max_deposit_ug_per_cm2 = std::max(a.max_deposit_ug_per_cm2, split.deposit / area_cm2_);
}

void ScenarioRecorder::record_step(double t_s, double permeated_ug, double rate_ug_per_s) {
  trace_.t_s.push_back(t_s);
  trace_.q.push_back(permeated_ug);
  trace_.rate.push_back(rate_ug_per_s);
}

namespace {

// The Hermite rate on step k as c0 + c1 θ + c2 θ² [ug/s].
struct RateQuadratic {
  double c0, c1, c2;
  double at(double theta) const { return c0 + theta * (c1 + theta * c2); }
};
RateQuadratic rate_quadratic(const PermeationTrace& tr, std::size_t k) {
  const double h = tr.t_s[k + 1] - tr.t_s[k];
  const double dq = (tr.q[k + 1] - tr.q[k]) / h, f0 = tr.rate[k], f1 = tr.rate[k + 1];
  return {f0, 6.0 * dq - 4.0 * f0 - 2.0 * f1, -6.0 * dq + 3.0 * f0 + 3.0 * f1};
}

}  // namespace

double PermeationTrace::rate_at(double t) const {
  if (t_s.empty()) return 0.0;
  const auto it = std::upper_bound(t_s.begin(), t_s.end(), t);
  if (it == t_s.begin()) return rate.front();
  if (it == t_s.end()) return rate.back();
  const std::size_t k = static_cast<std::size_t>(it - t_s.begin()) - 1;
  const double h = t_s[k + 1] - t_s[k];
  if (!(h > 0.0)) return rate[k + 1];
  return rate_quadratic(*this, k).at((t - t_s[k]) / h);
}

PermeationTrace::Peak PermeationTrace::peak() const {
  Peak best;
  for (std::size_t k = 0; k < t_s.size(); ++k)
    if (rate[k] > best.rate) best = {t_s[k], q[k], rate[k]};
  for (std::size_t k = 0; k + 1 < t_s.size(); ++k) {
    const double h = t_s[k + 1] - t_s[k];
    if (!(h > 0.0)) continue;
    const RateQuadratic r = rate_quadratic(*this, k);
    if (!(r.c2 < 0.0)) continue;  // a maximum inside the step needs a downward parabola
    const double theta = -r.c1 / (2.0 * r.c2);
    if (!(theta > 0.0 && theta < 1.0) || !(r.at(theta) > best.rate)) continue;
    const HermiteWeights w = hermite_value(theta, h);
    best = {t_s[k] + theta * h, w.y0 * q[k] + w.f0 * rate[k] + w.y1 * q[k + 1] + w.f1 * rate[k + 1], r.at(theta)};
  }
  return best;
}

double PermeationTrace::plateau_s(const Peak& peak, double fraction) const {
  // Step ends on either side of the peak, walked outwards while the rate stays above the floor.
  const double floor = fraction * peak.rate;
  std::size_t right = static_cast<std::size_t>(std::lower_bound(t_s.begin(), t_s.end(), peak.t_s) - t_s.begin());
  if (right >= t_s.size()) right = t_s.size() - 1;
  std::size_t left = (right > 0 && t_s[right] > peak.t_s) ? right - 1 : right;
  double begin = peak.t_s, end = peak.t_s;
  if (rate[left] >= floor) {
    while (left > 0 && rate[left - 1] >= floor) --left;
    begin = t_s[left];
  }
  if (rate[right] >= floor) {
    while (right + 1 < t_s.size() && rate[right + 1] >= floor) ++right;
    end = t_s[right];
  }
  return std::max(0.0, end - begin);
}

std::optional<double> lag_time_s(const PermeationTrace& trace, std::string* note) {
  auto not_reached = [&](const std::string& why) -> std::optional<double> {
    if (note) *note = "not reached: " + why;
    return std::nullopt;
  };
  if (trace.t_s.empty()) return not_reached("no permeation recorded");
  const PermeationTrace::Peak p = trace.peak();
  if (!(p.rate > 0.0)) return not_reached("nothing permeated");
  const double lag = p.t_s - p.q / p.rate;
  if (!(lag > 0.0))
    return not_reached("the tangent at the peak flux meets Q = 0 at t <= 0 (permeation started at once)");
  const double plateau = trace.plateau_s(p, kLagPlateauFraction);
  if (plateau < lag) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "no steady state: the flux stayed within 5 %% of its peak for %.3g h, less than the tangent's "
                  "lag %.3g h (run longer, or use an infinite dose)",
                  plateau / 3600.0, lag / 3600.0);
    return not_reached(buf);
  }
  return lag;
}

ScenarioResult ScenarioRecorder::finish(const SolverStats& stats) {
  ScenarioResult& r = result_;
  r.solver = stats;
  ScenarioSummary& s = r.summary;
  const double applied = problem_.total_dose_ug() / area_cm2_;
  r.total_dose_ug_per_cm2 = applied;
  for (const auto& series : r.amounts_ug_per_cm2) s.fraction_of_dose.push_back(series.back() / applied);
  auto frac = [&](const char* name) { return s.fraction_of_dose[compartment_index(name)]; };
  const double below_sc = frac("viable_epidermis") + frac("dermis") + frac("receptor") + frac("systemic");
  s.dermal_delivery_fraction = below_sc;
  s.uptake_fraction = below_sc + frac("stratum_corneum");
  s.cumulative_permeated_ug_per_cm2 = r.permeated_ug_per_cm2.back();
  // Fluxes from the continuous solution: at output times by interpolation, the peak exactly.
  for (double t : r.times_s) r.flux_ug_per_cm2_h.push_back(not_below_round_off(trace_.rate_at(t) * 3600.0) / area_cm2_);
  const PermeationTrace::Peak peak = trace_.peak();
  s.flux_max_ug_per_cm2_h = peak.rate / area_cm2_ * 3600.0;
  s.t_flux_max_h = peak.t_s / 3600.0;
  if (const auto lag = lag_time_s(trace_, &s.lag_time_note)) s.lag_time_h = *lag / 3600.0;
  s.mass_balance_error = 0.0;
  for (double e : r.mass_balance_error) s.mass_balance_error = std::max(s.mass_balance_error, std::fabs(e));
  for (const ReportedCategory& c : oecd_categories())
    s.oecd_ug_per_cm2.push_back(category_amount_ug_per_cm2(r, c, r.times_s.size() - 1));
  return r;
}

}  // namespace poreflux::analysis

namespace poreflux {

double category_amount_ug_per_cm2(const ScenarioResult& s, const ReportedCategory& category, std::size_t k) {
  const std::vector<std::string>& names = compartment_names();
  double sum = 0.0;
  for (const char* c : category.compartments)
    sum += s.amounts_ug_per_cm2[static_cast<std::size_t>(std::find(names.begin(), names.end(), c) - names.begin())][k];
  return std::max(sum, 0.0);
}

}  // namespace poreflux

namespace poreflux::analysis {}  // namespace poreflux::analysis
