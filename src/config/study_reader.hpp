// The config layer's entry points for the layers above it (src/study, src/cli, python/): reading
// a study or a plan of studies from TOML, without the TOML library in sight. The resolve step
// (deriving every D, K and rate not given) belongs to the layers above: they pass it in as
// `resolve`, which the reader calls on each study it has read (the study itself, each case of a
// plan, a study named by [calibration] from), so that what it records (the resolved config, a
// case's hash) and the errors it names (a plan's entry) cover the resolved study.
// The facade most code calls, load_study / parse_study / load_study_plan, is src/study's
// (study/load_study.cpp), which passes resolve_parameters.
#pragma once

#include <functional>
#include <string>

#include "poreflux/study.hpp"
#include "poreflux/sweep.hpp"
#include "resolved_toml.hpp"

namespace poreflux::config {

using StudyResolver = std::function<void(Study&)>;

// A study from its file (a regular file of at most 1 MiB) or from TOML text; `source_name`
// stands for the file in messages. `calibration_file` adds the factors of a calibrated study.
// Throws ConfigError.
Study read_study_file(const std::string& path, const std::string& calibration_file, const StudyResolver& resolve);
Study read_study_text(const std::string& toml_text, const std::string& source_name, const std::string& calibration_file,
                      const StudyResolver& resolve);

// A [sweep] or [population] plan, every case read and resolved.
StudyPlan read_study_plan_file(const std::string& path, const StudyResolver& resolve);
StudyPlan read_study_plan_text(const std::string& toml_text, const std::string& source_name,
                               const StudyResolver& resolve);

// The factors `poreflux calibrate --fit` and [calibration] accept ("stratum_corneum.diffusivity").
bool calibration_target_known(const std::string& target);
std::string calibration_targets_text();

}  // namespace poreflux::config
