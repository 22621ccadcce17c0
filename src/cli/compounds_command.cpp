// `poreflux compounds [NAME]`: the library as a table, or, for one compound, every value the
// resolve step derives for it on a skin site at a pH, with the relation and inputs behind each.
// The derivation runs through parse_study, the same path a study takes.
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "poreflux/config.hpp"
#include "poreflux/library.hpp"
#include "study/compound_on_site.hpp"
#include "study/print_summary.hpp"

namespace poreflux::cli {
namespace {

std::string pka_text(const CompoundSpec& c) {
  if (!c.pka || c.pka->empty()) return "-";
  std::string text;
  for (const Pka& g : *c.pka)
    text += (text.empty() ? "" : ", ") + fmt("%.3g", g.value) + (g.type == PkaType::acid ? " a" : " b");
  return text;
}

void list_library(const CompoundLibrary& library) {
  std::printf("%-30s %10s %8s  %-18s %14s\n", "compound", "MW g/mol", "log Kow", "pKa (a=acid b=base)",
              "water sol mg/mL");
  for (const CompoundSpec& c : library.compounds()) {
    const std::string solubility =
        c.water_solubility_ug_per_cm3 ? fmt("%.4g", c.water_solubility_ug_per_cm3->value / 1e3) : "-";
    std::printf("%-30s %10.2f %8.2f  %-18s %14s\n", c.name.c_str(), c.molecular_weight_g_per_mol->value,
                c.log_kow->value, pka_text(c).c_str(), solubility.c_str());
  }
  std::cout << "\n" << library.compounds().size() << " compounds from";
  for (const std::string& source : library.sources()) std::cout << ' ' << source;
  std::cout << "\nskin sites:";
  for (const SkinSite& site : skin_sites()) std::cout << ' ' << site.name;
  std::cout << "\nshow one: poreflux compounds NAME [--site S] [--ph X] [--relations potts_guy|kasting]\n";
}

}  // namespace

int compounds_command(const CompoundsOptions& options) {
  std::vector<std::string> library_files;
  for (const std::string& f : options.library) library_files.push_back(std::filesystem::absolute(f).string());
  const CompoundLibrary library = CompoundLibrary::load(library_files);
  if (options.name.empty()) {
    list_library(library);
    return 0;
  }
  const double ph = options.ph.value_or(7.0);
  const std::string site = options.site.empty() ? "forearm" : options.site;
  CompoundQuery query;
  query.name = options.name;
  query.site = site;
  query.ph = ph;
  query.relations = options.relations;
  query.library_files = library_files;
  const Study resolved = resolve_compound_on_site(query);

  const CompoundSpec& c = resolved.compound;
  std::cout << c.name << " (" << c.defined_at << ")\n";
  if (!c.aliases.empty()) {
    std::cout << "  aliases:";
    for (const std::string& a : c.aliases) std::cout << " \"" << a << '"';
    std::cout << '\n';
  }
  std::cout << "  molecular weight " << fmt("%.2f", c.molecular_weight_g_per_mol->value) << " g/mol  ["
            << c.molecular_weight_g_per_mol->source << "]\n";
  std::cout << "  log Kow " << fmt("%.3g", c.log_kow->value) << "  [" << c.log_kow->source << "]\n";
  for (const Pka& g : c.pka.value_or(std::vector<Pka>{}))
    std::cout << "  pKa " << fmt("%.3g", g.value) << (g.type == PkaType::acid ? " acid" : " base") << "  [" << g.source
              << "]\n";
  if (c.water_solubility_ug_per_cm3)
    std::cout << "  water solubility " << fmt("%.4g", c.water_solubility_ug_per_cm3->value / 1e3) << " mg/mL  ["
              << c.water_solubility_ug_per_cm3->source << "]\n";
  if (c.melting_point_C)
    std::cout << "  melting point " << fmt("%.4g", c.melting_point_C->value) << " degC  [" << c.melting_point_C->source
              << "]\n";
  if (!c.note.empty()) std::cout << "  note: " << c.note << '\n';
  std::cout << "\nDerived on site " << site << " at vehicle pH " << fmt("%.3g", ph) << " (aqueous vehicle):\n";
  for (const DerivedParameter& p : resolved.parameters) {
    if (p.name.rfind("compound.", 0) == 0) continue;
    std::cout << "  " << p.name << " = " << fmt("%.4g", p.value) << (p.unit == "1" ? "" : " " + p.unit) << "\n      by "
              << p.relation;
    if (!p.inputs.empty()) {
      std::cout << "\n      from";
      for (std::size_t i = 0; i < p.inputs.size(); ++i)
        std::cout << (i ? ", " : " ") << p.inputs[i].name << " = " << fmt("%.4g", p.inputs[i].value)
                  << (p.inputs[i].unit == "1" ? "" : " " + p.inputs[i].unit);
    }
    std::cout << '\n';
  }
  print_warnings(std::cout, resolved);
  return 0;
}

}  // namespace poreflux::cli
