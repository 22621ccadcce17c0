#include "scenario_recorder.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "../backend/serial_exec.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/solver/transport_system.hpp"

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

}  // namespace

// The reference operator evaluated on the host gives the instantaneous permeation flux, so the
// peak flux and lag time do not depend on how far apart the output times are.
struct ScenarioRecorder::Rates {
  explicit Rates(const DiscreteProblem& p) : system(p) {}
  TransportSystem<reference::SerialExec> system;
  std::vector<double> dxdt;
};

ScenarioRecorder::ScenarioRecorder(std::string name, const DiscreteProblem& problem)
    : problem_(problem), x_measure_(problem.x_measure()), area_cm2_(problem.top_area_cm2()),
      rates_(std::make_unique<Rates>(problem)) {
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
  rates_->dxdt.resize(problem.cell_count() + kScalarSlots);
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
    s.top_view_k.push_back(k);
    s.top_view_depth_um.push_back(s.z_um[k]);
  }
  result_.slices = std::move(s);
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
  const double film = x[n + kVehicleConcentration] * p.film_thickness_cm * area_cm2_;
  amount[kVehicleIdx] += film;
  amount[kRemovedIdx] += x[n + kRemoved];
  amount[kDegradedIdx] += x[n + kDegraded];
  amount[kReceptorIdx] += x[n + kReceptor];
  amount[kSystemicIdx] += x[n + kSystemic];
  total += film + x[n + kRemoved] + x[n + kDegraded] + x[n + kReceptor] + x[n + kSystemic];

  result_.times_s.push_back(t_s);
  for (std::size_t c = 0; c < amount.size(); ++c) result_.amounts_ug_per_cm2[c].push_back(amount[c] / area_cm2_);
  result_.supplied_ug_per_cm2.push_back(x[n + kSupplied] / area_cm2_);
  result_.permeated_ug_per_cm2.push_back((x[n + kReceptor] + x[n + kSystemic]) / area_cm2_);
  result_.mass_balance_error.push_back((total - x[n + kSupplied] - p.applied_ug) / p.applied_ug);
  result_.depth_profile_ug_per_cm3.push_back(std::move(profile));
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

  rates_->system.set_vehicle_contact(!(p.wipe_time_s && t_s > *p.wipe_time_s));
  rates_->system(x, rates_->dxdt, t_s);
  const double rate = rates_->dxdt[n + kReceptor] + rates_->dxdt[n + kSystemic];  // ug/s
  result_.flux_ug_per_cm2_h.push_back(rate / area_cm2_ * 3600.0);
}

std::optional<double> lag_time_s(const std::vector<double>& t_s, const std::vector<double>& q,
                                 const std::vector<double>& flux_per_s) {
  if (flux_per_s.empty()) return std::nullopt;
  const auto peak = std::max_element(flux_per_s.begin(), flux_per_s.end()) - flux_per_s.begin();
  if (!(flux_per_s[peak] > 0.0)) return std::nullopt;
  return t_s[peak] - q[peak] / flux_per_s[peak];
}

ScenarioResult ScenarioRecorder::finish(const SolverStats& stats) {
  ScenarioResult& r = result_;
  r.solver = stats;
  ScenarioSummary& s = r.summary;
  const double applied = problem_.applied_ug / area_cm2_;
  for (const auto& series : r.amounts_ug_per_cm2) s.fraction_of_dose.push_back(series.back() / applied);
  auto frac = [&](const char* name) { return s.fraction_of_dose[compartment_index(name)]; };
  const double below_sc = frac("viable_epidermis") + frac("dermis") + frac("receptor") + frac("systemic");
  s.dermal_delivery_fraction = below_sc;
  s.uptake_fraction = below_sc + frac("stratum_corneum");
  s.cumulative_permeated_ug_per_cm2 = r.permeated_ug_per_cm2.back();
  const auto peak = std::max_element(r.flux_ug_per_cm2_h.begin(), r.flux_ug_per_cm2_h.end()) - r.flux_ug_per_cm2_h.begin();
  s.flux_max_ug_per_cm2_h = r.flux_ug_per_cm2_h[peak];
  s.t_flux_max_h = r.times_s[peak] / 3600.0;
  std::vector<double> flux_per_s;
  for (double f : r.flux_ug_per_cm2_h) flux_per_s.push_back(f / 3600.0);
  const auto lag = lag_time_s(r.times_s, r.permeated_ug_per_cm2, flux_per_s);
  if (lag) s.lag_time_h = *lag / 3600.0;
  s.mass_balance_error = 0.0;
  for (double e : r.mass_balance_error) s.mass_balance_error = std::max(s.mass_balance_error, std::fabs(e));
  return r;
}

}  // namespace poreflux::analysis
