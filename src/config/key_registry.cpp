#include "key_registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>

#include "section_keys.hpp"

namespace poreflux::config {

// ---- declarations ----

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
  return *this;
}
KeyDecl& KeyDecl::no_default(std::string what_absent_means) {
  default_text.clear();
  default_source = std::move(what_absent_means);
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

// ---- the generic path ----

std::optional<double> read_number_value(TableReader& table, const KeyDecl& key) {
  if (key.type == KeyType::quantity) return table.optional_quantity(key.name, key.dimension, key.range);
  return table.optional_number(key.name, key.range, key.example);
}

std::string read_choice_value(TableReader& table, const KeyDecl& key, const std::string& current) {
  return table.choice_of(key.name, key.choices, current);
}

std::optional<std::string> read_string_value(TableReader& table, const KeyDecl& key) {
  return table.optional_string(key.name);
}

void write_number_value(const KeyDecl& key, double value, toml::table& out) {
  if (key.type == KeyType::quantity) out.insert_or_assign(key.name, format_quantity(value, key.dimension));
  else out.insert_or_assign(key.name, value);
}

std::string number_text(const KeyDecl& key, double value) {
  if (key.type == KeyType::quantity) return "\"" + format_quantity(value, key.dimension) + "\"";
  char buffer[32];
  for (int digits = 1; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  return buffer;
}

const KeyDecl& declared_key(const std::string& section, const std::string& name) {
  for (const KeyDecl& key : config_keys())
    if (key.section == section && key.name == name) return key;
  throw std::logic_error("config key " + section + "." + name + " is not declared (src/config/keys_*.cpp)");
}

// ---- the registry ----

const std::vector<KeyDecl>& config_keys() {
  static const std::vector<KeyDecl> all = [] {
    std::vector<KeyDecl> keys;
    for (std::vector<KeyDecl> (*section)() :
         {top_level_keys, compound_keys, skin_keys, calibration_keys, vehicle_keys, layer_keys, boundary_keys,
          protocol_keys, numerics_keys, output_keys, treatment_keys}) {
      std::vector<KeyDecl> more = section();
      keys.insert(keys.end(), more.begin(), more.end());
    }
    return keys;
  }();
  return all;
}

const std::vector<std::string>& documented_sections() {
  static const std::vector<std::string> sections{"",         "skin",     "calibration", "calibration.factors",
                                                 "layer",    "boundary", "protocol",    "protocol.application",
                                                 "numerics", "output",   "treatment"};
  return sections;
}

namespace {

std::string header_of(const KeyDecl& key) {
  if (key.section.empty()) return "top level";
  return key.section_is_array ? "[[" + key.section + "]]" : "[" + key.section + "]";
}

std::string strip_article(std::string_view text) {
  for (std::string_view article : {"a ", "an "})
    if (text.substr(0, article.size()) == article) return std::string(text.substr(article.size()));
  return std::string(text);
}

std::string type_text(const KeyDecl& key) {
  switch (key.type) {
    case KeyType::string:
      return "string";
    case KeyType::choice:
      return "string (choice)";
    case KeyType::flag:
      return "boolean";
    case KeyType::number:
      return "number";
    case KeyType::quantity:
      return "quantity";
    case KeyType::quantity_list:
      return "array of quantities";
    case KeyType::string_list:
      return "array of strings";
    case KeyType::table:
      return "table";
    case KeyType::table_array:
      return "array of tables";
    case KeyType::sourced:
      return key.has_dimension ? "quantity, or { value, source }" : "number, or { value, source }";
    case KeyType::mixed:
      return key.example;
  }
  return "";
}

std::string unit_text(const KeyDecl& key) {
  if (!key.has_dimension) return "—";
  return strip_article(dimension_description(key.dimension)) + " (`\"" + std::string(example_quantity(key.dimension)) +
         "\"`)";
}

std::string range_text(const KeyDecl& key) {
  if (key.type == KeyType::choice) {
    std::string text;
    for (const std::string& c : key.choices) text += (text.empty() ? "`\"" : ", `\"") + c + "\"`";
    return text;
  }
  const std::string range = key.range.describe();
  if (range.empty()) return "—";
  if (!key.range.text.empty() || key.range.why.empty()) return range;
  return range + " (" + key.range.why + ")";
}

std::string default_cell(const KeyDecl& key) {
  if (key.default_text.empty()) return key.default_source.empty() ? "none" : key.default_source;
  return "`" + key.default_text + "`" + (key.default_source.empty() ? "" : " (" + key.default_source + ")");
}

std::string escape_cell(std::string text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

}  // namespace

std::string config_keys_text() {
  std::string text;
  std::string last_section = "\x01";
  for (const KeyDecl& key : config_keys()) {
    if (key.section != last_section) {
      text += (text.empty() ? "" : "\n") + std::string(key.section.empty() ? "top level" : header_of(key)) + "\n";
      last_section = key.section;
    }
    text += "  " + key.name + ": " + type_text(key);
    if (key.has_dimension) text += ", " + strip_article(dimension_description(key.dimension));
    const std::string range = range_text(key);
    if (range != "—") text += ", " + range;
    text += "; default " + default_cell(key) + "\n";
    if (!key.doc.empty()) text += "      " + key.doc + "\n";
    text += "      lands in " + (key.lands_in.empty() ? std::string("(a table)") : key.lands_in) + "; read by " +
            (key.read_by.empty() ? std::string("the generic path") : key.read_by) +
            (key.written_back ? "" : "; not written back") + "\n";
  }
  return text;
}

std::string config_keys_markdown_table(const std::string& section) {
  std::string text =
      "| key | type | unit | accepted | default | meaning |\n"
      "|-----|------|------|----------|---------|---------|\n";
  for (const KeyDecl& key : config_keys()) {
    if (key.section != section) continue;
    text += "| `" + key.name + "` | " + type_text(key) + " | " + unit_text(key) + " | " + escape_cell(range_text(key)) +
            " | " + escape_cell(default_cell(key)) + " | " + escape_cell(key.doc) + " |\n";
  }
  return text;
}

std::string config_keys_markdown() {
  std::string text;
  for (const std::string& section : documented_sections()) {
    text += "<!-- config-keys " + (section.empty() ? std::string("top-level") : section) +
            " begin: generated by `poreflux config-keys --markdown`, do not edit -->\n";
    text += config_keys_markdown_table(section);
    text += "<!-- config-keys " + (section.empty() ? std::string("top-level") : section) + " end -->\n";
  }
  return text;
}

std::string config_keys_fuzz_dictionary() {
  std::string text;
  std::set<std::string> seen;
  auto add = [&](const std::string& entry) {
    if (seen.insert(entry).second) text += entry + "\n";
  };
  for (const KeyDecl& key : config_keys()) add("\"" + key.name + " = \"");
  for (const KeyDecl& key : config_keys())
    if (!key.section.empty())
      add(key.section_is_array ? "\"[[" + key.section + "]]\\x0a\"" : "\"[" + key.section + "]\\x0a\"");
  for (const KeyDecl& key : config_keys())
    for (const std::string& choice : key.choices) add("\"\\x22" + choice + "\\x22\"");
  return text;
}

// The tables of a study config and their keys, from the declarations. The tables come in a fixed
// order: the first of several owners of a key is named first in "is a key of ... and ...".
const std::vector<SchemaTable>& study_schema() {
  static const std::vector<SchemaTable> schema = [] {
    std::vector<SchemaTable> tables;
    for (const char* path : {"", "compound", "vehicle", "skin", "boundary", "layer", "protocol", "protocol.application",
                             "numerics", "output", "treatment", "calibration", "calibration.factors"}) {
      SchemaTable table{path, false, {}};
      for (const KeyDecl& key : config_keys())
        if (key.section == path) {
          table.array = key.section_is_array;
          table.keys.push_back(key.name);
        }
      tables.push_back(std::move(table));
    }
    return tables;
  }();
  return schema;
}

}  // namespace poreflux::config
