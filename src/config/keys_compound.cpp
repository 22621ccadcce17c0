// [compound]: a library name and values that replace the library's, each with its source.
// Not yet converted: read by read_compound / read_compound_record, whose ranges are inline there;
// docs/CONFIG.md keeps its hand-written table.
#include "section_keys.hpp"

namespace poreflux::config {

std::vector<KeyDecl> compound_keys() {
  const char* reader = "read_compound, read_compound_record (library entry with the config's values instead)";
  auto key = [&](const char* name) { return Key("compound", name).read_by_function(reader).lands("Study::compound"); };
  return {
      key("name").text("caffeine").defaults_to("\"unnamed\"", "").doc_line("a library name or alias, or your own name"),
      key("relations")
          .one_of({"potts_guy", "kasting"})
          .defaults_to("\"potts_guy\"", "ParameterModel")
          .doc_line("SC relation set")
          .lands("Study::parameter_model.relations"),
      key("library")
          .string_list()
          .no_default("none")
          .doc_line("your own compound files, searched first")
          .lands("Study::parameter_model.library_files"),
      key("aliases").string_list().no_default("none").doc_line("as in library files"),
      key("molecular_weight")
          .sourced_quantity(Dimension::molar_mass, Bounds::any())
          .no_default("library")
          .doc_line("molar mass"),
      key("log_kow")
          .sourced_number(Bounds::any(), "-0.07")
          .no_default("library")
          .doc_line("log10 octanol/water partition of the neutral form"),
      key("pka").table_array().no_default("library").doc_line(
          "ionisable groups: [{ value, type = \"acid\"|\"base\" }]"),
      key("water_solubility")
          .sourced_quantity(Dimension::concentration, Bounds::any())
          .no_default("library")
          .doc_line("solubility in water"),
      key("melting_point")
          .sourced_quantity(Dimension::temperature, Bounds::any())
          .no_default("library")
          .doc_line("recorded"),
      key("vapour_pressure")
          .sourced_quantity(Dimension::pressure, Bounds::any())
          .no_default("none (not volatile)")
          .doc_line("the active's vapour pressure at 32 °C; > 0: it evaporates from the film"),
      key("note").text("").no_default("none").doc_line("as in library files"),
  };
}

}  // namespace poreflux::config
