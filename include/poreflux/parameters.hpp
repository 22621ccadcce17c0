// What a study knows about its active and where each derived number came from: the compound
// record (library or config), the parameters the resolve step derived with their relation and
// inputs, and the applicability warnings. Plain data; src/parameters fills it.
#pragma once

#include <optional>
#include <string>
#include <vector>

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
