// [compound]: a library name and values that replace the library's, each with its source. The
// values are declared beside CompoundSpec's fields (poreflux/parameters.hpp) and read by the
// generic path, for a study's [compound] and a library file's [[compound]] alike
// (read_compound_record); the name (a library lookup), the library files (relative to the
// config) and the pKa list (a table per group) have their rules in read_compound and
// read_compound_record.
#include <algorithm>

#include "read_compound.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

namespace {


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

// The struct's plain keys (CompoundSpec::keys(), poreflux/parameters.hpp) with the pKa list,
// read by its rule, after log_kow.
const std::vector<BoundKey<CompoundSpec>>& compound_bindings() {
  static const std::vector<BoundKey<CompoundSpec>> keys = [] {
    std::vector<BoundKey<CompoundSpec>> bound = bindings_of<CompoundSpec>();
    BoundKey<CompoundSpec> pka{
        Key("compound", "pka")
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
        }};
    auto after_log_kow =
        std::find_if(bound.begin(), bound.end(), [](const auto& k) { return k.decl.name == "log_kow"; });
    bound.insert(after_log_kow + 1, std::move(pka));
    return bound;
  }();
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
