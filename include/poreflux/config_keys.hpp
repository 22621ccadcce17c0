// The declared config keys (src/config/key_registry.hpp) as `poreflux config-keys` prints them.
#pragma once

#include <string>

namespace poreflux {

// Every key, one entry each: type, unit, accepted range and why, default and its source, doc,
// where it lands in the Study and what reads it.
std::string config_keys_listing();
// The key tables of docs/CONFIG.md, each between the marker comments it is kept in.
std::string config_keys_markdown_tables();
// The lines of tools/fuzz/config.dict made from the declarations (keys, headers, choices).
std::string config_keys_fuzz_lines();

}  // namespace poreflux
