// The data files compiled into the program (generated from data/ by CMake).
#pragma once

#include <string_view>

namespace poreflux::config {

std::string_view builtin_compounds_toml();  // data/compounds.toml
std::string_view builtin_sites_toml();      // data/sites.toml
std::string_view builtin_vehicles_toml();   // data/vehicles.toml

}  // namespace poreflux::config
