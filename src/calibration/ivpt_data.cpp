#include "ivpt_data.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "poreflux/units.hpp"

namespace poreflux::calibration {
namespace {

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::string cell;
  std::istringstream in(line);
  while (std::getline(in, cell, ',')) {
    const auto first = cell.find_first_not_of(" \t\r");
    const auto last = cell.find_last_not_of(" \t\r");
    cells.push_back(first == std::string::npos ? "" : cell.substr(first, last - first + 1));
  }
  if (!line.empty() && line.back() == ',') cells.push_back("");
  return cells;
}

double parse_number(const std::string& text, bool& ok) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  ok = !text.empty() && end && *end == '\0' && std::isfinite(value);
  return value;
}

}  // namespace

const char* observable_name(Observable what) {
  switch (what) {
    case Observable::uptake_fraction:
      return "uptake";
    case Observable::dermal_delivery_fraction:
      return "dermal_delivery";
    case Observable::permeated_ug_per_cm2:
      break;
  }
  return "permeated_ug_per_cm2";
}

std::vector<Observation> read_ivpt_csv(const std::string& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error))  // a FIFO or device would block the read
    throw std::invalid_argument(path + ": cannot read the IVPT data file: not a regular file");
  std::ifstream in(path);
  if (!in) throw std::invalid_argument(path + ": cannot read the IVPT data file");
  std::string line;
  int row = 0;
  std::vector<std::string> header;
  while (header.empty() && std::getline(in, line)) {
    ++row;
    if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#') continue;
    header = split_csv_line(line);
  }
  const std::string expected = "expected a header with columns time_h, Q_ug_per_cm2 and optionally sd_ug_per_cm2";
  if (header.empty()) throw std::invalid_argument(path + ": empty file; " + expected);
  int col_t = -1, col_q = -1, col_sd = -1;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == "time_h") col_t = static_cast<int>(c);
    else if (header[c] == "Q_ug_per_cm2") col_q = static_cast<int>(c);
    else if (header[c] == "sd_ug_per_cm2") col_sd = static_cast<int>(c);
    else
      throw std::invalid_argument(path + ": row " + std::to_string(row) + ", column " + std::to_string(c + 1) +
                                  ": unknown column '" + header[c] + "'; " + expected);
  }
  if (col_t < 0)
    throw std::invalid_argument(path + ": row " + std::to_string(row) + ": column 'time_h' is missing; " + expected);
  if (col_q < 0)
    throw std::invalid_argument(path + ": row " + std::to_string(row) + ": column 'Q_ug_per_cm2' is missing; " +
                                expected);

  std::vector<Observation> data;
  while (std::getline(in, line)) {
    ++row;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::vector<std::string> cells = split_csv_line(line);
    if (cells.size() != header.size()) {
      throw std::invalid_argument(path + ": row " + std::to_string(row) + ": " + std::to_string(cells.size()) +
                                  " values for " + std::to_string(header.size()) + " columns");
    }
    auto value_of = [&](int col, const char* name) {
      bool ok = false;
      const double v = parse_number(cells[col], ok);
      if (!ok) {
        throw std::invalid_argument(path + ": row " + std::to_string(row) + ", column '" + name +
                                    "': expected a finite number; got '" + cells[col] + "'");
      }
      return v;
    };
    Observation o;
    const double t_h = value_of(col_t, "time_h");
    o.value = value_of(col_q, "Q_ug_per_cm2");
    if (col_sd >= 0) o.sd = value_of(col_sd, "sd_ug_per_cm2");
    if (t_h <= 0.0)
      throw std::invalid_argument(path + ": row " + std::to_string(row) +
                                  ", column 'time_h': expected a time > 0 h; got " + cells[col_t]);
    if (!data.empty() && t_h * 3600.0 <= data.back().time_s) {
      throw std::invalid_argument(path + ": row " + std::to_string(row) + ", column 'time_h': times must increase; " +
                                  cells[col_t] + " h does not come after the row before");
    }
    if (o.value < 0.0)
      throw std::invalid_argument(path + ": row " + std::to_string(row) +
                                  ", column 'Q_ug_per_cm2': expected an amount >= 0; got " + cells[col_q]);
    if (o.sd && !(*o.sd > 0.0))
      throw std::invalid_argument(path + ": row " + std::to_string(row) +
                                  ", column 'sd_ug_per_cm2': expected a standard deviation > 0; got " + cells[col_sd]);
    o.time_s = t_h * 3600.0;
    o.what = Observable::permeated_ug_per_cm2;
    o.origin = path + " row " + std::to_string(row);
    data.push_back(o);
  }
  if (data.empty()) throw std::invalid_argument(path + ": no data rows after the header");
  return data;
}

Observation parse_measure(const std::string& text) {
  const std::string hint =
      "expected NAME=VALUE@TIME or NAME=VALUE+-SD@TIME with NAME uptake, dermal_delivery "
      "(fractions of the dose) or permeated_ug_per_cm2, e.g. uptake=0.05@24h; got '" +
      text + "'";
  const auto eq = text.find('='), at = text.find('@');
  if (eq == std::string::npos || at == std::string::npos || at < eq) throw std::invalid_argument("--measure: " + hint);
  const std::string name = text.substr(0, eq);
  std::string value_text = text.substr(eq + 1, at - eq - 1);
  Observation o;
  if (name == "uptake") o.what = Observable::uptake_fraction;
  else if (name == "dermal_delivery") o.what = Observable::dermal_delivery_fraction;
  else if (name == "permeated_ug_per_cm2") o.what = Observable::permeated_ug_per_cm2;
  else throw std::invalid_argument("--measure: unknown figure '" + name + "'; " + hint);
  bool ok = false;
  if (const auto pm = value_text.find("+-"); pm != std::string::npos) {
    o.sd = parse_number(value_text.substr(pm + 2), ok);
    if (!ok || !(*o.sd > 0.0))
      throw std::invalid_argument("--measure: the standard deviation must be a number > 0; " + hint);
    value_text = value_text.substr(0, pm);
  }
  o.value = parse_number(value_text, ok);
  if (!ok || o.value < 0.0) throw std::invalid_argument("--measure: the value must be a number >= 0; " + hint);
  try {
    o.time_s = parse_quantity(text.substr(at + 1), Dimension::time);
  } catch (const QuantityError& e) {
    throw std::invalid_argument("--measure: " + std::string(e.what()) + "; " + hint);
  }
  if (!(o.time_s > 0.0)) throw std::invalid_argument("--measure: the time must be > 0; " + hint);
  o.origin = "--measure " + text;
  return o;
}

}  // namespace poreflux::calibration
