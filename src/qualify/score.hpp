// Predicted endpoints and their scores (MODEL.md §9): fold error = predicted / measured, the
// geometric mean fold error GMFE = 10^mean|log10 fold|, and the shares within 2x and 3x,
// overall and per class of active and condition.
#pragma once

#include <string>
#include <vector>

#include "config/measurement.hpp"
#include "poreflux/results.hpp"

namespace poreflux::qualify {

// The endpoint's value in the run, in the endpoint's unit. `intact`/`treated` may be null when
// the study lacks that scenario (then a ratio or a treated endpoint cannot be computed: NaN).
double predicted_value(const Endpoint& endpoint, const Study& study, const ScenarioResult* intact,
                       const ScenarioResult* treated);

struct ScoredEndpoint {
  std::string case_id, label, quantity, unit, scenario, set_text, reference, read, peer_predictions;
  double time_h = 0.0;
  double measured = 0.0, predicted = 0.0, fold = 0.0;  // fold = predicted / measured
  double spread = -1.0;                                // < 0: not given
  double log_kow = 0.0;
  std::string lipophilicity;  // hydrophilic (log Kow < 1), intermediate (1-3), lipophilic (> 3)
  std::string dose;           // finite, infinite
  std::string setting;        // in vitro, in vivo
};

// A fold error is capped at this factor either way in the means, so that one prediction of
// zero (a flux 1e-34) does not make the GMFE meaningless; the table shows the true value.
constexpr double kFoldCap = 1e6;

struct Score {
  std::string group;  // "all", "hydrophilic", ...
  int n = 0;
  double gmfe = 0.0;
  double within_2 = 0.0, within_3 = 0.0;  // shares 0..1
  double bias = 0.0;                      // 10^mean log10 fold: > 1 over-predicts
};

std::string lipophilicity_class(double log_kow);
Score score(const std::string& group, const std::vector<const ScoredEndpoint*>& endpoints);
// Overall, then per lipophilicity, dose and setting (groups without endpoints are left out).
std::vector<Score> scores_by_class(const std::vector<ScoredEndpoint>& endpoints);

}  // namespace poreflux::qualify
