// One compound record, as the library files and a study's [compound] table write it. Shared
// so that a user's inline compound and a library entry are read by the same rules.
#pragma once

#include <vector>

#include "poreflux/parameters.hpp"
#include "table_reader.hpp"

namespace poreflux::config {

// Reads name (required if `name_required`), aliases, molecular_weight, log_kow, pka,
// water_solubility, melting_point, vapour_pressure and note (CompoundSpec::keys(), keys_compound.cpp); values given
// without a source get the table's plain_source(). Does not reject unknown keys (the caller
// may read more keys from the same table).
CompoundSpec read_compound_record(TableReader& table, bool name_required);

// pka = [{ value = 4.17, type = "acid" }, ...]: each group with its type; [] for none.
std::vector<Pka> read_pka_list(TableReader& table);

}  // namespace poreflux::config
