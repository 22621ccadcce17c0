// What the built-in data files (compounds, sites, vehicles) share: parsing with file:line
// errors, and the name folding that makes "Propylene glycol" find "propylene_glycol".
// Internal header: includes toml++.
#pragma once

#include <toml++/toml.h>

#include <string>
#include <string_view>

namespace poreflux::config {

// Parses TOML text; a syntax error becomes a ConfigError naming `source_name` and the line.
toml::table parse_document(std::string_view text, const std::string& source_name);

// Lower case, without spaces, hyphens and underscores: names compare equal however written.
std::string fold(const std::string& name);

}  // namespace poreflux::config
