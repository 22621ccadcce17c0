// One declaration per config key (issue 18), in the manner of deal.II's
// ParameterAcceptor::add_parameter: the key's section and name, its type or physical dimension,
// the range it must lie in and why, its default and where that comes from, a one-line doc, and
// where it lands in the Study. From the declarations come
//   - the reading of plain keys (read_keys / read_key: the TableReader calls and their messages),
//   - their range checks,
//   - their lines in the resolved config (write_keys),
//   - study_schema() (where a key belongs, for "did you mean" and "header missing" hints),
//   - the key tables of docs/CONFIG.md and the fuzz dictionary (`poreflux config-keys`).
// Keys with rules across keys (either/or pairs, presets with provenance, derived defaults) are
// declared here too, for the schema and the docs, and name the function that reads them
// (`read_by`): those rules stay in named validation functions.
//
// Internal header (toml++ via table_reader.hpp): only src/config may include it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "table_reader.hpp"

namespace poreflux::config {

enum class KeyType {
  string,         // any text
  choice,         // one of `choices`
  flag,           // true / false
  number,         // a bare number
  quantity,       // "<number> <unit>" of `dimension`
  quantity_list,  // an array of quantities
  string_list,    // an array of strings
  table,          // a table ({ ... } or [section])
  table_array,    // an array of tables ([[...]])
  sourced,        // a number or quantity, or { value = ..., source = "..." }
  mixed,          // several forms, said in the doc (a number or "never", a quantity or a table ...)
};

// Everything said about one key. Built with the chainable setters below:
//   Key("numerics", "rtol").number(Bounds::open(0.0, 0.1), "1e-5").doc("...")
struct KeyDecl {
  std::string section;            // table path without indices: "numerics", "layer", "protocol.application"
  bool section_is_array = false;  // [[layer]], not [numerics]
  std::string name;
  KeyType type = KeyType::string;
  Dimension dimension = Dimension::length;  // for quantities (also of lists and sourced values)
  bool has_dimension = false;
  Bounds range;                      // for numbers and quantities; range.why says why
  std::vector<std::string> choices;  // for choices
  std::string example;               // a valid value as written in TOML (shown in messages)
  std::string default_text;          // "" = no default (absent means none, or derived: see default_source)
  std::string default_source;        // where the default comes from
  std::string doc;                   // one line
  std::string lands_in;              // "Study::numerics.rtol"
  std::string read_by;               // "" = the generic path; else the named function with its cross-key rules
  bool written_back = true;          // recorded in the resolved config

  KeyDecl() = default;
  KeyDecl(std::string section_path, std::string key_name);
  KeyDecl& array_section() {
    section_is_array = true;
    return *this;
  }
  KeyDecl& text(std::string example_value);
  KeyDecl& one_of(std::vector<std::string> allowed);
  KeyDecl& flag();
  KeyDecl& number(Bounds bounds, std::string example_value);
  KeyDecl& quantity(Dimension dim, Bounds bounds);
  KeyDecl& quantity_list(Dimension dim, Bounds bounds);
  KeyDecl& string_list();
  KeyDecl& table();
  KeyDecl& table_array();
  KeyDecl& sourced_number(Bounds bounds, std::string example_value);
  KeyDecl& sourced_quantity(Dimension dim, Bounds bounds);
  KeyDecl& mixed(std::string forms);
  KeyDecl& defaults_to(std::string value, std::string source);
  KeyDecl& no_default(std::string what_absent_means);
  KeyDecl& doc_line(std::string line);
  KeyDecl& lands(std::string study_member);
  KeyDecl& read_by_function(std::string function);
  KeyDecl& not_written_back(std::string why);
};
using Key = KeyDecl;

// ---- the generic path ----

// A plain key bound to the member of the struct it lands in (Spec: NumericsSpec, ...).
template <class Spec>
struct BoundKey {
  KeyDecl decl;
  std::function<void(TableReader&, const KeyDecl&, Spec&)> read;         // leaves the member as is when absent
  std::function<void(const KeyDecl&, const Spec&, toml::table&)> write;  // into the resolved config
};

// The typed reads every plain key goes through (the TableReader calls and their messages).
std::optional<double> read_number_value(TableReader& table, const KeyDecl& key);  // number or quantity
std::string read_choice_value(TableReader& table, const KeyDecl& key, const std::string& current);
std::optional<std::string> read_string_value(TableReader& table, const KeyDecl& key);
// The value as the resolved config writes it.
void write_number_value(const KeyDecl& key, double value, toml::table& out);
// A default as the docs show it ("1e-05", "0.001 s"), for bound keys: taken from the struct's
// default member initialiser, so the docs cannot drift from the code.
std::string number_text(const KeyDecl& key, double value);
inline void default_from_struct(KeyDecl& decl, std::string text) {
  if (decl.default_text.empty()) decl.default_text = std::move(text);
}

template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, double Spec::*member) {
  default_from_struct(decl, number_text(decl, Spec{}.*member));
  return {std::move(decl),
          [member](TableReader& t, const KeyDecl& k, Spec& s) {
            if (std::optional<double> v = read_number_value(t, k)) s.*member = *v;
          },
          [member](const KeyDecl& k, const Spec& s, toml::table& out) { write_number_value(k, s.*member, out); }};
}

template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, std::string Spec::*member) {
  default_from_struct(decl, "\"" + Spec{}.*member + "\"");
  return {std::move(decl),
          [member](TableReader& t, const KeyDecl& k, Spec& s) {
            if (k.type == KeyType::choice) s.*member = read_choice_value(t, k, s.*member);
            else if (std::optional<std::string> v = read_string_value(t, k)) s.*member = *v;
          },
          [member](const KeyDecl& k, const Spec& s, toml::table& out) { out.insert_or_assign(k.name, s.*member); }};
}

// A choice that lands in an enum: `names` pairs each choice with its value.
template <class Spec, class Enum>
BoundKey<Spec> bind(KeyDecl decl, Enum Spec::*member, std::vector<std::pair<std::string, Enum>> names) {
  auto name_of = [names](Enum value) {
    for (const auto& [name, v] : names)
      if (v == value) return name;
    return names.front().first;
  };
  default_from_struct(decl, "\"" + name_of(Spec{}.*member) + "\"");
  return {std::move(decl),
          [member, names, name_of](TableReader& t, const KeyDecl& k, Spec& s) {
            const std::string chosen = read_choice_value(t, k, name_of(s.*member));
            for (const auto& [name, v] : names)
              if (name == chosen) s.*member = v;
          },
          [member, name_of](const KeyDecl& k, const Spec& s, toml::table& out) {
            out.insert_or_assign(k.name, name_of(s.*member));
          }};
}

// A true / false switch.
template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, bool Spec::*member) {
  default_from_struct(decl, Spec{}.*member ? "true" : "false");
  return {std::move(decl),
          [member](TableReader& t, const KeyDecl& k, Spec& s) { s.*member = t.flag(k.name, s.*member); },
          [member](const KeyDecl& k, const Spec& s, toml::table& out) { out.insert_or_assign(k.name, s.*member); }};
}

// A number or quantity that may be absent (absent means none): written back only when present.
template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, std::optional<double> Spec::*member) {
  return {std::move(decl),
          [member](TableReader& t, const KeyDecl& k, Spec& s) {
            if (std::optional<double> v = read_number_value(t, k)) s.*member = *v;
          },
          [member](const KeyDecl& k, const Spec& s, toml::table& out) {
            if (s.*member) write_number_value(k, *(s.*member), out);
          }};
}

// A value given in the config or else derived later (by the resolve step, with its relation in
// `source`): given, it lands with source "config"; written back, as its value, when present.
template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, std::optional<Sourced> Spec::*member) {
  return {std::move(decl),
          [member](TableReader& t, const KeyDecl& k, Spec& s) {
            if (std::optional<double> v = read_number_value(t, k)) s.*member = Sourced{*v, "config"};
          },
          [member](const KeyDecl& k, const Spec& s, toml::table& out) {
            if (s.*member) write_number_value(k, (s.*member)->value, out);
          }};
}

// A range with the reason for it (shown in the docs; in messages when the range has its `text`).
inline Bounds because(Bounds bounds, std::string why) {
  bounds.why = std::move(why);
  return bounds;
}

// Reads every key of `keys` in declaration order (the order "valid keys" lists them in).
template <class Spec>
void read_keys(TableReader& table, const std::vector<BoundKey<Spec>>& keys, Spec& spec) {
  for (const BoundKey<Spec>& key : keys) key.read(table, key.decl, spec);
}

// Reads the one key `name` of `keys` (a plain key among keys with cross-key rules).
template <class Spec>
void read_key(TableReader& table, const std::vector<BoundKey<Spec>>& keys, const std::string& name, Spec& spec) {
  for (const BoundKey<Spec>& key : keys)
    if (key.decl.name == name) return key.read(table, key.decl, spec);
}

template <class Spec>
void write_keys(const std::vector<BoundKey<Spec>>& keys, const Spec& spec, toml::table& out) {
  for (const BoundKey<Spec>& key : keys)
    if (key.decl.written_back) key.write(key.decl, spec, out);
}

template <class Spec>
std::vector<KeyDecl> declarations_of(const std::vector<BoundKey<Spec>>& keys) {
  std::vector<KeyDecl> out;
  for (const BoundKey<Spec>& key : keys) out.push_back(key.decl);
  return out;
}

// ---- the registry ----

// Every key of a study config, section by section in the order docs/CONFIG.md has them.
const std::vector<KeyDecl>& config_keys();
// The declaration of `name` in `section` (for readers with cross-key rules that still take the
// key's range and example from its declaration). Throws std::logic_error when undeclared.
const KeyDecl& declared_key(const std::string& section, const std::string& name);

// The sections whose every key is declared with its type, range, default and doc, so that
// docs/CONFIG.md holds their generated key table (tests/test_config_keys.cpp checks it).
const std::vector<std::string>& documented_sections();

// `poreflux config-keys`: every key, one line each; with markdown, one table per section of
// documented_sections() between the marker comments docs/CONFIG.md holds them in.
std::string config_keys_text();
std::string config_keys_markdown_table(const std::string& section);
std::string config_keys_markdown();
// The lines of tools/fuzz/config.dict made from the registry: each key, header and choice.
std::string config_keys_fuzz_dictionary();

}  // namespace poreflux::config
