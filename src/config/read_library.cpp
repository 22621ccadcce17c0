// The compound library and skin-site presets: data files of their own schema, read with the
// same TableReader rules as a study (file:line:key errors, unknown keys refused).
#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/data_file.hpp"
#include "config/embedded_data.hpp"
#include "poreflux/config.hpp"
#include "poreflux/library.hpp"
#include "read_compound.hpp"
#include "table_reader.hpp"

namespace poreflux {

using config::fold;
using config::parse_document;

namespace {

constexpr const char* kBuiltinCompounds = "data/compounds.toml (built in)";
constexpr const char* kBuiltinSites = "data/sites.toml (built in)";

std::string read_text_file(const std::string& path, const std::string& what) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw ConfigError(path, 0, "", "cannot read the " + what + ": no such regular file");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) throw ConfigError(path, 0, "", "cannot read the " + what + ": read error");
  return text.str();
}

void require_schema(config::TableReader& root, std::string_view expected) {
  const std::string schema = root.required_string("schema", std::string(expected));
  if (schema != expected) {
    root.fail("schema", "expected schema = \"" + std::string(expected) + "\"; got \"" + schema + "\"");
  }
}

std::vector<CompoundSpec> read_compound_file(std::string_view text, const std::string& source_name) {
  const toml::table document = parse_document(text, source_name);
  config::TableReader root(document, source_name, "", "at the top level");
  require_schema(root, "poreflux-compounds/1");
  root.set_plain_source("library file " + source_name);
  std::vector<CompoundSpec> compounds;
  for (config::TableReader& table :
       root.required_table_array("compound", "each [[compound]] needs name, molecular_weight and log_kow")) {
    CompoundSpec compound = config::read_compound_record(table, true);
    if (!compound.molecular_weight_g_per_mol) {
      table.fail("molecular_weight",
                 "required key is missing in a library entry; give e.g. "
                 "molecular_weight = { value = \"122.12 g/mol\", source = \"...\" }");
    }
    if (!compound.log_kow) {
      table.fail("log_kow",
                 "required key is missing in a library entry; give e.g. "
                 "log_kow = { value = -0.37, source = \"...\" }");
    }
    if (!compound.pka) compound.pka = std::vector<Pka>{};  // a library entry without pKa is non-ionisable
    table.reject_unknown_keys();
    compounds.push_back(std::move(compound));
  }
  root.reject_unknown_keys();
  return compounds;
}

std::vector<SkinSite> read_sites(std::string_view text, const std::string& source_name) {
  const toml::table document = parse_document(text, source_name);
  config::TableReader root(document, source_name, "", "at the top level");
  require_schema(root, "poreflux-sites/1");
  std::vector<SkinSite> sites;
  for (config::TableReader& table : root.required_table_array("site", "each [[site]] needs name, setting and layers")) {
    SkinSite site;
    site.name = table.required_string("name", "forearm");
    site.description = table.required_string("description", "human volar forearm, in vivo");
    site.in_vivo = table.choice("setting", {"in_vivo", "in_vitro"}, "in_vivo") == "in_vivo";
    site.defined_at = table.file() + ":" + std::to_string(table.line());
    for (config::TableReader& layer_table : table.required_table_array("layer", "layers top to bottom")) {
      SiteLayer layer;
      layer.name = layer_table.required_string("name", "stratum_corneum");
      layer.role = layer_table.choice("role", {"stratum_corneum", "viable_epidermis", "dermis"}, "");
      if (layer.role.empty())
        layer_table.fail(
            "role", "required key is missing; give role = \"stratum_corneum\", \"viable_epidermis\" or \"dermis\"");
      const auto thickness = layer_table.optional_sourced_quantity("thickness", Dimension::length,
                                                                   config::Bounds::positive(), source_name);
      if (!thickness)
        layer_table.fail("thickness",
                         "required key is missing; give thickness = { value = \"20 um\", source = \"...\" }");
      layer.thickness_cm = *thickness;
      layer_table.reject_unknown_keys();
      site.layers.push_back(layer);
    }
    table.reject_unknown_keys();
    sites.push_back(std::move(site));
  }
  root.reject_unknown_keys();
  return sites;
}

}  // namespace

std::size_t name_distance(const std::string& a, const std::string& b) {
  return config::edit_distance(fold(a), fold(b));
}

CompoundLibrary CompoundLibrary::load(const std::vector<std::string>& files) {
  CompoundLibrary library;
  for (const std::string& file : files) {
    std::vector<CompoundSpec> compounds = read_compound_file(read_text_file(file, "compound library"), file);
    library.compounds_.insert(library.compounds_.end(), compounds.begin(), compounds.end());
    library.sources_.push_back(file);
  }
  std::vector<CompoundSpec> builtin = read_compound_file(config::builtin_compounds_toml(), kBuiltinCompounds);
  library.compounds_.insert(library.compounds_.end(), builtin.begin(), builtin.end());
  library.sources_.push_back(kBuiltinCompounds);
  return library;
}

const CompoundSpec* CompoundLibrary::find(const std::string& name) const {
  const std::string wanted = fold(name);
  for (const CompoundSpec& compound : compounds_) {  // first match wins: user files come first
    if (fold(compound.name) == wanted) return &compound;
    for (const std::string& alias : compound.aliases)
      if (fold(alias) == wanted) return &compound;
  }
  return nullptr;
}

std::vector<std::string> CompoundLibrary::nearest(const std::string& name, std::size_t count) const {
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::string wanted = fold(name);
  for (const CompoundSpec& compound : compounds_) {
    std::size_t best = name_distance(name, compound.name);
    for (const std::string& alias : compound.aliases) best = std::min(best, name_distance(name, alias));
    // A name that contains what was typed ("ascorbic" in "L-ascorbic acid") is close too.
    if (!wanted.empty() && fold(compound.name).find(wanted) != std::string::npos) best = std::min<std::size_t>(best, 1);
    scored.emplace_back(best, compound.name);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (const auto& [distance, candidate] : scored) {
    if (names.size() == count) break;
    if (std::find(names.begin(), names.end(), candidate) == names.end()) names.push_back(candidate);
  }
  return names;
}

const std::vector<SkinSite>& skin_sites() {
  static const std::vector<SkinSite> sites = read_sites(config::builtin_sites_toml(), kBuiltinSites);
  return sites;
}

const SkinSite* find_skin_site(const std::string& name) {
  for (const SkinSite& site : skin_sites())
    if (fold(site.name) == fold(name)) return &site;
  return nullptr;
}

}  // namespace poreflux
