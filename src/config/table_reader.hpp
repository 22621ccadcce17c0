// Reads one TOML table of a config key by key, checking type, unit and range, and turns
// every problem into a ConfigError that names file, line and key path. It remembers every
// key it was asked about, so that reject_unknown_keys() can catch typos and keys from other
// versions of the schema instead of silently ignoring them.
//
// Section readers (read_sections.cpp) use it for every table; new sections such as a
// microneedle [treatment] need only ask for their keys the same way.
//
// Internal header: includes toml++, so only src/config/*.cpp may include it.
#pragma once

#include <toml++/toml.h>

#include <initializer_list>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "poreflux/key_decl.hpp"
#include "poreflux/parameters.hpp"
#include "poreflux/units.hpp"

namespace poreflux::config {

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);

// The range a number or quantity must lie in (poreflux/key_decl.hpp, the types layer).
using poreflux::Bounds;

// One element of a list of quantities, with where it was written, so that checks across
// elements (ordering, limits) can point at the offending one.
struct ListEntry {
  double value = 0.0;  // internal units
  std::string text;    // as written, for messages
  int line = 0;
  std::string key_path;  // "protocol.output_times[3]"
};

// The tables of a study config and the keys each accepts, by table path without indices (""
// the top level, "vehicle", "layer", "protocol.application", "treatment", ...), made from the key
// declarations (key_registry.hpp). Used to say
// where a key that is unknown in one table belongs ("'device' is a key of [treatment]: the
// [treatment] header seems missing"). tests/test_formulator.cpp checks it against the keys the
// readers ask for.
struct SchemaTable {
  std::string path;
  bool array = false;  // [[layer]], not [vehicle]
  std::vector<std::string> keys;
  // A table of a study of many cases ([sweep], [population] and their entries): a single study
  // refuses them, so a study's misplaced key is never pointed there.
  bool of_a_plan = false;
};
const std::vector<SchemaTable>& study_schema();

// Every key a TableReader was asked about in this process, by table path without indices.
std::vector<std::pair<std::string, std::string>> keys_asked();

// "layer[2].thickness" -> "layer.thickness": a key path without its indices.
std::string without_indices(const std::string& key_path);

class TableReader {
 public:
  // `key_prefix` is this table's key path ("" at the top level, "vehicle", "layer[2]");
  // `where` names it in prose ("at the top level", "in [vehicle]", "in [[layer]] #2").
  TableReader(const toml::table& table, std::string file, std::string key_prefix, std::string where);

  // Sub-tables. An array of tables must hold at least one table. `hint` says, when the
  // table is missing, what a minimal one looks like.
  std::optional<TableReader> optional_table(std::string_view key);
  TableReader required_table(std::string_view key, std::string_view hint);
  std::vector<TableReader> required_table_array(std::string_view key, std::string_view hint);
  // An array of tables ([[key]] or [{...}, {...}]); empty when absent. An empty array is
  // allowed (e.g. pka = [] for a compound with no ionisable group).
  std::optional<std::vector<TableReader>> optional_table_array(std::string_view key);

  // Plain values. `example` is shown in messages ("such as ...").
  std::optional<std::string> optional_string(std::string_view key);
  std::string required_string(std::string_view key, std::string_view example);
  // One of `allowed`, or `default_value` when the key is absent.
  std::string choice(std::string_view key, std::initializer_list<std::string_view> allowed,
                     std::string_view default_value);
  // The same with the choices in a list (a key declaration's, key_registry.hpp).
  std::string choice_of(std::string_view key, const std::vector<std::string>& allowed, std::string_view default_value);
  // Integers and floats are both accepted; non-finite values are refused.
  std::optional<double> optional_number(std::string_view key, Bounds bounds, std::string_view example);
  double required_number(std::string_view key, Bounds bounds, std::string_view example,
                         std::string_view missing_hint = {});

  // An array of strings (e.g. aliases); nullopt when absent.
  std::optional<std::vector<std::string>> optional_string_list(std::string_view key);

  // A value that may carry its source: either plain (`log_kow = -0.37`, source
  // `plain_source`) or as an inline table (`log_kow = { value = -0.37, source = "..." }`).
  std::optional<Sourced> optional_sourced_number(std::string_view key, Bounds bounds, std::string_view example,
                                                 std::string_view plain_source);
  std::optional<Sourced> optional_sourced_quantity(std::string_view key, Dimension dimension, Bounds bounds,
                                                   std::string_view plain_source);

  // Quantities: strings "<number> <unit>", returned in internal units.
  std::optional<double> optional_quantity(std::string_view key, Dimension dimension, Bounds bounds);
  // `missing_hint` is added to the message when the key is absent.
  double required_quantity(std::string_view key, Dimension dimension, Bounds bounds,
                           std::string_view missing_hint = {});
  // An array of quantity strings; each element is checked against `bounds`.
  std::optional<std::vector<ListEntry>> optional_quantity_list(std::string_view key, Dimension dimension,
                                                               Bounds bounds);

  // Two keys that say the same thing in different ways. at_most_one_of returns the one
  // given, if any; exactly_one_of also fails when neither is given (`hint` says what to
  // write). Both fail when both are given.
  std::optional<std::string> at_most_one_of(std::string_view first, std::string_view second);
  std::string exactly_one_of(std::string_view first, std::string_view second, std::string_view hint);

  bool has(std::string_view key);          // counts as asking about the key
  bool asked(std::string_view key) const;  // whether the key was asked about (does not count as asking)
  // Whether the key holds a string / a number (integer or float); false when absent. Count as asking.
  bool holds_string(std::string_view key);
  bool holds_number(std::string_view key);
  // A boolean (true / false, unquoted); default_value when absent.
  bool flag(std::string_view key, bool default_value);
  // Whether the key holds a table (an inline { ... } or a [section]); false when absent.
  bool holds_table(std::string_view key);
  // The keys this table holds, in the order they were written (for tables whose keys are
  // names, such as a composition { water = 0.9, glycerol = 0.1 }).
  std::vector<std::string> keys() const;

  // The line of the key's value, or of this table when the key is absent.
  int line_of(std::string_view key) const;
  int line() const { return line_; }
  // The key's value as written ("24 h"), for messages about relations between keys.
  std::string text_of(std::string_view key) const;
  std::string key_path(std::string_view key) const;
  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }

  // A name to show next to key paths in messages, e.g. the layer's name.
  void set_subject(std::string subject) { subject_ = std::move(subject); }
  // This reader (and the tables read from it) read a study config: unknown keys and missing
  // tables are checked against study_schema() for where they belong. Set on the top level.
  void use_study_schema() { study_schema_ = true; }
  // The source of a value given without one (`log_kow = -0.37`): "config" in a study, the file
  // in a library file. Tables read from this one inherit it.
  void set_plain_source(std::string source) { plain_source_ = std::move(source); }
  const std::string& plain_source() const { return plain_source_; }

  [[noreturn]] void fail(std::string_view key, const std::string& message) const;
  [[noreturn]] void fail_table(const std::string& message) const;
  [[noreturn]] void fail_entry(const ListEntry& entry, const std::string& message) const;

  // Fails on the first (by line) key that no one asked about, listing the valid keys.
  // Call after reading everything the table may hold.
  void reject_unknown_keys() const;

 private:
  const toml::node* lookup(std::string_view key);  // registers the key as valid
  std::string typo_hint(std::string_view missing_key) const;
  // " 'device' is a key of [treatment]: ..." for a key unknown here; "" when none applies.
  std::string elsewhere_hint(std::string_view unknown_key) const;
  // For a missing table `path`: its keys written elsewhere (its header seems missing); "" if none.
  std::string missing_header_hint(std::string_view path) const;
  TableReader child(const toml::table& table, std::string key_prefix, std::string where) const;
  [[noreturn]] void fail_missing(std::string_view key, const std::string& expected) const;

  const toml::table* table_;  // owned by the parsed document; a pointer keeps readers assignable
  const toml::table* root_;   // the document's top level (for where a key belongs)
  bool study_schema_ = false;
  std::string plain_source_ = "config";
  std::string file_;
  std::string key_prefix_;
  std::string where_;
  std::string subject_;
  int line_;
  std::vector<std::string> known_keys_;  // in the order asked, for "valid keys: ..."
};

}  // namespace poreflux::config
