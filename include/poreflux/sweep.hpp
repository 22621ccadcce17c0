// Studies of many cases (docs/STUDIES.md): a parameter sweep ([sweep]: axes over config keys,
// explicit cases) or a virtual population ([population]: inputs drawn from distributions). Both
// become a plan of cases, each a complete, resolved Study; src/study runs the plan, src/io
// assembles the results. Plain data: the TOML library stays in src/config.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "poreflux/study.hpp"

namespace poreflux {

enum class StudyKind { sweep, population };

// One column of the results table that the plan varies: a sweep axis, a key an explicit case
// sets, or a sampled population input.
struct PlanColumn {
  std::string key;          // config key path, "treatment.needle_length", "layer[1].thickness",
                            // or "factor:stratum_corneum.diffusivity" for a population residual
  std::string unit;         // unit of `number` ("mm"); "" for plain numbers and for text
  bool numeric = false;     // every case has a number in `unit`
  bool grid_axis = false;   // a [[sweep.axis]] (not a key an explicit case sets, nor an input)
  std::string description;  // where the values come from (axis, distribution and its source)
};

struct CaseValue {
  std::string text;  // as written into the case's config ("0.5 mm", "niacinamide", "4")
  double number = std::numeric_limits<double>::quiet_NaN();  // in the column's unit, when numeric
};

struct PlanCase {
  std::string id;                 // "case_0007": the case's place in the plan, stable across reruns
  std::size_t index = 0;          // 0-based place in the plan
  std::string label;              // "needle_length=0.5 mm, passes=4"
  std::vector<CaseValue> values;  // one per PlanColumn
  std::string config_hash;        // of the case's whole config: a finished case is matched by it
  std::string baseline_id;        // "intact_<hash>": cases with the same intact-skin setting share it
  Study study;                    // resolved
};

// A population input's distribution (MODEL.md-style names; docs/STUDIES.md).
struct Distribution {
  enum class Kind { normal, lognormal, uniform } kind = Kind::normal;
  double a = 0.0, b = 0.0;  // normal: mean, sd; lognormal: median, geometric sd; uniform: min, max
  double lower = -std::numeric_limits<double>::infinity();  // truncation (in the input's unit)
  double upper = std::numeric_limits<double>::infinity();
};

struct StudyPlan {
  StudyKind kind = StudyKind::sweep;
  std::string source_file;
  std::string title;
  std::string base_hash;  // of the config without [sweep]/[population] (comments and layout don't count)
  std::string plan_hash;  // of the whole plan: base, every case's config
  std::string plan_toml;  // the [sweep] or [population] table as read, for the record
  std::vector<PlanColumn> columns;
  std::vector<PlanCase> cases;
  // Times at which the table also reports uptake, dermal delivery and the tissue amounts
  // (report_at), besides the end of each case.
  std::vector<double> report_times_s;
  // Population only.
  std::uint64_t seed = 0;
  std::string sampling;                     // "latin_hypercube" | "random"
  std::vector<Distribution> distributions;  // one per column
  std::vector<double> sensitivity_times_s;  // where the sensitivity is measured
};

// Reads a study config with a [sweep] or [population] table and builds every case (each one
// parsed and resolved like `poreflux run` would). Throws ConfigError naming the file, line and
// key: of the sweep entry that made the case when the case's own value is at fault.
StudyPlan load_study_plan(const std::string& path);

// As load_study_plan, from TOML text (the Python module builds a plan from a study and its
// axes); `source_name` stands for the file in messages and resolves relative paths.
StudyPlan parse_study_plan(const std::string& toml_text, const std::string& source_name);

// Whether a config holds a [sweep] or [population] table (cheap: parses the TOML only).
bool has_study_table(const std::string& path);

}  // namespace poreflux
