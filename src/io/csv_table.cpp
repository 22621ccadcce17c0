#include "io/csv_table.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace poreflux {

std::string csv_header(const std::string& name, const std::string& unit) {
  return csv_field(unit.empty() ? name : name + " [" + unit + "]");
}

std::string csv_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
  // The shortest of 15..17 significant digits that reads back as the same double: exact, and
  // 0.1 stays "0.1" rather than "0.10000000000000001".
  char buffer[32];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

void CsvTable::add(const std::string& header, std::vector<std::string> cells) {
  if (!columns_.empty() && cells.size() != rows_)
    throw std::logic_error("CSV column '" + header + "' has " + std::to_string(cells.size()) + " rows, the others " +
                           std::to_string(rows_));
  rows_ = cells.size();
  headers_.push_back(header);
  columns_.push_back(std::move(cells));
}

void CsvTable::add_numbers(const std::string& header, const std::vector<double>& values) {
  std::vector<std::string> cells;
  cells.reserve(values.size());
  for (double v : values) cells.push_back(csv_number(v));
  add(header, std::move(cells));
}

void CsvTable::add_strings(const std::string& header, const std::vector<std::string>& values) {
  std::vector<std::string> cells;
  cells.reserve(values.size());
  for (const std::string& v : values) cells.push_back(csv_field(v));
  add(header, std::move(cells));
}

std::string CsvTable::text() const {
  std::string out;
  for (std::size_t c = 0; c < headers_.size(); ++c) out += (c ? "," : "") + headers_[c];
  out += "\n";
  for (std::size_t r = 0; r < rows_; ++r) {
    for (std::size_t c = 0; c < columns_.size(); ++c) out += (c ? "," : "") + columns_[c][r];
    out += "\n";
  }
  return out;
}

}  // namespace poreflux
