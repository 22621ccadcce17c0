// The built-in data the resolve step draws on: the compound library (data/compounds.toml,
// plus the user's own files of the same form) and the skin-site presets (data/sites.toml).
// Both files are compiled into the program, so it needs no data directory at run time.
#pragma once

#include <string>
#include <vector>

#include "poreflux/parameters.hpp"

namespace poreflux {

class CompoundLibrary {
 public:
  // `files` are searched first, in order, then the built-in library. Throws ConfigError
  // (file, line, key) for an unreadable file or a bad record.
  static CompoundLibrary load(const std::vector<std::string>& files = {});

  // By name or alias; case, spaces, hyphens and underscores do not matter. nullptr if absent.
  const CompoundSpec* find(const std::string& name) const;
  // Up to `count` names closest to `name` (edit distance, then a shared word), for "did you mean".
  std::vector<std::string> nearest(const std::string& name, std::size_t count = 3) const;

  const std::vector<CompoundSpec>& compounds() const { return compounds_; }
  const std::vector<std::string>& sources() const { return sources_; }  // files, search order

 private:
  std::vector<CompoundSpec> compounds_;
  std::vector<std::string> sources_;
};

struct SiteLayer {
  std::string name, role;
  Sourced thickness_cm;
};

struct SkinSite {
  std::string name, description;
  bool in_vivo = true;  // in vivo: dermal clearance, no receptor; in vitro: receptor sink
  std::vector<SiteLayer> layers;
  std::string defined_at;
};

const std::vector<SkinSite>& skin_sites();  // the built-in presets, in file order
const SkinSite* find_skin_site(const std::string& name);

// Levenshtein distance after case folding; shared by the "did you mean" suggestions.
std::size_t name_distance(const std::string& a, const std::string& b);

}  // namespace poreflux
