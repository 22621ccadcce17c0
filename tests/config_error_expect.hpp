// Checks that a config text is refused with a ConfigError that names "study.toml", the key and
// what is valid (each fragment must appear in the message). Shared by the config tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "poreflux/config.hpp"

namespace poreflux::testing {

inline void expect_config_error(const std::string& text, const std::string& key,
                                const std::vector<std::string>& fragments) {
  try {
    parse_study(text, "study.toml");
    ADD_FAILURE() << "no error for key " << key;
  } catch (const ConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("key '" + key + "'"), std::string::npos) << what;
    EXPECT_NE(what.find("study.toml:"), std::string::npos) << what;
    for (const std::string& f : fragments)
      EXPECT_NE(what.find(f), std::string::npos) << "missing \"" << f << "\" in: " << what;
  }
}

}  // namespace poreflux::testing
