#include "qualify/score.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace poreflux::qualify {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The index of the output time `t` (qualify adds every endpoint's time to the output times).
std::size_t time_index(const ScenarioResult& s, double t) {
  std::size_t best = 0;
  for (std::size_t i = 0; i < s.times_s.size(); ++i)
    if (std::fabs(s.times_s[i] - t) < std::fabs(s.times_s[best] - t)) best = i;
  return best;
}

// The OECD/SCCS category of the endpoint's name (results.hpp), in ug/cm2 at output k.
double category_amount(Quantity q, const ScenarioResult& s, std::size_t k) {
  for (const ReportedCategory& c : oecd_categories())
    if (std::string(c.name) == quantity_name(q)) return category_amount_ug_per_cm2(s, c, k);
  return kNaN;
}

double scenario_value(const Endpoint& e, const Study& study, const ScenarioResult& s) {
  const std::size_t k = time_index(s, e.time_s);
  switch (e.quantity) {
    case Quantity::flux:
      return s.flux_ug_per_cm2_h[k];
    case Quantity::max_flux:
    case Quantity::kp: {
      double most = 0.0;
      for (std::size_t i = 0; i <= k; ++i) most = std::max(most, s.flux_ug_per_cm2_h[i]);
      // The continuous solution's peak, when it lies within the endpoint's time.
      if (s.summary.t_flux_max_h * 3600.0 <= e.time_s * (1.0 + 1e-9))
        most = std::max(most, s.summary.flux_max_ug_per_cm2_h);
      return e.quantity == Quantity::kp ? most / study.vehicle.concentration_ug_per_cm3 : most;
    }
    default: {
      const double ug = category_amount(e.quantity, s, k);
      return e.unit == MeasuredUnit::percent_of_dose ? 100.0 * ug / s.total_dose_ug_per_cm2 : ug;
    }
  }
}

}  // namespace

double predicted_value(const Endpoint& e, const Study& study, const ScenarioResult* intact,
                       const ScenarioResult* treated) {
  if (e.scenario == "intact") return intact ? scenario_value(e, study, *intact) : kNaN;
  if (e.scenario == "treated") return treated ? scenario_value(e, study, *treated) : kNaN;
  if (!intact || !treated) return kNaN;
  return scenario_value(e, study, *treated) / scenario_value(e, study, *intact);
}

std::string lipophilicity_class(double log_kow) {
  return log_kow < 1.0 ? "hydrophilic" : log_kow <= 3.0 ? "intermediate" : "lipophilic";
}

Score score(const std::string& group, const std::vector<const ScoredEndpoint*>& endpoints) {
  Score s;
  s.group = group;
  double sum_abs = 0.0, sum = 0.0;
  int in2 = 0, in3 = 0;
  for (const ScoredEndpoint* e : endpoints) {
    double lf = std::isfinite(e->fold) && e->fold > 0.0 ? std::log10(e->fold) : (e->fold > 0.0 ? 1e9 : -1e9);
    lf = std::clamp(lf, -std::log10(kFoldCap), std::log10(kFoldCap));
    sum_abs += std::fabs(lf);
    sum += lf;
    if (std::fabs(lf) <= std::log10(2.0) + 1e-12) ++in2;
    if (std::fabs(lf) <= std::log10(3.0) + 1e-12) ++in3;
    ++s.n;
  }
  if (s.n == 0) return s;
  s.gmfe = std::pow(10.0, sum_abs / s.n);
  s.bias = std::pow(10.0, sum / s.n);
  s.within_2 = static_cast<double>(in2) / s.n;
  s.within_3 = static_cast<double>(in3) / s.n;
  return s;
}

std::vector<Score> scores_by_class(const std::vector<ScoredEndpoint>& endpoints) {
  std::vector<Score> out;
  auto group = [&](const std::string& name, auto keep) {
    std::vector<const ScoredEndpoint*> members;
    for (const ScoredEndpoint& e : endpoints)
      if (keep(e)) members.push_back(&e);
    if (!members.empty()) out.push_back(score(name, members));
  };
  group("all", [](const ScoredEndpoint&) { return true; });
  for (const char* c : {"hydrophilic", "intermediate", "lipophilic"})
    group(c, [c](const ScoredEndpoint& e) { return e.lipophilicity == c; });
  for (const char* c : {"finite", "infinite"})
    group(std::string(c) + " dose", [c](const ScoredEndpoint& e) { return e.dose == c; });
  for (const char* c : {"in vitro", "in vivo"}) group(c, [c](const ScoredEndpoint& e) { return e.setting == c; });
  return out;
}

}  // namespace poreflux::qualify
