// What is said about one config key, as plain data (issue 18): its section and name, its type or
// physical dimension, the range it must lie in and why, its default and where that comes from, a
// one-line doc, and where it lands in the Study. No TOML here: the config layer
// (src/config/key_registry.hpp) reads, range-checks and writes back every key from these
// declarations, and makes the docs' key tables and the fuzz dictionary from them.
//
// A section's struct declares its plain keys beside its fields, as a static keys() returning
// KeyFields (each a declaration and the member it lands in), e.g. NumericsSpec::keys() in
// numerics_spec.hpp: a new plain key is one field and one entry there.
#pragma once

#include <functional>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "poreflux/units.hpp"

namespace poreflux {

struct Sourced;  // poreflux/parameters.hpp: a value with where it came from

// The fewest digits (at least 6) that read back as the same double: 16.8, not 16.800000000000001.
// Used by range descriptions and by the config reader's messages.
std::string shortest_number_text(double value);

// The range a number or quantity (in internal units) must lie in, and how to say so.
struct Bounds {
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
  bool lower_open = false;
  bool upper_open = false;
  // For ranges of physical plausibility (poreflux/plausible_ranges.hpp): how to say the range
  // in the units a user writes ("between 0.1 um and 10 mm") and why it is the range.
  std::string text;
  std::string why;
  // A typical value (internal units) of what the range bounds: a bare number is suggested
  // with the unit that puts it nearest to this (1.5 for a needle: "1.5 mm"; for a cell size:
  // "1.5 um"). NaN: the geometric middle of the range.
  double typical = std::numeric_limits<double>::quiet_NaN();

  static Bounds any() { return {}; }
  static Bounds positive() { return {0.0, std::numeric_limits<double>::infinity(), true, false, {}, {}}; }
  static Bounds non_negative() { return {0.0, std::numeric_limits<double>::infinity(), false, false, {}, {}}; }
  static Bounds open(double lower, double upper) { return {lower, upper, true, true, {}, {}}; }
  static Bounds closed(double lower, double upper) { return {lower, upper, false, false, {}, {}}; }
  // A closed range said in user units, with its reason.
  static Bounds plausible(double lower, double upper, std::string text, std::string why,
                          double typical = std::numeric_limits<double>::quiet_NaN()) {
    return {lower, upper, false, false, std::move(text), std::move(why), typical};
  }
  // This range, with the reason it is the range (said after it in messages and docs).
  Bounds because(std::string reason) const {
    Bounds b = *this;
    b.why = std::move(reason);
    return b;
  }

  bool contains(double value) const;
  std::string describe() const;  // "> 0", "in (0, 0.1)", "in [0, 14]"; "" for any
};

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
//   KeyDecl("numerics", "rtol").number(Bounds::open(0.0, 0.1), "1e-5").doc_line("...")
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
  // no_default(): absence means what default_source says ("required", "automatic"), so the
  // docs do not show the member's initial value as a default.
  bool absence_stated = false;

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

// A plain key and the member of its section's struct (Spec) it lands in: a number, a string
// (text or choice), a switch, a number that may be absent, a value with its source (always there
// or optional), a list of strings, or a choice that lands in an enum (through `choice_of` /
// `set_choice`). Exactly one member pointer is set. The default is the struct's default member
// initialiser (the docs show it, so they cannot drift from the code). A key that applies only
// in some cases (a deposit model's coefficient) is written back to the resolved config only
// where `write_if` holds: key_field(...).written_when(predicate).
template <class Spec>
struct KeyField {
  KeyDecl decl;
  double Spec::*number = nullptr;
  std::string Spec::*text = nullptr;
  bool Spec::*flag = nullptr;
  std::optional<double> Spec::*maybe_number = nullptr;
  Sourced Spec::*sourced = nullptr;
  std::optional<Sourced> Spec::*maybe_sourced = nullptr;
  std::vector<std::string> Spec::*text_list = nullptr;
  std::function<std::string(const Spec&)> choice_of;          // enum member -> its choice name
  std::function<void(Spec&, const std::string&)> set_choice;  // choice name -> enum member
  std::function<bool(const Spec&)> write_if;                  // empty: always written back

  KeyField written_when(std::function<bool(const Spec&)> when) const {
    KeyField field = *this;
    field.write_if = std::move(when);
    return field;
  }
};
template <class Spec>
using KeyFields = std::vector<KeyField<Spec>>;

// The field with `slot` (one of KeyField's member pointers) set to `member`.
template <class Spec, class Member>
KeyField<Spec> key_field_in(KeyDecl decl, Member KeyField<Spec>::*slot, Member member) {
  KeyField<Spec> field;
  field.decl = std::move(decl);
  field.*slot = member;
  return field;
}
template <class Spec>
KeyField<Spec> key_field(KeyDecl decl, double Spec::*member) {
  return key_field_in<Spec>(std::move(decl), &KeyField<Spec>::number, member);
}
template <class Spec>
KeyField<Spec> key_field(KeyDecl decl, std::string Spec::*member) {
  return key_field_in<Spec>(std::move(decl), &KeyField<Spec>::text, member);
}
template <class Spec>
KeyField<Spec> key_field(KeyDecl decl, bool Spec::*member) {
  return key_field_in<Spec>(std::move(decl), &KeyField<Spec>::flag, member);
}
template <class Spec>
KeyField<Spec> key_field(KeyDecl decl, std::optional<double> Spec::*member) {
  return key_field_in<Spec>(std::move(decl), &KeyField<Spec>::maybe_number, member);
}
template <class Spec>
KeyField<Spec> key_field(KeyDecl decl, Sourced Spec::*member) {
  return key_field_in<Spec>(std::move(decl), &KeyField<Spec>::sourced, member);
}
template <class Spec>
KeyField<Spec> key_field(KeyDecl decl, std::optional<Sourced> Spec::*member) {
  return key_field_in<Spec>(std::move(decl), &KeyField<Spec>::maybe_sourced, member);
}
template <class Spec>
KeyField<Spec> key_field(KeyDecl decl, std::vector<std::string> Spec::*member) {
  return key_field_in<Spec>(std::move(decl), &KeyField<Spec>::text_list, member);
}

// The declaration of `name` among a struct's keys (a range another key shares). Throws
// std::logic_error when undeclared.
template <class Spec>
const KeyDecl& declaration_in(const KeyFields<Spec>& fields, const std::string& name) {
  for (const KeyField<Spec>& field : fields)
    if (field.decl.name == name) return field.decl;
  throw std::logic_error("config key " + name + " is not declared among these fields");
}

// A choice that lands in an enum: `names` pairs each choice with its value.
template <class Spec, class Enum>
KeyField<Spec> key_field(KeyDecl decl, Enum Spec::*member, std::vector<std::pair<std::string, Enum>> names) {
  KeyField<Spec> field;
  field.decl = std::move(decl);
  field.choice_of = [member, names](const Spec& spec) {
    for (const auto& [name, value] : names)
      if (value == spec.*member) return name;
    return names.front().first;
  };
  field.set_choice = [member, names](Spec& spec, const std::string& chosen) {
    for (const auto& [name, value] : names)
      if (name == chosen) spec.*member = value;
  };
  return field;
}

}  // namespace poreflux
