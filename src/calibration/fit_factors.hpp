// Weighted least-squares fit of one or two multiplicative factors on a study's parameters
// ("stratum_corneum.diffusivity", ...) to observations, with GSL's trust-region
// Levenberg-Marquardt (gsl_multifit_nlinear) on log(factor) and a finite-difference Jacobian.
// Each residual evaluation runs the intact study on the given backend.
#pragma once

#include <string>
#include <vector>

#include "ivpt_data.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/study.hpp"

namespace poreflux::calibration {

struct FittedFactor {
  std::string target;
  double value = 1.0;                      // the multiplicative factor
  double ci95_low = 0.0, ci95_high = 0.0;  // from the Jacobian's covariance; NaN without dof
  double log_sd = 0.0;                     // standard error of ln(factor)
};

struct Residual {
  Observation observation;
  double predicted = 0.0;
  double weighted = 0.0;  // (predicted - observed) / sd (sd = 1 when not given)
};

struct FitReport {
  bool identifiable = true;
  std::string identifiability;  // why not, or which combination is poorly determined
  std::vector<FittedFactor> factors;
  std::vector<Residual> residuals;
  double chi2 = 0.0;
  int dof = 0;
  double r_squared = 0.0;  // 1 - SS_res / SS_tot on the unweighted values
  int iterations = 0;
  int runs = 0;        // study runs (residual evaluations)
  std::string status;  // GSL's stop reason
};

// `study` is resolved; its treatment is ignored (the intact baseline is what is calibrated).
// Throws std::invalid_argument for an observation beyond the study's duration or unknown target.
FitReport fit_factors(const Study& study, const std::vector<std::string>& targets, const std::vector<Observation>& data,
                      Backend& backend);

// The study with the factors applied to the matching layers (the same rule as [calibration]).
Study with_factors(const Study& study, const std::vector<std::string>& targets, const std::vector<double>& factors);

}  // namespace poreflux::calibration
