#include "key_registry.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <stdexcept>

#include "section_keys.hpp"

namespace poreflux::config {

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

std::optional<std::vector<double>> read_quantity_list_value(TableReader& table, const KeyDecl& key) {
  std::optional<std::vector<ListEntry>> entries = table.optional_quantity_list(key.name, key.dimension, key.range);
  if (!entries) return std::nullopt;
  std::vector<double> values;
  for (const ListEntry& e : *entries) values.push_back(e.value);
  return values;
}

std::optional<Sourced> read_sourced_value(TableReader& table, const KeyDecl& key) {
  if (key.has_dimension)
    return table.optional_sourced_quantity(key.name, key.dimension, key.range, table.plain_source());
  return table.optional_sourced_number(key.name, key.range, key.example, table.plain_source());
}

// A key with a dimension is written as a quantity, whatever else it may be given as (a mass
// fraction for a concentration).
void write_number_value(const KeyDecl& key, double value, toml::table& out) {
  if (key.has_dimension) out.insert_or_assign(key.name, format_quantity(value, key.dimension));
  else out.insert_or_assign(key.name, value);
}

void write_sourced_value(const KeyDecl& key, const Sourced& value, toml::table& out) {
  toml::table table;
  if (key.has_dimension) table.insert_or_assign("value", format_quantity(value.value, key.dimension));
  else table.insert_or_assign("value", value.value);
  table.insert_or_assign("source", value.source);
  out.insert_or_assign(key.name, std::move(table));
}

std::string number_text(const KeyDecl& key, double value) {
  if (key.has_dimension) return "\"" + format_quantity(value, key.dimension) + "\"";
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
  throw std::logic_error("config key " + section + "." + name +
                         " is not declared (src/config/keys_*.cpp, or its struct's keys())");
}

// ---- the registry ----

const std::vector<KeyDecl>& config_keys() {
  static const std::vector<KeyDecl> all = [] {
    std::vector<KeyDecl> keys;
    for (std::vector<KeyDecl> (*section)() :
         {top_level_keys, compound_keys, skin_keys, calibration_keys, vehicle_keys, layer_keys,
          declared_keys_of<BoundarySpec>, protocol_keys, declared_keys_of<NumericsSpec>, declared_keys_of<OutputSpec>,
          treatment_keys, study_plan_keys}) {
      std::vector<KeyDecl> more = section();
      keys.insert(keys.end(), more.begin(), more.end());
    }
    return keys;
  }();
  return all;
}

const std::vector<std::string>& documented_sections() {
  static const std::vector<std::string> sections = [] {
    std::vector<std::string> study{
        "",        "compound", "compound.pka", "skin",     "calibration",          "calibration.factors",
        "vehicle", "layer",    "boundary",     "protocol", "protocol.application", "numerics",
        "output",  "treatment"};
    // A study of many cases (keys_study_plan.cpp).
    for (const char* plan : {"sweep", "sweep.axis", "sweep.case", "population", "population.input"})
      study.push_back(plan);
    return study;
  }();
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
                             "numerics", "output", "treatment", "calibration", "calibration.factors", "compound.pka",
                             "sweep", "sweep.axis", "sweep.case", "population", "population.input"}) {
      SchemaTable table{path, false, {}};
      table.of_a_plan =
          std::string_view(path).substr(0, 5) == "sweep" || std::string_view(path).substr(0, 10) == "population";
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
