// Measured data to calibrate against: an IVPT curve from a CSV file (time_h, Q_ug_per_cm2,
// optional sd_ug_per_cm2), or single figures given on the command line ("uptake=0.05@24h").
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace poreflux::calibration {

enum class Observable { permeated_ug_per_cm2, uptake_fraction, dermal_delivery_fraction };

struct Observation {
  Observable what = Observable::permeated_ug_per_cm2;
  double time_s = 0.0;
  double value = 0.0;
  std::optional<double> sd;  // absent: unweighted (the fit scales the covariance by chi2/dof)
  std::string origin;        // "data.csv row 3", "--measure uptake=0.05@24h"
};

// Throws std::invalid_argument naming the file, row and column (rows count from 1 = header).
std::vector<Observation> read_ivpt_csv(const std::string& path);

// "uptake=0.05@24h", "dermal_delivery=0.01+-0.002@8h", "permeated_ug_per_cm2=12@24h".
Observation parse_measure(const std::string& text);

const char* observable_name(Observable what);

}  // namespace poreflux::calibration
