// The config loader's steps, for readers that work on the TOML document themselves (a sweep
// builds each case's document from the base config and its axis values). Internal: includes
// toml++, so only src/config/*.cpp may include it.
#pragma once

#include <toml++/toml.h>

#include <string>

#include "poreflux/study.hpp"
#include "study_reader.hpp"

namespace poreflux::config {

// Reads `path` (a regular file of at most 1 MiB) and parses it; ConfigError otherwise.
toml::table read_toml_file(const std::string& path);
// Parses TOML text; a syntax error becomes a ConfigError at its line.
toml::table parse_toml(const std::string& text, const std::string& source_name);
// read_study_text's work on a parsed document: read every section, reject unknown keys, resolve
// (`resolve`, study_reader.hpp), record the resolved config.
Study parse_study_document(const toml::table& document, const std::string& source_name,
                           const std::string& calibration_file, const StudyResolver& resolve);

}  // namespace poreflux::config
