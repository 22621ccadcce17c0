#include "fit_factors.hpp"

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_multifit_nlinear.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "study/run_study.hpp"

namespace poreflux::calibration {
namespace {

struct Problem {
  const Study* study;
  const std::vector<std::string>* targets;
  const std::vector<Observation>* data;
  Backend* backend;
  int runs = 0;
};

// Output times: every observation time, then the duration.
Study fitting_study(const Study& base, const std::vector<Observation>& data) {
  Study s = base;
  s.treatment.reset();
  std::vector<double> times;
  for (const Observation& o : data) times.push_back(o.time_s);
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  if (times.back() > s.protocol.duration_s * (1.0 + 1e-12)) {
    throw std::invalid_argument("the data reach " + std::to_string(times.back() / 3600.0) +
                                " h, beyond the study's duration of " + std::to_string(s.protocol.duration_s / 3600.0) +
                                " h; lengthen [protocol] duration");
  }
  if (times.back() < s.protocol.duration_s) times.push_back(s.protocol.duration_s);
  s.protocol.output_times_s = times;
  return s;
}

double observed_in(const ScenarioResult& r, const Observation& o, double applied) {
  std::size_t i = 0;
  while (i + 1 < r.times_s.size() && std::abs(r.times_s[i] - o.time_s) > 1e-9 * o.time_s) ++i;
  const auto& names = compartment_names();
  auto amount = [&](const char* name) {
    return r.amounts_ug_per_cm2[std::find(names.begin(), names.end(), name) - names.begin()][i];
  };
  const double below_sc = amount("viable_epidermis") + amount("dermis") + amount("receptor") + amount("systemic");
  switch (o.what) {
    case Observable::uptake_fraction:
      return (below_sc + amount("stratum_corneum")) / applied;
    case Observable::dermal_delivery_fraction:
      return below_sc / applied;
    case Observable::permeated_ug_per_cm2:
      break;
  }
  return r.permeated_ug_per_cm2[i];
}

std::vector<double> predict(Problem& p, const std::vector<double>& factors) {
  const Study s = with_factors(*p.study, *p.targets, factors);
  const StudyRun run = run_study(s, *p.backend, {}, nullptr, nullptr);
  ++p.runs;
  std::vector<double> out;
  for (const Observation& o : *p.data)
    out.push_back(observed_in(run.result.scenarios.front(), o, run.result.applied_ug_per_cm2));
  return out;
}

int residual_function(const gsl_vector* x, void* params, gsl_vector* f) {
  Problem& p = *static_cast<Problem*>(params);
  std::vector<double> factors;
  // A trial step may ask for an absurd factor; beyond 1e-4..1e4 the study is held at the bound
  // (a flat residual sends the trust region back) rather than run with D or K off the scale.
  for (std::size_t j = 0; j < x->size; ++j) factors.push_back(std::exp(std::clamp(gsl_vector_get(x, j), -9.21, 9.21)));
  const std::vector<double> predicted = predict(p, factors);
  for (std::size_t i = 0; i < predicted.size(); ++i) {
    const Observation& o = (*p.data)[i];
    gsl_vector_set(f, i, (predicted[i] - o.value) / o.sd.value_or(1.0));
  }
  return GSL_SUCCESS;
}

}  // namespace

Study with_factors(const Study& study, const std::vector<std::string>& targets, const std::vector<double>& factors) {
  Study s = study;
  for (std::size_t j = 0; j < targets.size(); ++j) {
    const std::string role = targets[j].substr(0, targets[j].find('.'));
    const std::string what = targets[j].substr(targets[j].find('.') + 1);
    for (LayerSpec& layer : s.layers) {
      if (layer.role != role) continue;
      std::optional<Sourced>& value = what == "diffusivity" ? layer.diffusivity_cm2_s
                                      : what == "partition" ? layer.partition
                                                            : layer.clearance_per_s;
      if (value) value->value *= factors[j];
      // The partially hydrated SC's K and D are the hydrated ones times fixed ratios
      // (resolve_parameters.cpp, resolve_partial_hydration), so the factor scales them alike, as a
      // [calibration] table read before that step does: the fit and a rerun then give one answer.
      std::optional<Sourced>& partial = what == "diffusivity" ? layer.partial_diffusivity_cm2_s
                                        : what == "partition" ? layer.partial_partition
                                                              : value;
      if (partial && &partial != &value) partial->value *= factors[j];
    }
  }
  return s;
}

FitReport fit_factors(const Study& study, const std::vector<std::string>& targets, const std::vector<Observation>& data,
                      Backend& backend) {
  const std::size_t n = data.size(), p = targets.size();
  FitReport report;
  if (p == 0 || p > 2) throw std::invalid_argument("fit one or two factors");
  for (const std::string& t : targets) {
    bool found = false;
    for (const LayerSpec& l : study.layers) found |= l.role == t.substr(0, t.find('.'));
    if (!found) throw std::invalid_argument("no layer of role '" + t.substr(0, t.find('.')) + "' for factor " + t);
  }
  const Study base = fitting_study(study, data);
  Problem problem{&base, &targets, &data, &backend};
  if (n < p) {
    report.identifiable = false;
    report.identifiability =
        std::to_string(n) + " observation(s) cannot determine " + std::to_string(p) +
        " factors: any combination along a curve fits equally well. Fit one factor, or add data "
        "(e.g. an IVPT curve through the lag phase separates D from K; one steady flux fixes only K D).";
    return report;
  }

  gsl_set_error_handler_off();
  gsl_multifit_nlinear_fdf fdf{};
  fdf.f = residual_function;
  fdf.df = nullptr;  // finite differences
  fdf.fvv = nullptr;
  fdf.n = n;
  fdf.p = p;
  fdf.params = &problem;
  gsl_multifit_nlinear_parameters params = gsl_multifit_nlinear_default_parameters();
  params.h_df = 1e-4;  // relative step in log(factor): well above the solver tolerance
  gsl_multifit_nlinear_workspace* w = gsl_multifit_nlinear_alloc(gsl_multifit_nlinear_trust, &params, n, p);
  gsl_vector* x0 = gsl_vector_calloc(p);  // factors 1
  gsl_multifit_nlinear_init(x0, &fdf, w);
  int info = 0;
  const int status = gsl_multifit_nlinear_driver(100, 1e-8, 1e-8, 1e-10, nullptr, nullptr, &info, w);
  report.status = status == GSL_SUCCESS ? (info == 1 ? "converged (small step)" : "converged (small gradient)")
                                        : std::string("stopped: ") + gsl_strerror(status);
  report.iterations = static_cast<int>(gsl_multifit_nlinear_niter(w));

  const gsl_vector* x = gsl_multifit_nlinear_position(w);
  const gsl_vector* f = gsl_multifit_nlinear_residual(w);
  const gsl_matrix* J = gsl_multifit_nlinear_jac(w);
  gsl_blas_ddot(f, f, &report.chi2);
  report.dof = static_cast<int>(n - p);

  // Identifiability from the singular values of the weighted Jacobian in log(factor).
  gsl_matrix* U = gsl_matrix_alloc(n, p);
  gsl_matrix_memcpy(U, J);
  gsl_matrix* V = gsl_matrix_alloc(p, p);
  gsl_vector* sv = gsl_vector_alloc(p);
  gsl_vector* work = gsl_vector_alloc(p);
  gsl_linalg_SV_decomp(U, V, sv, work);
  const double s_max = gsl_vector_get(sv, 0), s_min = gsl_vector_get(sv, p - 1);
  if (!(s_max > 0.0)) {
    report.identifiable = false;
    report.identifiability = "the data do not respond to the factor(s) at all (zero sensitivity)";
  } else if (s_min / s_max < 1e-6) {
    report.identifiable = false;
    report.identifiability =
        "the factors " + targets[0] + (p > 1 ? " and " + targets[1] : "") +
        " cannot be told apart by these data: only a combination (direction " +
        std::to_string(gsl_matrix_get(V, 0, p - 1)) + ", " +
        (p > 1 ? std::to_string(gsl_matrix_get(V, 1, p - 1)) : "") +
        " in log space) is determined. One steady flux fixes K D, not K and D; add early-time data or fit one factor.";
  }

  gsl_matrix* covar = gsl_matrix_alloc(p, p);
  gsl_multifit_nlinear_covar(J, 0.0, covar);
  bool weighted = true;
  for (const Observation& o : data) weighted &= o.sd.has_value();
  // Unweighted data: the residual scale is estimated from the fit (chi2 / dof).
  const double scale = weighted ? 1.0 : (report.dof > 0 ? report.chi2 / report.dof : NAN);
  // Known sd: the covariance is absolute, normal quantile; estimated scale: Student's t.
  const double q = weighted ? 1.959963984540054 : (report.dof > 0 ? gsl_cdf_tdist_Pinv(0.975, report.dof) : NAN);
  for (std::size_t j = 0; j < p; ++j) {
    FittedFactor factor;
    factor.target = targets[j];
    const double theta = gsl_vector_get(x, j);
    factor.value = std::exp(theta);
    factor.log_sd = std::sqrt(gsl_matrix_get(covar, j, j) * scale);
    factor.ci95_low = report.identifiable ? std::exp(theta - q * factor.log_sd) : NAN;
    factor.ci95_high = report.identifiable ? std::exp(theta + q * factor.log_sd) : NAN;
    report.factors.push_back(factor);
  }
  if (report.identifiable && p == 2) {
    const double r = gsl_matrix_get(covar, 0, 1) / std::sqrt(gsl_matrix_get(covar, 0, 0) * gsl_matrix_get(covar, 1, 1));
    if (std::abs(r) > 0.99) {
      report.identifiability = "the two factors are strongly correlated (r = " + std::to_string(r) +
                               "): their product is well determined, each alone is not";
    }
  }

  std::vector<double> factors;
  for (const FittedFactor& ff : report.factors) factors.push_back(ff.value);
  const std::vector<double> predicted = predict(problem, factors);
  double mean = 0.0, ss_tot = 0.0, ss_res = 0.0;
  for (const Observation& o : data) mean += o.value / static_cast<double>(n);
  for (std::size_t i = 0; i < n; ++i) {
    report.residuals.push_back({data[i], predicted[i], (predicted[i] - data[i].value) / data[i].sd.value_or(1.0)});
    ss_tot += (data[i].value - mean) * (data[i].value - mean);
    ss_res += (predicted[i] - data[i].value) * (predicted[i] - data[i].value);
  }
  report.r_squared = ss_tot > 0.0 ? 1.0 - ss_res / ss_tot : NAN;
  report.runs = problem.runs;

  gsl_matrix_free(covar);
  gsl_vector_free(work);
  gsl_vector_free(sv);
  gsl_matrix_free(V);
  gsl_matrix_free(U);
  gsl_vector_free(x0);
  gsl_multifit_nlinear_free(w);
  return report;
}

}  // namespace poreflux::calibration
