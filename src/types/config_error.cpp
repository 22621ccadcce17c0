#include <utility>

#include "poreflux/config.hpp"

namespace poreflux {
namespace {

std::string compose(const std::string& file, int line, const std::string& key_path, const std::string& subject,
                    const std::string& message) {
  std::string text = file;
  if (line > 0) text += ":" + std::to_string(line);
  text += ": ";
  if (!key_path.empty()) {
    text += "key '" + key_path + "'";
    if (!subject.empty()) text += " (\"" + subject + "\")";
    text += ": ";
  }
  return text + message;
}

}  // namespace

ConfigError::ConfigError(std::string file, int line, std::string key_path, std::string message, std::string subject)
    : std::runtime_error(compose(file, line, key_path, subject, message)),
      file_(std::move(file)),
      line_(line),
      key_path_(std::move(key_path)),
      message_(std::move(message)),
      subject_(std::move(subject)) {}

}  // namespace poreflux
