#include "read_compound.hpp"

#include "plausible_ranges.hpp"
#include "poreflux/config.hpp"

namespace poreflux::config {
namespace {

std::vector<Pka> read_pka_list(TableReader& table, std::string_view plain_source) {
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
  for (TableReader& entry : *entries) {
    Pka group;
    group.value = entry.required_number("value", Bounds::closed(-5.0, 20.0), "4.17");
    if (!entry.has("type")) {
      entry.fail("type",
                 "required key is missing: a pKa needs its type, \"acid\" (HA -> A-) or "
                 "\"base\" (BH+ -> B); e.g. " +
                     kExpected);
    }
    group.type = entry.choice("type", {"acid", "base"}, "acid") == "base" ? PkaType::base : PkaType::acid;
    group.source = entry.optional_string("source").value_or(std::string(plain_source));
    entry.reject_unknown_keys();
    groups.push_back(group);
  }
  return groups;
}

}  // namespace

CompoundSpec read_compound_record(TableReader& table, bool name_required, std::string_view plain_source) {
  CompoundSpec compound;
  compound.defined_at = table.file() + ":" + std::to_string(table.line());
  if (name_required) {
    compound.name = table.required_string("name", "niacinamide");
  } else {
    compound.name = table.optional_string("name").value_or(compound.name);
  }
  if (compound.name.empty()) table.fail("name", "expected a non-empty name such as \"niacinamide\"");
  table.set_subject(compound.name);
  compound.aliases = table.optional_string_list("aliases").value_or(std::vector<std::string>{});
  compound.molecular_weight_g_per_mol = table.optional_sourced_quantity(
      "molecular_weight", Dimension::molar_mass,
      Bounds::plausible(2.0, 1e5, "between 2 and 100000 g/mol",
                        "H2 weighs 2 g/mol; nothing above 100 kDa crosses skin by diffusion"),
      plain_source);
  compound.log_kow = table.optional_sourced_number("log_kow", Bounds::closed(-10.0, 20.0), "-0.37", plain_source);
  if (table.has("pka")) compound.pka = read_pka_list(table, plain_source);
  compound.water_solubility_ug_per_cm3 =
      table.optional_sourced_quantity("water_solubility", Dimension::concentration, ranges::solubility(), plain_source);
  compound.melting_point_C = table.optional_sourced_quantity("melting_point", Dimension::temperature,
                                                             Bounds::closed(-273.15, 1000.0), plain_source);
  compound.vapour_pressure_pa =
      table.optional_sourced_quantity("vapour_pressure", Dimension::pressure, Bounds::closed(0.0, 1e6), plain_source);
  compound.note = table.optional_string("note").value_or("");
  return compound;
}

}  // namespace poreflux::config
