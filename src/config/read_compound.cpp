#include "read_compound.hpp"

#include "poreflux/config.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

std::vector<Pka> read_pka_list(TableReader& table) {
  std::vector<Pka> groups;
  const std::string kExpected =
      "pka = [{ value = 4.17, type = \"acid\" }, ...] (type \"acid\", or \"base\" for the pKa of "
      "the conjugate acid BH+); [] for a compound with no ionisable group";
  if (!table.has("pka")) return groups;
  std::optional<std::vector<TableReader>> entries;
  try {
    entries = table.optional_table_array("pka");
  } catch (const ConfigError& error) {  // e.g. pka = 4.1: a value without its type
    throw ConfigError(error.file(), error.line(), error.key_path(),
                      error.message() + "; each pKa needs its type: " + kExpected, error.subject());
  }
  const KeyDecl& value = declared_key("compound.pka", "value");
  const KeyDecl& type = declared_key("compound.pka", "type");
  for (TableReader& entry : *entries) {
    Pka group;
    group.value = entry.required_number("value", value.range, value.example);
    if (!entry.has("type")) {
      entry.fail("type",
                 "required key is missing: a pKa needs its type, \"acid\" (HA -> A-) or "
                 "\"base\" (BH+ -> B); e.g. " +
                     kExpected);
    }
    group.type = entry.choice_of("type", type.choices, "acid") == "base" ? PkaType::base : PkaType::acid;
    group.source = entry.optional_string("source").value_or(entry.plain_source());
    entry.reject_unknown_keys();
    groups.push_back(group);
  }
  return groups;
}

CompoundSpec read_compound_record(TableReader& table, bool name_required) {
  CompoundSpec compound;
  compound.defined_at = table.file() + ":" + std::to_string(table.line());
  if (name_required) compound.name = table.required_string("name", declared_key("compound", "name").example);
  else read_key(table, compound_bindings(), "name", compound);
  if (compound.name.empty()) table.fail("name", "expected a non-empty name such as \"niacinamide\"");
  table.set_subject(compound.name);                 // messages about the other keys name the compound
  read_keys(table, compound_bindings(), compound);  // reads the name again: the same value
  return compound;
}

}  // namespace poreflux::config
