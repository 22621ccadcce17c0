// One compound record, as the library files and a study's [compound] table write it. Shared
// so that a user's inline compound and a library entry are read by the same rules.
#pragma once

#include <string_view>

#include "poreflux/parameters.hpp"
#include "table_reader.hpp"

namespace poreflux::config {

// Reads name (if `name_required`), aliases, molecular_weight, log_kow, pka, water_solubility,
// melting_point and note; plain values get `plain_source`. Does not reject unknown keys (the
// caller may read more keys from the same table).
CompoundSpec read_compound_record(TableReader& table, bool name_required, std::string_view plain_source);

}  // namespace poreflux::config
