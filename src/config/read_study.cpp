// The config layer's study reader: read the file, parse the TOML, hand each section to its reader
// (read_sections.cpp), have the caller's resolve step derive what is not given, and record the
// resolved study. The facade load_study / parse_study is src/study's (study/load_study.cpp).
#include <toml++/toml.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "poreflux/config.hpp"
#include "read_sections.hpp"
#include "resolved_toml.hpp"
#include "study_document.hpp"
#include "table_reader.hpp"

namespace poreflux {
namespace {

constexpr std::size_t kMaxTitleLength = 300;  // it heads tables and plots
constexpr std::uintmax_t kMaxConfigBytes = 1 << 20;

std::string read_file(const std::string& path) {
  const std::string valid = "; give the path of a readable TOML study file (see docs/CONFIG.md)";
  std::error_code error;
  if (!std::filesystem::exists(path, error)) {
    throw ConfigError(path, 0, "", "cannot read the config: no such file" + valid);
  }
  if (std::filesystem::is_directory(path, error)) {
    throw ConfigError(path, 0, "", "cannot read the config: it is a directory" + valid);
  }
  // A FIFO or device would block the read (or never end): only regular files are configs.
  if (!std::filesystem::is_regular_file(path, error)) {
    throw ConfigError(path, 0, "",
                      "cannot read the config: it is not a regular file (a FIFO, device or socket)" + valid);
  }
  if (std::filesystem::file_size(path, error) > kMaxConfigBytes) {
    throw ConfigError(path, 0, "",
                      "cannot read the config: it is larger than 1 MiB, far more than any study needs" + valid);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw ConfigError(path, 0, "", "cannot read the config: " + std::string(std::strerror(errno)) + valid);
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw ConfigError(path, 0, "", "cannot read the config: read error" + valid);
  }
  return text.str();
}

}  // namespace

namespace config {
toml::table parse_toml(const std::string& text, const std::string& source_name) {
  try {
    return toml::parse(std::string_view(text), std::string_view(source_name));
  } catch (const toml::parse_error& error) {
    throw ConfigError(
        source_name, static_cast<int>(error.source().begin.line), "",
        "TOML syntax error: " + std::string(error.description()) + " (see https://toml.io for the syntax)");
  }
}

}  // namespace config

namespace {

std::string default_title(const std::string& source_name) {
  const std::string stem = std::filesystem::path(source_name).stem().string();
  return stem.empty() ? "untitled" : stem;
}

}  // namespace

namespace config {

Study read_study_file(const std::string& path, const std::string& calibration_file, const StudyResolver& resolve) {
  return read_study_text(read_file(path), path, calibration_file, resolve);
}

Study read_study_text(const std::string& toml_text, const std::string& source_name, const std::string& calibration_file,
                      const StudyResolver& resolve) {
  return parse_study_document(parse_toml(toml_text, source_name), source_name, calibration_file, resolve);
}

toml::table read_toml_file(const std::string& path) { return parse_toml(read_file(path), path); }

Study parse_study_document(const toml::table& document, const std::string& source_name,
                           const std::string& calibration_file, const StudyResolver& resolve) {
  config::TableReader root(document, source_name, "", "at the top level");
  root.use_study_schema();
  for (std::string_view many : {"sweep", "population"})
    if (document.contains(many))
      root.fail(many, "this config describes a study of many cases ([" + std::string(many) +
                          "]); run it with `poreflux sweep " + source_name + "` (docs/STUDIES.md)");

  Study study;
  study.source_file = source_name;
  study.title = root.optional_string("title").value_or(default_title(source_name));
  if (study.title.size() > kMaxTitleLength)
    root.fail("title", "a title of at most " + std::to_string(kMaxTitleLength) +
                           " characters is expected; this one has " + std::to_string(study.title.size()));
  study.compound = config::read_compound(root, study.parameter_model);
  study.vehicle = config::read_vehicle(root);
  const SkinSite* site = config::read_skin(root, study.parameter_model);
  const BoundarySpec boundary = config::read_boundary(root, site);
  study.bottom = boundary.bottom;
  study.lateral = boundary.lateral;
  study.layers = config::read_layers(root, study.bottom, site);
  study.protocol = config::read_protocol(root, study.vehicle);
  study.numerics = config::read_numerics(root);
  study.output = config::read_output(root);
  // After the layers and the compound, which the channel is checked against; last, so that
  // "valid keys" at the top level keep listing the intact-skin sections first.
  study.treatment = config::read_treatment(root, study.layers, study.protocol, &study.notes);
  study.calibration = config::read_calibration(root, calibration_file, resolve);
  root.reject_unknown_keys();

  // The resolve step (the caller's, resolve_parameters): every D, K and rate not given is derived,
  // with its relation and inputs.
  resolve(study);
  study.resolved_toml = config::render_resolved_toml(study);
  return study;
}

}  // namespace config

}  // namespace poreflux
