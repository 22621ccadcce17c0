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

// treated / intact of a figure. Below kEnhancementFloor of the dose (per area, or for a flux
// per area over the run) the intact value is numerical noise or next to nothing, and a ratio
// over it (1e37 has been printed) means nothing: value is then empty and note says why.
inline constexpr double kEnhancementFloor = 1e-6;
struct EnhancementRatio {
  std::optional<double> value;
  std::string note;  // empty when value is set
};
// treated and intact as fractions of the dose (a flux: times the duration, over the dose).
EnhancementRatio enhancement_ratio(double treated_fraction, double intact_fraction);

// The enhancement ratios of a run with both an intact and a treated scenario: one per output
// with an enhancement key in output_reporting() (poreflux/outputs.hpp), in its order.
struct EnhancementEntry {
  const char* key;    // the JSON key: "dermal_delivery"
  const char* words;  // the printed name: "dermal delivery"
  EnhancementRatio ratio;
};
using Enhancement = std::vector<EnhancementEntry>;
std::optional<Enhancement> enhancement(const RunResult& run);

}  // namespace poreflux
