#include "config_overlay.hpp"

#include "poreflux/config.hpp"
#include "study_document.hpp"

#include <cctype>
#include <sstream>

namespace poreflux::config {

std::optional<std::vector<KeySegment>> parse_key_path(const std::string& path, std::string* why) {
  std::vector<KeySegment> segments;
  std::size_t i = 0;
  auto bad = [&](const std::string& reason) -> std::optional<std::vector<KeySegment>> {
    if (why)
      *why = "'" + path + "' is not a key path (" + reason +
             "); write it as in docs/CONFIG.md, e.g. "
             "\"treatment.needle_length\" or \"layer[2].thickness\"";
    return std::nullopt;
  };
  if (path.empty()) return bad("it is empty");
  while (i <= path.size()) {
    KeySegment segment;
    while (i < path.size() && (std::isalnum(static_cast<unsigned char>(path[i])) || path[i] == '_' || path[i] == '-'))
      segment.name += path[i++];
    if (segment.name.empty()) return bad("an empty key at character " + std::to_string(i + 1));
    if (i < path.size() && path[i] == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string::npos) return bad("a '[' without ']'");
      const std::string digits = path.substr(i + 1, close - i - 1);
      if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos)
        return bad("the index in [] must be a whole number from 1");
      segment.index = std::stoi(digits);
      if (segment.index < 1) return bad("indices count from 1, as the [[tables]] of the config");
      i = close + 1;
    }
    segments.push_back(segment);
    if (i == path.size()) break;
    if (path[i] != '.') return bad(std::string("unexpected '") + path[i] + "'");
    ++i;
  }
  return segments;
}

namespace {

std::string prefix_text(const std::vector<KeySegment>& path, std::size_t upto) {
  std::string text;
  for (std::size_t i = 0; i <= upto && i < path.size(); ++i) {
    if (i) text += '.';
    text += path[i].name;
    if (path[i].index) text += "[" + std::to_string(path[i].index) + "]";
  }
  return text;
}

}  // namespace

std::string key_path_text(const std::vector<KeySegment>& path) { return prefix_text(path, path.size()); }

std::string set_key(toml::table& document, const std::vector<KeySegment>& path, const toml::node& value) {
  toml::table* table = &document;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const KeySegment& s = path[i];
    const bool last = i + 1 == path.size();
    if (s.index) {
      toml::array* array = table->get_as<toml::array>(s.name);
      const std::size_t count = array ? array->size() : 0;
      if (!array || s.index > static_cast<int>(count))
        return "the config has " + std::to_string(count) + " [[" + s.name + "]] table" + (count == 1 ? "" : "s") +
               ", so '" + prefix_text(path, i) + "' does not exist; give the tables in the base config";
      toml::table* element = array->get_as<toml::table>(static_cast<std::size_t>(s.index - 1));
      if (!element) return "'" + prefix_text(path, i) + "' is not a table";
      if (last) return "'" + prefix_text(path, i) + "' is a whole table; name one of its keys";
      table = element;
      continue;
    }
    if (last) {
      value.visit([&](const auto& concrete) { table->insert_or_assign(s.name, concrete); });
      return "";
    }
    toml::node* next = table->get(s.name);
    if (!next) next = table->insert_or_assign(s.name, toml::table{}).first->second.as_table();
    if (!next->is_table())
      return "'" + prefix_text(path, i) + "' is " + (next->is_array() ? "an array" : "a value") + ", not a table";
    table = next->as_table();
  }
  return "";
}

const toml::node* find_key(const toml::table& document, const std::vector<KeySegment>& path) {
  const toml::table* table = &document;
  const toml::node* node = nullptr;
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (!table) return nullptr;
    node = table->get(path[i].name);
    if (!node) return nullptr;
    if (path[i].index) {
      const toml::array* array = node->as_array();
      if (!array || path[i].index > static_cast<int>(array->size())) return nullptr;
      node = array->get(static_cast<std::size_t>(path[i].index - 1));
    }
    table = node ? node->as_table() : nullptr;
  }
  return node;
}

std::string value_text(const toml::node& value) {
  if (const auto* s = value.as_string()) return s->get();
  std::ostringstream out;
  value.visit([&](const auto& concrete) { out << concrete; });
  return out.str();
}

}  // namespace poreflux::config

namespace poreflux {

std::string set_config_key(const std::string& toml_text, const std::string& source_name, const std::string& key_path,
                           const std::string& value_toml) {
  toml::table document = config::parse_toml(toml_text, source_name);
  std::string why;
  const std::optional<std::vector<config::KeySegment>> path = config::parse_key_path(key_path, &why);
  if (!path) throw ConfigError(source_name, 0, key_path, why);
  const toml::table holder = config::parse_toml("value = " + value_toml, source_name + " (value of " + key_path + ")");
  why = config::set_key(document, *path, *holder.get("value"));
  if (!why.empty()) throw ConfigError(source_name, 0, key_path, why);
  std::ostringstream text;
  text << document << '\n';
  return text.str();
}

}  // namespace poreflux
