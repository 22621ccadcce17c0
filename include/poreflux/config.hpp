// Reading a study from its TOML config (schema: docs/CONFIG.md). The TOML library stays
// behind this header: callers see only the Study and ConfigError.
#pragma once

#include <stdexcept>
#include <string>

#include "poreflux/study.hpp"

namespace poreflux {

// Anything wrong with a config: unreadable file, TOML syntax, unknown or missing key,
// wrong type or unit, out-of-range or contradictory value. what() reads
//   configs/x.toml:12: key 'layer[2].thickness' ("viable_epidermis"): expected a length ...
// and leaves out the parts that are unknown (line 0, no key, no subject).
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string file, int line, std::string key_path, std::string message, std::string subject = {});

  const std::string& file() const noexcept { return file_; }
  // 1-based; 0 when unknown (e.g. the file could not be read).
  int line() const noexcept { return line_; }
  // "layer[2].thickness"; indices count from 1, as the user counts [[layer]] tables.
  const std::string& key_path() const noexcept { return key_path_; }
  // What the key belongs to, e.g. the layer's name; may be empty.
  const std::string& subject() const noexcept { return subject_; }
  // what() without the location prefix.
  const std::string& message() const noexcept { return message_; }

 private:
  std::string file_;
  int line_;
  std::string key_path_;
  std::string message_;
  std::string subject_;
};

// Reads and validates the config at `path`, then resolves it: the compound from the library,
// the layers from the skin site, every D, K and clearance not given derived by the relations of
// docs/PARAMETERS.md, warnings collected. `calibration_file` (optional) adds the [calibration]
// factors of a study written by `poreflux calibrate`. Throws ConfigError.
Study load_study(const std::string& path, const std::string& calibration_file = {});

// As load_study, from TOML text; `source_name` stands for the file in messages, in
// Study::source_file and LayerSpec::config_line, and gives the default title (its stem).
Study parse_study(const std::string& toml_text, const std::string& source_name,
                  const std::string& calibration_file = {});

// The config text with one key set by its key path, as a [sweep] axis sets it
// ("treatment.needle_length", "layer[2].thickness"); `value_toml` is a TOML value ("\"1 mm\"",
// "4", "true"). The text comes back as the TOML library writes it: comments are not kept.
// Throws ConfigError naming the key (a bad path, a missing [[layer]], a value that is no TOML).
std::string set_config_key(const std::string& toml_text, const std::string& source_name, const std::string& key_path,
                           const std::string& value_toml);

}  // namespace poreflux
