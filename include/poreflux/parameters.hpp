// What a study knows about its active and where each derived number came from: the compound
// record (library or config), the parameters the resolve step derived with their relation and
// inputs, and the applicability warnings. Plain data; src/parameters fills it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "poreflux/key_decl.hpp"

namespace poreflux {

// A value together with where it came from ("config", or the relation that derived it),
// so that every number in the output can say what produced it.
struct Sourced {
  double value = 0.0;
  std::string source = "config";
  friend bool operator==(const Sourced& a, const Sourced& b) { return a.value == b.value && a.source == b.source; }
  friend bool operator!=(const Sourced& a, const Sourced& b) { return !(a == b); }
};

enum class PkaType { acid, base };  // base: the pKa of the conjugate acid BH+

struct Pka {
  double value = 0.0;
  PkaType type = PkaType::acid;
  std::string source = "config";
  friend bool operator==(const Pka& a, const Pka& b) {
    return a.value == b.value && a.type == b.type && a.source == b.source;
  }
};

// An active: the molecular properties the QSPR relations of MODEL.md §5 need.
struct CompoundSpec {
  std::string name = "unnamed";
  std::vector<std::string> aliases;
  std::optional<Sourced> molecular_weight_g_per_mol;
  std::optional<Sourced> log_kow;       // octanol/water, neutral form
  std::optional<std::vector<Pka>> pka;  // nullopt: not said; empty: non-ionisable
  std::optional<Sourced> water_solubility_ug_per_cm3;
  std::optional<Sourced> melting_point_C;
  std::optional<Sourced> vapour_pressure_pa;  // at 32 °C; given: the active evaporates from the film
  std::string note;
  std::string defined_at;  // "file:line" of the record (library entry or [compound] table)

  // The plain keys of a compound record, a study's [compound] and a library file's [[compound]]
  // alike, in the order "valid keys" and docs/CONFIG.md list them (`pka`, a table per group, has
  // its rule in read_pka_list and follows log_kow: src/config/keys_compound.cpp). A value without
  // a default comes from the library, else it is derived or refused.
  static const KeyFields<CompoundSpec>& keys() {
    static const KeyFields<CompoundSpec> fields = [] {
      auto key = [](const char* name) { return KeyDecl("compound", name); };
      // Values as a library file writes them, each with its source: plain, the source is "config".
      auto from_library = [](KeyDecl decl) { return decl.no_default("library").lands("Study::compound"); };
      return KeyFields<CompoundSpec>{
          key_field(key("name")
                        .text("niacinamide")
                        .defaults_to("\"unnamed\"", "")
                        .doc_line("a library name or alias (`poreflux compounds` lists them; case, spaces and hyphens "
                                  "do not matter), or your own name for an inline compound. An unknown name without "
                                  "`molecular_weight`/`log_kow` is an error that suggests the nearest names")
                        .lands("Study::compound.name")
                        .read_by_function("read_compound (a library name or alias; required in a library file)"),
                    &CompoundSpec::name),
          key_field(key("aliases")
                        .string_list()
                        .defaults_to("", "")
                        .doc_line("other names, as in library files")
                        .lands("Study::compound.aliases")
                        .not_written_back("the compound is recorded by its name"),
                    &CompoundSpec::aliases),
          key_field(from_library(key("molecular_weight")
                                     .sourced_quantity(Dimension::molar_mass,
                                                       Bounds::plausible(2.0, 1e5, "between 2 and 100000 g/mol",
                                                                         "H2 weighs 2 g/mol; nothing above 100 kDa "
                                                                         "crosses skin by diffusion"))
                                     .doc_line("molar mass")),
                    &CompoundSpec::molecular_weight_g_per_mol),
          key_field(
              from_library(key("log_kow")
                               .sourced_number(Bounds::closed(-10.0, 20.0)
                                                   .because("wider than any compound's log Kow: outside is a slip of "
                                                            "sign or scale"),
                                               "-0.37")
                               .doc_line("log10 octanol/water partition of the neutral form")),
              &CompoundSpec::log_kow),
          key_field(from_library(key("water_solubility")
                                     .sourced_quantity(Dimension::concentration,
                                                       Bounds::plausible(1e-12, 2e6, "between 1e-12 ug/mL and 2 g/mL",
                                                                         "above the density of a solid no solvent can "
                                                                         "hold it; below, nothing dissolves"))
                                     .doc_line("solubility in water; × the vehicle/water partition it is the "
                                               "solubility in the vehicle, which sets the saturation activity and the "
                                               "deposit (docs/VEHICLES.md §5) and the solubility warning")),
                    &CompoundSpec::water_solubility_ug_per_cm3),
          key_field(
              from_library(key("melting_point")
                               .sourced_quantity(Dimension::temperature,
                                                 Bounds::closed(-273.15, 1000.0)
                                                     .because("from absolute zero to above where organic compounds "
                                                              "decompose"))
                               .doc_line("recorded")),
              &CompoundSpec::melting_point_C),
          key_field(key("vapour_pressure")
                        .sourced_quantity(Dimension::pressure,
                                          Bounds::closed(0.0, 1e6).because(
                                              "1e6 Pa is ten atmospheres, far above any liquid at skin temperature"))
                        .no_default("none (not volatile)")
                        .doc_line("the active's vapour pressure at 32 °C; > 0: the active evaporates from the film in "
                                  "proportion to its activity (docs/VEHICLES.md §10). Needs `molecular_weight` and the "
                                  "solubility (`water_solubility` or `[vehicle] solubility`), else it is refused")
                        .lands("Study::compound"),
                    &CompoundSpec::vapour_pressure_pa),
          key_field(key("note")
                        .text("")
                        .defaults_to("", "")
                        .doc_line("free text, as in library files")
                        .lands("Study::compound.note")
                        .not_written_back("a remark, not an input"),
                    &CompoundSpec::note),
      };
    }();
    return fields;
  }
};

// One input of a derivation, as it was used ("log_kow" = "-1.85").
struct DerivationInput {
  std::string name;
  double value = 0.0;
  std::string unit;  // "1" for dimensionless
};

// A number the resolve step produced (or checked): e.g. "stratum_corneum.diffusivity".
struct DerivedParameter {
  std::string name;
  double value = 0.0;
  std::string unit;
  std::string relation;  // "Potts & Guy 1992 ..." or "config"
  std::vector<DerivationInput> inputs;
};

// Said, never silent, never a refusal (MODEL.md §5: warn outside a relation's domain).
struct StudyWarning {
  std::string code;     // "log_kow_out_of_range", "mostly_ionised", ...
  std::string message;  // one sentence a user can act on
};

}  // namespace poreflux
