// `poreflux config-keys [--markdown | --fuzz-dict]`: the registry of config keys.
#include <iostream>

#include "commands.hpp"
#include "poreflux/config_keys.hpp"

namespace poreflux::cli {

int config_keys_command(const ConfigKeysOptions& options) {
  if (options.fuzz_dict) std::cout << config_keys_fuzz_lines();
  else if (options.markdown) std::cout << config_keys_markdown_tables();
  else std::cout << config_keys_listing();
  return 0;
}

}  // namespace poreflux::cli
