// A population's statistics over its subjects: percentile bands of the outputs sampled over time
// (per scenario, and the treated / intact enhancement; output_reporting() in
// poreflux/outputs.hpp says which), and the rank sensitivity of
// each at the plan's sensitivity times to the sampled inputs. Computed here from what the
// subjects' runs give; src/io/study_h5 only writes the result.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "poreflux/sweep.hpp"

namespace poreflux {

// One scenario's series over its output times, as fractions of the dose.
struct ScenarioTrajectory {
  std::vector<double> time_h;
  // By output name: each output of output_reporting() (poreflux/outputs.hpp) with a category,
  // that category's share of the dose at each output time.
  std::map<std::string, std::vector<double>> series;
};
using SubjectTrajectories = std::map<std::string, ScenarioTrajectory>;  // by scenario name

struct SensitivityEntry {
  std::string output;            // "treated uptake_fraction at 24 h"
  std::vector<double> spearman;  // per input
  std::vector<double> prcc;      // per input
};

struct PopulationSummary {
  std::vector<double> time_h;
  std::vector<double> percentiles{5.0, 50.0, 95.0};
  // "intact uptake_fraction", "treated dermal_delivery_fraction", "enhancement_uptake", ...
  std::map<std::string, std::vector<std::vector<double>>> bands;  // [percentile][time]
  std::vector<std::string> inputs;                                // the plan's columns
  std::vector<SensitivityEntry> sensitivity;
};

// subjects[n] belongs to plan.cases[cases[n]]. Throws std::runtime_error when the subjects'
// output times differ (no common bands).
PopulationSummary summarise_population(const StudyPlan& plan, const std::vector<std::size_t>& cases,
                                       const std::vector<SubjectTrajectories>& subjects);

// The index of the output time nearest `t_s` (an output time of every case, as the plan checks).
std::size_t nearest_output(const std::vector<double>& time_h, double t_s);

// "24 h": how a time is named in columns and outputs.
std::string hours_text(double h);

}  // namespace poreflux
