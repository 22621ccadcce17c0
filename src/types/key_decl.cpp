// The out-of-line bodies of the key declarations' value types (poreflux/key_decl.hpp).
#include "poreflux/key_decl.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace poreflux {

// The fewest digits (at least 6) that read back as the same double: 16.8, not 16.800000000000001.
std::string shortest_number_text(double value) {
  char buffer[32];
  for (int digits = 6; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (!std::isfinite(value) || std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

bool Bounds::contains(double value) const {
  const bool above = lower_open ? value > lower : value >= lower;
  const bool below = upper_open ? value < upper : value <= upper;
  return above && below;
}

std::string Bounds::describe() const {
  if (!text.empty()) return text + (why.empty() ? "" : " (" + why + ")");
  const bool has_lower = std::isfinite(lower);
  const bool has_upper = std::isfinite(upper);
  if (has_lower && has_upper) {
    return std::string("in ") + (lower_open ? "(" : "[") + shortest_number_text(lower) + ", " +
           shortest_number_text(upper) + (upper_open ? ")" : "]");
  }
  if (has_lower) return (lower_open ? "> " : ">= ") + shortest_number_text(lower);
  if (has_upper) return (upper_open ? "< " : "<= ") + shortest_number_text(upper);
  return "";
}

KeyDecl::KeyDecl(std::string section_path, std::string key_name)
    : section(std::move(section_path)), name(std::move(key_name)) {}

KeyDecl& KeyDecl::text(std::string example_value) {
  type = KeyType::string;
  example = std::move(example_value);
  return *this;
}
KeyDecl& KeyDecl::one_of(std::vector<std::string> allowed) {
  type = KeyType::choice;
  choices = std::move(allowed);
  return *this;
}
KeyDecl& KeyDecl::flag() {
  type = KeyType::flag;
  return *this;
}
KeyDecl& KeyDecl::number(Bounds bounds, std::string example_value) {
  type = KeyType::number;
  range = std::move(bounds);
  example = std::move(example_value);
  return *this;
}
KeyDecl& KeyDecl::quantity(Dimension dim, Bounds bounds) {
  type = KeyType::quantity;
  dimension = dim;
  has_dimension = true;
  range = std::move(bounds);
  return *this;
}
KeyDecl& KeyDecl::quantity_list(Dimension dim, Bounds bounds) {
  quantity(dim, std::move(bounds));
  type = KeyType::quantity_list;
  return *this;
}
KeyDecl& KeyDecl::string_list() {
  type = KeyType::string_list;
  return *this;
}
KeyDecl& KeyDecl::table() {
  type = KeyType::table;
  return *this;
}
KeyDecl& KeyDecl::table_array() {
  type = KeyType::table_array;
  return *this;
}
KeyDecl& KeyDecl::sourced_number(Bounds bounds, std::string example_value) {
  number(std::move(bounds), std::move(example_value));
  type = KeyType::sourced;
  return *this;
}
KeyDecl& KeyDecl::sourced_quantity(Dimension dim, Bounds bounds) {
  quantity(dim, std::move(bounds));
  type = KeyType::sourced;
  return *this;
}
KeyDecl& KeyDecl::mixed(std::string forms) {
  type = KeyType::mixed;
  example = std::move(forms);
  return *this;
}
KeyDecl& KeyDecl::defaults_to(std::string value, std::string source) {
  default_text = std::move(value);
  default_source = std::move(source);
  absence_stated = false;
  return *this;
}
KeyDecl& KeyDecl::no_default(std::string what_absent_means) {
  default_text.clear();
  default_source = std::move(what_absent_means);
  absence_stated = true;
  return *this;
}
KeyDecl& KeyDecl::doc_line(std::string line) {
  doc = std::move(line);
  return *this;
}
KeyDecl& KeyDecl::lands(std::string study_member) {
  lands_in = std::move(study_member);
  return *this;
}
KeyDecl& KeyDecl::read_by_function(std::string function) {
  read_by = std::move(function);
  return *this;
}
KeyDecl& KeyDecl::not_written_back(std::string why) {
  written_back = false;
  if (!why.empty()) doc += " (not in the resolved config: " + why + ")";
  return *this;
}

}  // namespace poreflux
