// The public face of the key registry, for the command line and the tests.
#include "poreflux/config_keys.hpp"

#include "key_registry.hpp"

namespace poreflux {

std::string config_keys_listing() { return config::config_keys_text(); }
std::string config_keys_markdown_tables() { return config::config_keys_markdown(); }
std::string config_keys_fuzz_lines() { return config::config_keys_fuzz_dictionary(); }

}  // namespace poreflux
