// Setting one key of a parsed config by its key path ("treatment.needle_length",
// "layer[2].thickness"), as sweeps and populations do for each case. Internal (toml++).
#pragma once

#include <toml++/toml.h>

#include <optional>
#include <string>
#include <vector>

namespace poreflux::config {

struct KeySegment {
  std::string name;
  int index = 0;  // 1-based element of an array of tables ("layer[2]"); 0: a plain key
};

// Splits "layer[2].thickness"; nullopt with `why` filled when it is not a key path.
std::optional<std::vector<KeySegment>> parse_key_path(const std::string& path, std::string* why);

// The key path written the one way ("layer[2].thickness"), so that "layer[02]" is the same key.
std::string key_path_text(const std::vector<KeySegment>& path);

// Sets `path` to a copy of `value` in `document`, creating missing tables on the way (so that
// a case may add a key its base config lacks). Returns "" or why it cannot ("the config has 3
// [[layer]] tables", "'vehicle.ph' is not a table").
std::string set_key(toml::table& document, const std::vector<KeySegment>& path, const toml::node& value);

// The value at `path`, or nullptr.
const toml::node* find_key(const toml::table& document, const std::vector<KeySegment>& path);

// A value as TOML writes it ("0.5 mm" without quotes for strings, 4, true).
std::string value_text(const toml::node& value);

}  // namespace poreflux::config
