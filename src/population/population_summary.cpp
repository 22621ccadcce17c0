#include "population/population_summary.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "population/sensitivity.hpp"
#include "poreflux/outputs.hpp"

namespace poreflux {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double ratio(double treated, double intact) { return intact > 0.0 ? treated / intact : kNaN; }

using SeriesBySubject = std::map<std::string, std::vector<std::vector<double>>>;  // name -> [subject][time]

// Every subject's series of each output: per scenario, and treated / intact where both ran.
SeriesBySubject collect_series(const std::vector<SubjectTrajectories>& subjects, std::size_t T) {
  SeriesBySubject series;
  for (const SubjectTrajectories& f : subjects) {
    for (const auto& [scenario, s] : f)
      for (const auto& [output, values] : s.series) series[scenario + " " + output].push_back(values);
    if (!f.count("treated") || !f.count("intact")) continue;
    for (const OutputReporting& r : output_reporting()) {
      if (!r.enhancement_key || !r.enhancement_in_table || !r.category) continue;
      const std::vector<double>& treated = f.at("treated").series.at(r.output);
      const std::vector<double>& intact = f.at("intact").series.at(r.output);
      std::vector<double> e(T);
      for (std::size_t t = 0; t < T; ++t) e[t] = ratio(treated[t], intact[t]);
      series[enhancement_name(r)].push_back(e);
    }
  }
  return series;
}

// The percentiles of the finite values at each time.
std::vector<std::vector<double>> band_of(const std::vector<std::vector<double>>& subjects,
                                         const std::vector<double>& percentiles, std::size_t T) {
  std::vector<std::vector<double>> band(percentiles.size(), std::vector<double>(T));
  for (std::size_t t = 0; t < T; ++t) {
    std::vector<double> at;
    for (const auto& s : subjects)
      if (std::isfinite(s[t])) at.push_back(s[t]);
    for (std::size_t k = 0; k < percentiles.size(); ++k) band[k][t] = population::percentile(at, percentiles[k]);
  }
  return band;
}

// Spearman and PRCC of every series against every input at the plan's sensitivity times.
std::vector<SensitivityEntry> sensitivities(const StudyPlan& plan, const std::vector<std::size_t>& cases,
                                            const SeriesBySubject& series, const std::vector<double>& time_h) {
  std::vector<std::vector<double>> inputs(plan.columns.size());
  for (std::size_t i : cases)
    for (std::size_t j = 0; j < plan.columns.size(); ++j) inputs[j].push_back(plan.cases[i].values[j].number);
  std::vector<SensitivityEntry> entries;
  for (double ts : plan.sensitivity_times_s) {
    const std::size_t k = nearest_output(time_h, ts);
    for (const auto& [name, subjects] : series) {
      std::vector<double> y;
      for (const auto& s : subjects) y.push_back(s[k]);
      SensitivityEntry e;
      e.output = name + " at " + hours_text(time_h[k]);
      for (const auto& x : inputs) e.spearman.push_back(population::spearman(x, y));
      e.prcc = population::partial_rank_correlations(inputs, y);
      entries.push_back(e);
    }
  }
  return entries;
}

}  // namespace

std::string hours_text(double h) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%g h", h);
  return buffer;
}

std::size_t nearest_output(const std::vector<double>& time_h, double t_s) {
  std::size_t k = 0;
  for (std::size_t t = 0; t < time_h.size(); ++t)
    if (std::abs(time_h[t] - t_s / 3600.0) < std::abs(time_h[k] - t_s / 3600.0)) k = t;
  return k;
}

PopulationSummary summarise_population(const StudyPlan& plan, const std::vector<std::size_t>& cases,
                                       const std::vector<SubjectTrajectories>& subjects) {
  PopulationSummary p;
  for (const PlanColumn& c : plan.columns) p.inputs.push_back(c.key);
  p.time_h = subjects.front().begin()->second.time_h;
  const std::size_t T = p.time_h.size();
  for (const SubjectTrajectories& f : subjects)
    for (const auto& [name, s] : f)
      if (s.time_h.size() != T) throw std::runtime_error("the subjects' output times differ; no percentile bands");
  const SeriesBySubject series = collect_series(subjects, T);
  for (const auto& [name, by_subject] : series) p.bands[name] = band_of(by_subject, p.percentiles, T);
  p.sensitivity = sensitivities(plan, cases, series, p.time_h);
  return p;
}

}  // namespace poreflux
