// What the resolve step derives for one compound on a skin site at a vehicle pH, without a
// study file: a minimal aqueous study around the compound, resolved by parse_study (the path
// every study takes). Shared by `poreflux compounds NAME` and the Python module.
#pragma once

#include <string>
#include <vector>

#include "poreflux/study.hpp"

namespace poreflux {

struct CompoundQuery {
  std::string name;
  std::string site = "forearm";
  double ph = 7.0;
  std::string relations = "potts_guy";
  std::vector<std::string> library_files;  // absolute paths, searched before the built-in library
};

// Throws ConfigError (unknown compound with suggestions, unknown site, ...).
Study resolve_compound_on_site(const CompoundQuery& query);

}  // namespace poreflux
