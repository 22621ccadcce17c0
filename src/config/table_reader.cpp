#include "table_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <sstream>

#include "poreflux/config.hpp"

namespace poreflux::config {
namespace {


// What a node holds, for "got ..." in messages: the value as written, and its TOML type.
std::string describe(const toml::node& node) {
  std::ostringstream text;
  switch (node.type()) {
    case toml::node_type::string:
      text << '"' << node.as_string()->get() << "\" (a string)";
      break;
    case toml::node_type::integer:
      text << node.as_integer()->get() << " (an integer)";
      break;
    case toml::node_type::floating_point:
      text << shortest_number_text(node.as_floating_point()->get()) << " (a float)";
      break;
    case toml::node_type::boolean:
      text << (node.as_boolean()->get() ? "true" : "false") << " (a boolean)";
      break;
    case toml::node_type::table:
      text << "a table";
      break;
    case toml::node_type::array:
      text << "an array";
      break;
    default:
      text << "a date or time";
      break;
  }
  return text.str();
}

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Close enough to be a typo, not so loose that short keys all look alike. Case does not count
// (`pH` for `ph`, `Vehicle` for `vehicle`).
bool looks_like_typo_of(std::string_view typed, std::string_view intended) {
  if (typed == intended) return false;
  const std::string a = lower(typed), b = lower(intended);
  if (a == b) return true;
  const std::size_t distance = edit_distance(a, b);
  return distance > 0 && distance <= 2 && 2 * distance < intended.size();
}

// How close a typo is, for choosing among several candidates: 0 when only the case differs.
std::size_t typo_distance(std::string_view typed, std::string_view intended) {
  return edit_distance(lower(typed), lower(intended));
}

// ---- where keys belong ----

std::mutex g_asked_mutex;
std::set<std::pair<std::string, std::string>>& asked_registry() {
  static std::set<std::pair<std::string, std::string>> asked;
  return asked;
}

const SchemaTable* schema_table(std::string_view path) {
  for (const SchemaTable& t : study_schema())
    if (t.path == path) return &t;
  return nullptr;
}

std::string header_of(const SchemaTable& t) { return t.array ? "[[" + t.path + "]]" : "[" + t.path + "]"; }

// The table at `path` ("protocol.application") of the document, if it is there.
bool document_has(const toml::table& root, const std::string& path) {
  const toml::node* node = &root;
  std::size_t start = 0;
  while (start <= path.size()) {
    const std::size_t dot = std::min(path.find('.', start), path.size());
    const toml::table* table = node->as_table();
    if (table == nullptr) {
      const toml::array* array = node->as_array();
      if (array == nullptr || array->empty()) return false;
      table = array->back().as_table();
      if (table == nullptr) return false;
    }
    node = table->get(path.substr(start, dot - start));
    if (node == nullptr) return false;
    start = dot + 1;
  }
  return true;
}

// A plausible reading of a bare number for `dimension`: the listed unit that puts it inside
// `bounds` and nearest (by ratio) to the range's typical value ("1.5" for a needle: "1.5 mm").
std::string with_plausible_unit(double number, Dimension dimension, const Bounds& bounds) {
  double typical = bounds.typical;
  if (!std::isfinite(typical)) {
    if (std::isfinite(bounds.lower) && std::isfinite(bounds.upper) && bounds.lower > 0.0)
      typical = std::sqrt(bounds.lower * bounds.upper);
    else typical = parse_quantity(example_quantity(dimension), dimension);
  }
  const std::string example(example_quantity(dimension));
  std::string best_unit = example.substr(example.find(' ') + 1);
  double best = std::numeric_limits<double>::infinity();
  for (const auto& [unit, factor] : unit_factors(dimension)) {
    const double value = number * factor;
    if (!(value > 0.0) || !bounds.contains(value) || !(typical > 0.0)) continue;
    const double distance = std::abs(std::log10(value / typical));
    if (distance < best) {
      best = distance;
      best_unit = unit;
    }
  }
  return shortest_number_text(number) + " " + best_unit;
}

std::string with_range(std::string what, const Bounds& bounds) {
  const std::string range = bounds.describe();
  return range.empty() ? what : what + " " + range;
}

// "a number > 0 such as 1.2"
std::string number_expectation(const Bounds& bounds, std::string_view example) {
  return with_range("a number", bounds) + " such as " + std::string(example);
}

// "a length > 0 such as "80 um" (units: nm, um, µm, mm, cm, m)"
std::string quantity_expectation(Dimension dimension, const Bounds& bounds) {
  return with_range(std::string(dimension_description(dimension)), bounds) + " such as \"" +
         std::string(example_quantity(dimension)) + "\" (units: " + valid_units(dimension) + ")";
}

std::string hint_suffix(std::string_view hint) { return hint.empty() ? "" : "; " + std::string(hint); }

int line_of_node(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

}  // namespace

// study_schema() is made from the key declarations: key_registry.cpp.

std::vector<std::pair<std::string, std::string>> keys_asked() {
  std::lock_guard<std::mutex> lock(g_asked_mutex);
  return {asked_registry().begin(), asked_registry().end()};
}

std::string without_indices(const std::string& key_path) {
  std::string out;
  bool in_index = false;
  for (char c : key_path) {
    if (c == '[') in_index = true;
    else if (c == ']') in_index = false;
    else if (!in_index) out += c;
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

TableReader::TableReader(const toml::table& table, std::string file, std::string key_prefix, std::string where)
    : table_(&table),
      root_(&table),
      file_(std::move(file)),
      key_prefix_(std::move(key_prefix)),
      where_(std::move(where)),
      line_(line_of_node(table)) {}

const toml::node* TableReader::lookup(std::string_view key) {
  if (std::find(known_keys_.begin(), known_keys_.end(), key) == known_keys_.end()) {
    known_keys_.emplace_back(key);
    if (study_schema_) {
      std::lock_guard<std::mutex> lock(g_asked_mutex);
      asked_registry().emplace(without_indices(key_prefix_), std::string(key));
    }
  }
  return table_->get(key);
}

TableReader TableReader::child(const toml::table& table, std::string key_prefix, std::string where) const {
  TableReader reader(table, file_, std::move(key_prefix), std::move(where));
  reader.root_ = root_;
  reader.study_schema_ = study_schema_;
  reader.plain_source_ = plain_source_;
  return reader;
}

std::string TableReader::elsewhere_hint(std::string_view unknown_key) const {
  const std::string here = without_indices(key_prefix_);
  if (!study_schema_ || schema_table(here) == nullptr) return "";
  std::vector<const SchemaTable*> owners;
  for (const SchemaTable& t : study_schema())
    if (t.path != here && !t.of_a_plan && std::find(t.keys.begin(), t.keys.end(), unknown_key) != t.keys.end())
      owners.push_back(&t);
  if (owners.empty()) return "";
  // A key of a section and of a table nested in another ("concentration": [vehicle] and
  // [[protocol.application]]) most likely lost the section's header.
  std::vector<const SchemaTable*> sections;
  for (const SchemaTable* t : owners)
    if (t->path.find('.') == std::string::npos) sections.push_back(t);
  if (sections.size() == 1) owners = sections;
  const std::string key = "'" + std::string(unknown_key) + "'";
  if (owners.size() > 1) {
    std::string list;
    for (std::size_t i = 0; i < owners.size(); ++i)
      list += (i == 0 ? "" : i + 1 == owners.size() ? " and " : ", ") + header_of(*owners[i]);
    return "; " + key + " is a key of " + list + ": is a table header missing above line " +
           std::to_string(line_of(unknown_key)) + "?";
  }
  const SchemaTable& owner = *owners.front();
  if (!document_has(*root_, owner.path))
    return "; " + key + " is a key of " + header_of(owner) + ", and this config has no " + header_of(owner) + ": the " +
           header_of(owner) + " header seems missing; add it on a line above line " +
           std::to_string(line_of(unknown_key)) + " (the keys below a header belong to it)";
  return "; " + key + " is a key of " + header_of(owner) + ": move it there";
}

std::string TableReader::missing_header_hint(std::string_view path) const {
  if (!study_schema_) return "";
  const SchemaTable* wanted = schema_table(path);
  if (wanted == nullptr) return "";
  // Its keys written in another table (the one above the lost header) or at the top level.
  std::vector<std::pair<int, std::string>> found;
  auto scan = [&](const toml::table& table, const std::string& where) {
    for (const auto& [key, node] : table) {
      const std::string name(key.str());
      const SchemaTable* own = schema_table(where);
      const bool belongs_here = own && std::find(own->keys.begin(), own->keys.end(), name) != own->keys.end();
      if (!belongs_here && std::find(wanted->keys.begin(), wanted->keys.end(), name) != wanted->keys.end())
        found.emplace_back(static_cast<int>(node.source().begin.line), name);
    }
  };
  scan(*root_, "");
  for (const auto& [key, node] : *root_)
    if (const toml::table* t = node.as_table()) scan(*t, std::string(key.str()));
  if (found.empty()) return "";
  std::sort(found.begin(), found.end());
  return "; '" + found.front().second + "' on line " + std::to_string(found.front().first) + " is a key of " +
         header_of(*wanted) + ": the " + header_of(*wanted) + " header seems missing above it";
}

bool TableReader::has(std::string_view key) { return lookup(key) != nullptr; }

bool TableReader::holds_string(std::string_view key) {
  const toml::node* node = lookup(key);
  return node != nullptr && node->is_string();
}

bool TableReader::holds_number(std::string_view key) {
  const toml::node* node = lookup(key);
  return node != nullptr && node->is_number();
}

bool TableReader::flag(std::string_view key, bool default_value) {
  if (!has(key)) return default_value;
  const std::string text = text_of(key);
  bool is_string = true;
  try {
    optional_string(key);
  } catch (const ConfigError&) {
    is_string = false;
  }
  if (!is_string && (text == "true" || text == "false")) return text == "true";
  fail(key,
       "expected true or false (a boolean, without quotes); got " + (is_string ? "\"" + text + "\" (a string)" : text));
}

bool TableReader::holds_table(std::string_view key) {
  const toml::node* node = lookup(key);
  return node != nullptr && node->is_table();
}

std::vector<std::string> TableReader::keys() const {
  std::vector<std::pair<int, std::string>> by_line;
  for (const auto& [key, node] : *table_)
    by_line.emplace_back(static_cast<int>(node.source().begin.line), std::string(key.str()));
  std::stable_sort(by_line.begin(), by_line.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (auto& entry : by_line) names.push_back(std::move(entry.second));
  return names;
}

std::string TableReader::key_path(std::string_view key) const {
  return key_prefix_.empty() ? std::string(key) : key_prefix_ + "." + std::string(key);
}

int TableReader::line_of(std::string_view key) const {
  if (auto it = table_->find(key); it != table_->end()) {
    if (const int line = line_of_node(it->second); line > 0) return line;
    if (const int line = static_cast<int>(it->first.source().begin.line); line > 0) return line;
  }
  return line_;
}

std::string TableReader::text_of(std::string_view key) const {
  const toml::node* node = table_->get(key);
  if (node == nullptr) return "";
  if (const auto* text = node->as_string()) return text->get();
  std::ostringstream rendered;
  node->visit([&rendered](const auto& value) { rendered << value; });
  return rendered.str();
}

void TableReader::fail(std::string_view key, const std::string& message) const {
  // A complaint about a key that is absent may have a misspelt twin in the table: name it.
  const std::string hint = table_->get(key) == nullptr ? typo_hint(key) : std::string();
  throw ConfigError(file_, line_of(key), key_path(key), message + hint, subject_);
}

void TableReader::fail_table(const std::string& message) const {
  throw ConfigError(file_, line_, key_prefix_, message, subject_);
}

bool TableReader::asked(std::string_view key) const {
  return std::find(known_keys_.begin(), known_keys_.end(), key) != known_keys_.end();
}

void TableReader::fail_entry(const ListEntry& entry, const std::string& message) const {
  throw ConfigError(file_, entry.line, entry.key_path, message, subject_);
}

std::string TableReader::typo_hint(std::string_view missing_key) const {
  for (auto&& [key, node] : *table_) {
    const bool known = std::find(known_keys_.begin(), known_keys_.end(), key.str()) != known_keys_.end();
    if (!known && looks_like_typo_of(key.str(), missing_key)) {
      return " (is '" + std::string(key.str()) + "' on line " + std::to_string(line_of(key.str())) +
             " a misspelling of it?)";
    }
  }
  return "";
}

void TableReader::fail_missing(std::string_view key, const std::string& expected) const {
  throw ConfigError(file_, line_, key_path(key),
                    "required key is missing " + where_ + "; give " + expected + typo_hint(key), subject_);
}

void TableReader::reject_unknown_keys() const {
  const toml::key* first_unknown = nullptr;
  for (auto&& [key, node] : *table_) {
    if (std::find(known_keys_.begin(), known_keys_.end(), key.str()) != known_keys_.end()) continue;
    if (first_unknown == nullptr || line_of(key.str()) < line_of(first_unknown->str())) {
      first_unknown = &key;
    }
  }
  if (first_unknown == nullptr) return;

  const std::string_view unknown = first_unknown->str();
  std::string message = "unknown key '" + std::string(unknown) + "' " + where_ + "; valid keys: ";
  std::string suggestion;
  for (std::size_t i = 0; i < known_keys_.size(); ++i) {
    message += (i == 0 ? "" : ", ") + known_keys_[i];
    if (looks_like_typo_of(unknown, known_keys_[i]) &&
        (suggestion.empty() || typo_distance(unknown, known_keys_[i]) < typo_distance(unknown, suggestion)))
      suggestion = known_keys_[i];
  }
  if (!suggestion.empty()) message += " (did you mean '" + suggestion + "'?)";
  else message += elsewhere_hint(unknown);
  fail(unknown, message);
}

std::optional<TableReader> TableReader::optional_table(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_table()) {
    fail(key, "expected a table [" + key_path(key) + "]; got " + describe(*node));
  }
  return child(*node->as_table(), key_path(key), "in [" + key_path(key) + "]");
}

TableReader TableReader::required_table(std::string_view key, std::string_view hint) {
  std::optional<TableReader> table = optional_table(key);
  if (!table) {
    // A misspelt twin ("[Vehicle]") is where the user looks: the error points at its line.
    int line = line_;
    for (auto&& [other, node] : *table_)
      if (looks_like_typo_of(other.str(), key)) line = line_of(other.str());
    throw ConfigError(file_, line, key_path(key),
                      "required table [" + key_path(key) + "] is missing" + typo_hint(key) +
                          missing_header_hint(key_path(key)) + hint_suffix(hint) + " (see docs/CONFIG.md)",
                      subject_);
  }
  return std::move(*table);
}

std::vector<TableReader> TableReader::required_table_array(std::string_view key, std::string_view hint) {
  const std::string path = key_path(key);
  const toml::node* node = lookup(key);
  if (node == nullptr) {
    throw ConfigError(file_, line_, path,
                      "at least one [[" + path + "]] table is required" + typo_hint(key) + hint_suffix(hint) +
                          " (see docs/CONFIG.md)",
                      subject_);
  }
  const toml::array* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables() || array->empty()) {
    fail(key, "expected one or more [[" + path + "]] tables (double brackets, one per entry); got " +
                  (node->is_table() ? "a single [" + path + "] table" : describe(*node)));
  }
  std::vector<TableReader> tables;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string index = std::to_string(i + 1);
    tables.push_back(child(*array->get(i)->as_table(), path + "[" + index + "]", "in [[" + path + "]] #" + index));
  }
  return tables;
}

std::optional<std::vector<TableReader>> TableReader::optional_table_array(std::string_view key) {
  const std::string path = key_path(key);
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  const toml::array* array = node->as_array();
  if (array == nullptr || (!array->empty() && !array->is_array_of_tables())) {
    fail(key, "expected an array of tables ([[" + path + "]] or [{ ... }, { ... }]); got " +
                  (node->is_table() ? "a single [" + path + "] table" : describe(*node)));
  }
  std::vector<TableReader> tables;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string index = std::to_string(i + 1);
    tables.push_back(child(*array->get(i)->as_table(), path + "[" + index + "]", "in " + path + "[" + index + "]"));
  }
  return tables;
}

std::optional<std::vector<std::string>> TableReader::optional_string_list(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  const toml::array* array = node->as_array();
  if (array == nullptr) fail(key, "expected an array of strings such as [\"a\", \"b\"]; got " + describe(*node));
  std::vector<std::string> values;
  for (const toml::node& element : *array) {
    if (!element.is_string()) {
      fail(key, "expected an array of strings such as [\"a\", \"b\"]; element " + std::to_string(values.size() + 1) +
                    " is " + describe(element));
    }
    values.push_back(element.as_string()->get());
  }
  return values;
}

namespace {
// The inline-table form { value = ..., source = "..." } of a sourced value.
template <typename ReadValue>
std::optional<Sourced> read_sourced(TableReader& parent, const toml::node* node, std::string_view key,
                                    std::string_view plain_source, ReadValue read_value) {
  if (node == nullptr) return std::nullopt;
  if (!node->is_table()) return Sourced{*read_value(parent, key), std::string(plain_source)};
  TableReader inner = *parent.optional_table(key);
  Sourced sourced;
  const std::optional<double> value = read_value(inner, "value");
  if (!value) inner.fail_table("expected { value = ..., source = \"...\" }: 'value' is missing");
  sourced.value = *value;
  sourced.source = inner.required_string("source", "PubChem CID 936");
  if (sourced.source.empty()) inner.fail("source", "expected a non-empty source (a citation)");
  inner.reject_unknown_keys();
  return sourced;
}
}  // namespace

std::optional<Sourced> TableReader::optional_sourced_number(std::string_view key, Bounds bounds,
                                                            std::string_view example, std::string_view plain_source) {
  return read_sourced(*this, lookup(key), key, plain_source, [&](TableReader& table, std::string_view k) {
    return table.optional_number(k, bounds, example);
  });
}

std::optional<Sourced> TableReader::optional_sourced_quantity(std::string_view key, Dimension dimension, Bounds bounds,
                                                              std::string_view plain_source) {
  return read_sourced(*this, lookup(key), key, plain_source, [&](TableReader& table, std::string_view k) {
    return table.optional_quantity(k, dimension, bounds);
  });
}

std::optional<std::string> TableReader::optional_string(std::string_view key) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) fail(key, "expected a string; got " + describe(*node));
  return node->as_string()->get();
}

std::string TableReader::required_string(std::string_view key, std::string_view example) {
  const std::string expected = "a string such as \"" + std::string(example) + "\"";
  const toml::node* node = lookup(key);
  if (node == nullptr) fail_missing(key, expected);
  if (!node->is_string()) fail(key, "expected " + expected + "; got " + describe(*node));
  return node->as_string()->get();
}

std::string TableReader::choice(std::string_view key, std::initializer_list<std::string_view> allowed,
                                std::string_view default_value) {
  return choice_of(key, std::vector<std::string>(allowed.begin(), allowed.end()), default_value);
}

std::string TableReader::choice_of(std::string_view key, const std::vector<std::string>& allowed,
                                   std::string_view default_value) {
  std::string options;
  for (std::string_view option : allowed) {
    options += (options.empty() ? "\"" : ", \"") + std::string(option) + "\"";
  }
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::string(default_value);
  std::string suggestion;
  if (node->is_string()) {
    const std::string& value = node->as_string()->get();
    if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return value;
    std::string_view best;
    for (std::string_view option : allowed)
      if (looks_like_typo_of(value, option) &&
          (best.empty() || typo_distance(value, option) < typo_distance(value, best)))
        best = option;
    if (!best.empty()) suggestion = " (did you mean \"" + std::string(best) + "\"?)";
  }
  fail(key, "expected one of " + options + "; got " + describe(*node) + suggestion);
}

std::optional<double> TableReader::optional_number(std::string_view key, Bounds bounds, std::string_view example) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  const std::string expected = "expected " + number_expectation(bounds, example) + "; got ";
  if (!node->is_number()) {
    const char* advice = node->is_string() ? "; write it without quotes" : "";
    fail(key, expected + describe(*node) + advice);
  }
  const double value = *node->value<double>();
  if (!std::isfinite(value)) fail(key, expected + describe(*node) + ", which is not a finite number");
  if (!bounds.contains(value)) fail(key, expected + describe(*node));
  return value;
}

double TableReader::required_number(std::string_view key, Bounds bounds, std::string_view example,
                                    std::string_view missing_hint) {
  if (std::optional<double> value = optional_number(key, bounds, example)) return *value;
  fail_missing(key, number_expectation(bounds, example) + hint_suffix(missing_hint));
}

std::optional<double> TableReader::optional_quantity(std::string_view key, Dimension dimension, Bounds bounds) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  if (!node->is_string()) {
    // Same wording as parse_quantity's errors: the unit is the problem, not the range.
    std::string message = "expected " + quantity_expectation(dimension, Bounds::any()) + "; got " + describe(*node);
    if (node->is_number())
      message += ", which has no unit; write it as a string, e.g. \"" +
                 with_plausible_unit(*node->value<double>(), dimension, bounds) + "\"";
    fail(key, message);
  }
  const std::string& text = node->as_string()->get();
  double value = 0.0;
  try {
    value = parse_quantity(text, dimension);
  } catch (const QuantityError& error) {
    fail(key, error.what());
  }
  if (!bounds.contains(value)) {
    fail(key, "expected " + quantity_expectation(dimension, bounds) + "; got \"" + text + "\"");
  }
  return value;
}

double TableReader::required_quantity(std::string_view key, Dimension dimension, Bounds bounds,
                                      std::string_view missing_hint) {
  if (std::optional<double> value = optional_quantity(key, dimension, bounds)) return *value;
  fail_missing(key, quantity_expectation(dimension, bounds) + hint_suffix(missing_hint));
}

std::optional<std::vector<ListEntry>> TableReader::optional_quantity_list(std::string_view key, Dimension dimension,
                                                                          Bounds bounds) {
  const toml::node* node = lookup(key);
  if (node == nullptr) return std::nullopt;
  const std::string element_expected = quantity_expectation(dimension, bounds);
  const toml::array* array = node->as_array();
  if (array == nullptr || array->empty()) {
    fail(key, "expected a non-empty array of strings, each " + element_expected + "; got " +
                  (array ? "an empty array" : describe(*node)));
  }

  std::vector<ListEntry> entries;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    ListEntry entry;
    entry.line = line_of_node(element) > 0 ? line_of_node(element) : line_of(key);
    entry.key_path = key_path(key) + "[" + std::to_string(i + 1) + "]";
    if (!element.is_string()) {
      fail_entry(entry,
                 "expected " + element_expected + "; got " + describe(element) +
                     (element.is_number() ? ", which has no unit; write it as a string, e.g. \"" +
                                                with_plausible_unit(*element.value<double>(), dimension, bounds) + "\""
                                          : std::string()));
    }
    entry.text = element.as_string()->get();
    try {
      entry.value = parse_quantity(entry.text, dimension);
    } catch (const QuantityError& error) {
      fail_entry(entry, error.what());
    }
    if (!bounds.contains(entry.value)) {
      fail_entry(entry, "expected " + element_expected + "; got \"" + entry.text + "\"");
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

std::optional<std::string> TableReader::at_most_one_of(std::string_view first, std::string_view second) {
  const bool has_first = has(first);
  const bool has_second = has(second);
  if (has_first && has_second) {
    // Point at whichever comes later in the file: that is where the contradiction appears.
    const bool second_is_later = line_of(second) >= line_of(first);
    const std::string_view later = second_is_later ? second : first;
    const std::string_view earlier = second_is_later ? first : second;
    fail(later, "give either '" + std::string(first) + "' or '" + std::string(second) + "', not both ('" +
                    std::string(earlier) + "' is already given on line " + std::to_string(line_of(earlier)) + ")");
  }
  if (has_first) return std::string(first);
  if (has_second) return std::string(second);
  return std::nullopt;
}

std::string TableReader::exactly_one_of(std::string_view first, std::string_view second, std::string_view hint) {
  if (std::optional<std::string> given = at_most_one_of(first, second)) return *given;
  const std::string typo = typo_hint(first) + typo_hint(second);
  throw ConfigError(file_, line_, key_path(first),
                    "required key is missing " + where_ + "; give either '" + std::string(first) + "' or '" +
                        std::string(second) + "': " + std::string(hint) + typo,
                    subject_);
}

}  // namespace poreflux::config
