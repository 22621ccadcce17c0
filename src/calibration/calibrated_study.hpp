// The calibrated study `poreflux calibrate` writes: the config as written plus a
// [calibration] table of the fitted factors, each with its source and 95 % interval.
// Shared by the command and the Python module.
#pragma once

#include <string>

#include "fit_factors.hpp"

namespace poreflux::calibration {

// `config_text`: the study's TOML as written; `study_name`: how the study is named in the
// factors' sources; `data_file`: the IVPT file fitted ("" for single measured figures);
// `output`: where the calibrated study will be, for the reuse hint in its comment.
std::string calibrated_study_text(std::string config_text, const FitReport& report, const std::string& study_name,
                                  const std::string& data_file, const std::string& output);

}  // namespace poreflux::calibration
