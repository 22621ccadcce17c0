// [compound]: a library name and values that replace the library's, each with its source. The
// values are bound to CompoundSpec and read by the generic path, for a study's [compound] and a
// library file's [[compound]] alike (read_compound_record); the name (a library lookup), the
// library files (relative to the config) and the pKa list (a table per group) have their rules
// in read_compound and read_compound_record.
#include "read_compound.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

namespace {


// Values as a library file writes them, each with its source: plain, the source is "config".
template <class Member>
BoundKey<CompoundSpec> sourced(KeyDecl decl, Member member) {
  return bind(decl.no_default("library").lands("Study::compound"), member);
}

toml::array pka_array(const std::vector<Pka>& groups) {
  toml::array pka;
  for (const Pka& group : groups)
    pka.push_back(toml::table{
        {"value", group.value}, {"type", group.type == PkaType::acid ? "acid" : "base"}, {"source", group.source}});
  return pka;
}

}  // namespace

const std::vector<BoundKey<ParameterModel>>& compound_model_bindings() {
  static const std::vector<BoundKey<ParameterModel>> keys{
      bind(Key("compound", "relations")
               .one_of({"potts_guy", "kasting"})
               .defaults_to("", "ParameterModel, include/poreflux/study.hpp")
               .doc_line("SC relation set")
               .lands("Study::parameter_model.relations"),
           &ParameterModel::relations),
      unbound<ParameterModel>(Key("compound", "library")
                                  .string_list()
                                  .no_default("none")
                                  .doc_line("your own compound files (schema `poreflux-compounds/1`), relative to this "
                                            "config, searched before the built-in library")
                                  .lands("Study::parameter_model.library_files")
                                  .read_by_function("read_compound (paths relative to the config)")
                                  .not_written_back("the compound is written out whole")),
  };
  return keys;
}

const std::vector<BoundKey<CompoundSpec>>& compound_bindings() {
  static const std::vector<BoundKey<CompoundSpec>> keys{
      bind(Key("compound", "name")
               .text("niacinamide")
               .defaults_to("\"unnamed\"", "")
               .doc_line("a library name or alias (`poreflux compounds` lists them; case, spaces and hyphens do not "
                         "matter), or your own name for an inline compound. An unknown name without "
                         "`molecular_weight`/`log_kow` is an error that suggests the nearest names")
               .lands("Study::compound.name")
               .read_by_function("read_compound (a library name or alias; required in a library file)"),
           &CompoundSpec::name),
      bind(Key("compound", "aliases")
               .string_list()
               .defaults_to("", "")
               .doc_line("other names, as in library files")
               .lands("Study::compound.aliases")
               .not_written_back("the compound is recorded by its name"),
           &CompoundSpec::aliases),
      sourced(Key("compound", "molecular_weight")
                  .sourced_quantity(Dimension::molar_mass,
                                    Bounds::plausible(2.0, 1e5, "between 2 and 100000 g/mol",
                                                      "H2 weighs 2 g/mol; nothing above 100 kDa crosses skin by "
                                                      "diffusion"))
                  .doc_line("molar mass"),
              &CompoundSpec::molecular_weight_g_per_mol),
      sourced(Key("compound", "log_kow")
                  .sourced_number(Bounds::closed(-10.0, 20.0)
                                      .because("wider than any compound's log Kow: outside is a slip of sign or scale"),
                                  "-0.37")
                  .doc_line("log10 octanol/water partition of the neutral form"),
              &CompoundSpec::log_kow),
      {Key("compound", "pka")
           .table_array()
           .no_default("library")
           .doc_line(
               "ionisable groups, `[{ value = 4.17, type = \"acid\" }, { value = 9.4, type = \"base\" }]` (entries: "
               "[[compound.pka]] below); `[]` = no ionisable group")
           .lands("Study::compound.pka")
           .read_by_function("read_pka_list (each group needs its type)"),
       [](TableReader& t, const KeyDecl&, CompoundSpec& s) {
         if (t.has("pka")) s.pka = read_pka_list(t);
       },
       [](const KeyDecl& k, const CompoundSpec& s, toml::table& out) {
         if (s.pka) out.insert_or_assign(k.name, pka_array(*s.pka));
       }},
      sourced(Key("compound", "water_solubility")
                  .sourced_quantity(Dimension::concentration,
                                    Bounds::plausible(1e-12, 2e6, "between 1e-12 ug/mL and 2 g/mL",
                                                      "above the density of a solid no solvent can hold it; below, "
                                                      "nothing dissolves"))
                  .doc_line(
                      "solubility in water; × the vehicle/water partition it is the solubility in the vehicle, which "
                      "sets the saturation activity and the deposit (docs/VEHICLES.md §5) and the solubility warning"),
              &CompoundSpec::water_solubility_ug_per_cm3),
      sourced(Key("compound", "melting_point")
                  .sourced_quantity(Dimension::temperature,
                                    Bounds::closed(-273.15, 1000.0)
                                        .because("from absolute zero to above where organic compounds decompose"))
                  .doc_line("recorded"),
              &CompoundSpec::melting_point_C),
      bind(Key("compound", "vapour_pressure")
               .sourced_quantity(Dimension::pressure,
                                 Bounds::closed(0.0, 1e6).because(
                                     "1e6 Pa is ten atmospheres, far above any liquid at skin temperature"))
               .no_default("none (not volatile)")
               .doc_line(
                   "the active's vapour pressure at 32 °C; > 0: the active evaporates from the film in proportion to "
                   "its activity (docs/VEHICLES.md §10). Needs `molecular_weight` and the solubility "
                   "(`water_solubility` or `[vehicle] solubility`), else it is refused")
               .lands("Study::compound"),
           &CompoundSpec::vapour_pressure_pa),
      bind(Key("compound", "note")
               .text("")
               .defaults_to("", "")
               .doc_line("free text, as in library files")
               .lands("Study::compound.note")
               .not_written_back("a remark, not an input"),
           &CompoundSpec::note),
  };
  return keys;
}

std::vector<KeyDecl> compound_keys() {
  std::vector<KeyDecl> keys = declarations_of(compound_model_bindings());
  const std::vector<KeyDecl> record = declarations_of(compound_bindings());
  keys.insert(keys.end(), record.begin(), record.end());
  const char* reader = "read_pka_list";
  auto group = [&](const char* name) {
    return Key("compound.pka", name).array_section().read_by_function(reader).lands("Pka");
  };
  keys.push_back(
      group("value")
          .number(Bounds::closed(-5.0, 20.0).because("the pKa of any acid or base that water can hold"), "4.17")
          .no_default("required")
          .doc_line("the pKa; of the conjugate acid BH+ for a base")
          .lands("Pka::value"));
  keys.push_back(group("type")
                     .one_of({"acid", "base"})
                     .no_default("required")
                     .doc_line("`\"acid\"` (HA → A⁻) or `\"base\"` (BH⁺ → B)")
                     .lands("Pka::type"));
  keys.push_back(group("source")
                     .text("Lide 2005")
                     .no_default("the compound's plain source (\"config\", or the library file)")
                     .doc_line("where the value comes from")
                     .lands("Pka::source"));
  return keys;
}

}  // namespace poreflux::config
