#include "config/data_file.hpp"

#include <cctype>

#include "poreflux/config.hpp"

namespace poreflux::config {

toml::table parse_document(std::string_view text, const std::string& source_name) {
  try {
    return toml::parse(text, std::string_view(source_name));
  } catch (const toml::parse_error& error) {
    throw ConfigError(source_name, static_cast<int>(error.source().begin.line), "",
                      "TOML syntax error: " + std::string(error.description()));
  }
}

std::string fold(const std::string& name) {
  std::string folded;
  for (char c : name) {
    if (c == ' ' || c == '-' || c == '_') continue;
    folded.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return folded;
}

}  // namespace poreflux::config
