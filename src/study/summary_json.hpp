// The machine-readable summary, schema "poreflux-summary/1" (fractions 0..1, units in key names).
#pragma once

#include <optional>
#include <string>

#include "poreflux/results.hpp"
#include "poreflux/study.hpp"

namespace poreflux {

inline constexpr const char* kSummarySchema = "poreflux-summary/1";

// `study` supplies the compound, the derived parameters with their relations, and the warnings.
std::string summary_json(const Study& study, const RunResult& run);

// treated / intact of a figure; NaN when the intact value is zero.
double enhancement_ratio(double treated, double intact);

// The enhancement ratios of a run with both an intact and a treated scenario.
struct Enhancement {
  double uptake, dermal_delivery, cumulative_permeated, flux_max;
};
std::optional<Enhancement> enhancement(const RunResult& run);

}  // namespace poreflux
