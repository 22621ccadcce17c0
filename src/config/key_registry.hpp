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
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "table_reader.hpp"

namespace poreflux::config {

// The declarations themselves are plain data of the types layer (poreflux/key_decl.hpp), so that
// a section's struct can carry its keys beside its fields (NumericsSpec::keys()).
using poreflux::KeyDecl;
using poreflux::KeyField;
using poreflux::KeyFields;
using poreflux::KeyType;
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
std::optional<std::vector<double>> read_quantity_list_value(TableReader& table, const KeyDecl& key);  // internal units
// The value as the resolved config writes it.
void write_number_value(const KeyDecl& key, double value, toml::table& out);
// A default as the docs show it ("1e-05", "0.001 s"), for bound keys: taken from the struct's
// default member initialiser, so the docs cannot drift from the code.
std::string number_text(const KeyDecl& key, double value);
// A key read by a named function states its default itself (derived, or one of a pair), and so
// does a key whose absence means something other than its member's initial value (no_default).
inline void default_from_struct(KeyDecl& decl, std::string text) {
  if (decl.default_text.empty() && decl.read_by.empty() && !decl.absence_stated) decl.default_text = std::move(text);
}
// A value that may carry its source (KeyType::sourced): plain, it gets the reader's plain_source().
std::optional<Sourced> read_sourced_value(TableReader& table, const KeyDecl& key);
// As { value = ..., source = "..." }.
void write_sourced_value(const KeyDecl& key, const Sourced& value, toml::table& out);

// The struct with its default member initialisers, made once. (`= Spec()` rather than a
// temporary `Spec{}`: GCC 12 at -O3 warns, wrongly, of an uninitialised string in the
// temporary's destructor for VehicleSpec.)
template <class Spec>
const Spec& struct_defaults() {
  static const Spec defaults = Spec();
  return defaults;
}
// The member's default: its initialiser in the struct.
template <class Spec, class T>
const T& default_of(T Spec::*member) {
  return struct_defaults<Spec>().*member;
}

template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, double Spec::*member) {
  default_from_struct(decl, number_text(decl, default_of(member)));
  return {std::move(decl),
          [member](TableReader& t, const KeyDecl& k, Spec& s) {
            if (std::optional<double> v = read_number_value(t, k)) s.*member = *v;
          },
          [member](const KeyDecl& k, const Spec& s, toml::table& out) { write_number_value(k, s.*member, out); }};
}

template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, std::string Spec::*member) {
  default_from_struct(decl, "\"" + default_of(member) + "\"");
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
  default_from_struct(decl, "\"" + name_of(default_of(member)) + "\"");
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
  default_from_struct(decl, default_of(member) ? "true" : "false");
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
// `source`), or, declared `sourced`, a value with its source (`log_kow = { value = -0.37, source
// = "..." }`). Written back when present: a sourced key with its source, others as the value.
template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, std::optional<Sourced> Spec::*member) {
  return {std::move(decl),
          [member](TableReader& t, const KeyDecl& k, Spec& s) {
            if (k.type == KeyType::sourced) {
              if (std::optional<Sourced> v = read_sourced_value(t, k)) s.*member = *v;
            } else if (std::optional<double> v = read_number_value(t, k)) {
              s.*member = Sourced{*v, "config"};
            }
          },
          [member](const KeyDecl& k, const Spec& s, toml::table& out) {
            if (!(s.*member)) return;
            if (k.type == KeyType::sourced) write_sourced_value(k, *(s.*member), out);
            else write_number_value(k, (s.*member)->value, out);
          }};
}

// A value that is always there, given (source "config") or derived (its source says how).
template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, Sourced Spec::*member) {
  default_from_struct(decl, number_text(decl, default_of(member).value));
  return {
      std::move(decl),
      [member](TableReader& t, const KeyDecl& k, Spec& s) {
        if (std::optional<double> v = read_number_value(t, k)) s.*member = Sourced{*v, "config"};
      },
      [member](const KeyDecl& k, const Spec& s, toml::table& out) { write_number_value(k, (s.*member).value, out); }};
}

// An array of strings.
template <class Spec>
BoundKey<Spec> bind(KeyDecl decl, std::vector<std::string> Spec::*member) {
  return {std::move(decl),
          [member](TableReader& t, const KeyDecl& k, Spec& s) {
            if (std::optional<std::vector<std::string>> v = t.optional_string_list(k.name)) s.*member = *v;
          },
          [member](const KeyDecl& k, const Spec& s, toml::table& out) {
            toml::array list;
            for (const std::string& text : s.*member) list.push_back(text);
            out.insert_or_assign(k.name, std::move(list));
          }};
}

// Written back only when `when` holds (a key only one model uses; a value the config gave).
template <class Spec>
BoundKey<Spec> written_when(BoundKey<Spec> key, std::function<bool(const Spec&)> when) {
  key.write = [write = std::move(key.write), when = std::move(when)](const KeyDecl& k, const Spec& s,
                                                                     toml::table& out) {
    if (when(s)) write(k, s, out);
  };
  return key;
}

// A key its section's struct declares beside its fields (poreflux/key_decl.hpp): bound through the
// overloads above, so both ways of declaring read, check, write back and document alike.
template <class Spec>
BoundKey<Spec> bind_member(const KeyField<Spec>& field) {
  if (field.number) return bind(field.decl, field.number);
  if (field.text) return bind(field.decl, field.text);
  if (field.flag) return bind(field.decl, field.flag);
  if (field.maybe_number) return bind(field.decl, field.maybe_number);
  if (field.sourced) return bind(field.decl, field.sourced);
  if (field.maybe_sourced) return bind(field.decl, field.maybe_sourced);
  if (field.text_list) return bind(field.decl, field.text_list);
  KeyDecl decl = field.decl;
  default_from_struct(decl, "\"" + field.choice_of(struct_defaults<Spec>()) + "\"");
  return {
      std::move(decl),
      [field](TableReader& t, const KeyDecl& k, Spec& s) {
        field.set_choice(s, read_choice_value(t, k, field.choice_of(s)));
      },
      [field](const KeyDecl& k, const Spec& s, toml::table& out) { out.insert_or_assign(k.name, field.choice_of(s)); }};
}
template <class Spec>
BoundKey<Spec> bind(const KeyField<Spec>& field) {
  BoundKey<Spec> key = bind_member(field);
  if (field.write_if) key = written_when(std::move(key), field.write_if);
  return key;
}

// The bound keys of a section whose struct declares them (Spec::keys()), made once.
template <class Spec>
const std::vector<BoundKey<Spec>>& bindings_of() {
  static const std::vector<BoundKey<Spec>> keys = [] {
    std::vector<BoundKey<Spec>> bound;
    for (const KeyField<Spec>& field : Spec::keys()) bound.push_back(bind(field));
    return bound;
  }();
  return keys;
}

// A key that lands in no one member (the other half of an either/or pair, converted; a table of
// names): declared with the others for the schema and the docs, read and written by its named
// function (decl.read_by), so the generic path neither reads nor writes it.
template <class Spec>
BoundKey<Spec> unbound(KeyDecl decl) {
  return {std::move(decl), [](TableReader&, const KeyDecl&, Spec&) {},
          [](const KeyDecl&, const Spec&, toml::table&) {}};
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

// Reads the keys of `keys` that no named function reads (no `read_by`) and that the section's
// reader has not asked about: a plain key added to a struct's keys() is read here, after the
// reader's rules, with no change to the reader. Call before reject_unknown_keys.
template <class Spec>
void read_remaining_keys(TableReader& table, const std::vector<BoundKey<Spec>>& keys, Spec& spec) {
  for (const BoundKey<Spec>& key : keys)
    if (key.decl.read_by.empty() && !table.asked(key.decl.name)) key.read(table, key.decl, spec);
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
