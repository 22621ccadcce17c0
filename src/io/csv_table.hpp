// Tidy CSV text (RFC 4180): one header row, then one row per record. Headers follow the
// convention `name [unit]` ("time [h]", "uptake_fraction [1]"); numbers are written with up to
// 17 significant digits (the fewest that read back as the same double); NaN and infinities as
// NaN, Inf and -Inf, which R, pandas and Python's float() all read as numbers.
#pragma once

#include <string>
#include <vector>

namespace poreflux {

// "name [unit]", or just the name when the unit is empty.
std::string csv_header(const std::string& name, const std::string& unit);

std::string csv_number(double value);
// Quoted (with doubled quotes) when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text);

class CsvTable {
 public:
  void add_numbers(const std::string& header, const std::vector<double>& values);
  void add_strings(const std::string& header, const std::vector<std::string>& values);
  std::size_t rows() const { return rows_; }
  // All columns must have the same length (throws std::logic_error otherwise).
  std::string text() const;

 private:
  void add(const std::string& header, std::vector<std::string> cells);
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> columns_;
  std::size_t rows_ = 0;
};

}  // namespace poreflux
