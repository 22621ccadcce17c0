// The top level, [skin] site and [calibration]. [skin] hydration and [boundary] are declared
// beside their fields: ParameterModel::keys(), BoundarySpec::keys() (poreflux/study.hpp).
#include "section_keys.hpp"

namespace poreflux::config {

std::vector<KeyDecl> top_level_keys() {
  auto section = [](const char* name, const char* doc) {
    return Key("", name).table().no_default("absent").doc_line(doc).read_by_function("parse_study_document");
  };
  return {
      Key("", "title")
          .text("Caffeine, forearm")
          .defaults_to("the file name stem", "")
          .doc_line("a label for the run, stored in the output; at most 300 characters")
          .lands("Study::title")
          .read_by_function("parse_study_document"),
      section("compound", "the active (docs/CONFIG.md, [compound])").lands("Study::compound"),
      section("vehicle", "the applied formulation (required)").lands("Study::vehicle"),
      section("skin", "the site").lands("Study::parameter_model"),
      section("boundary", "what surrounds the skin column").lands("Study::bottom, Study::lateral"),
      Key("", "layer")
          .table_array()
          .no_default("the site's layers")
          .doc_line("skin layers, top first")
          .lands("Study::layers")
          .read_by_function("read_layers"),
      section("protocol", "the time course (required)").lands("Study::protocol"),
      section("numerics", "solver settings").lands("Study::numerics"),
      section("output", "where results go").lands("Study::output"),
      section("treatment", "microneedle pre-treatment").lands("Study::treatment"),
      section("calibration", "fitted factors").lands("Study::calibration"),
      Key("", "sweep")
          .table()
          .no_default("absent: a single study")
          .doc_line("a study of many cases over config keys, run with `poreflux sweep` (docs/STUDIES.md)")
          .lands("StudyPlan (not a Study: `poreflux run` refuses it)")
          .read_by_function("read_study_plan_file"),
      Key("", "population")
          .table()
          .no_default("absent: a single study")
          .doc_line("a virtual population, run with `poreflux sweep`; not with `[sweep]` (docs/STUDIES.md)")
          .lands("StudyPlan (not a Study: `poreflux run` refuses it)")
          .read_by_function("read_study_plan_file"),
  };
}

std::vector<KeyDecl> skin_keys() {
  std::vector<KeyDecl> keys{
      Key("skin", "site")
          .text("forearm")
          .no_default("none")
          .doc_line(
              "`face_cheek`, `face_forehead`, `forearm`, `abdomen`, `in_vitro_split_thickness`, "
              "`in_vitro_full_thickness`, `porcine_ear` (data/sites.toml): the layers and their thicknesses with "
              "sources, and the default `[boundary] bottom` (in vivo sites: `\"in_vivo\"`; in vitro: `\"in_vitro\"`). "
              "May be left out when `[skin]` only sets `hydration` and the layers are given as `[[layer]]`")
          .lands("Study::parameter_model.site (and the layers)")
          .read_by_function("read_skin (a name of data/sites.toml)"),
  };
  const std::vector<KeyDecl> plain = declared_keys_of<ParameterModel>();
  keys.insert(keys.end(), plain.begin(), plain.end());
  return keys;
}

std::vector<KeyDecl> calibration_keys() {
  const char* reader = "read_calibration (a chain of files, targets of layer roles)";
  return {
      Key("calibration", "from")
          .text("intact_calibrated.toml")
          .no_default("none")
          .doc_line("a study whose [calibration] factors to take, relative to this config")
          .lands("Study::calibration")
          .read_by_function(reader),
      Key("calibration", "factors")
          .table_array()
          .no_default("none")
          .doc_line("multiplicative factors of derived or given values, as `poreflux calibrate` writes them")
          .lands("Study::calibration")
          .read_by_function(reader),
      Key("calibration.factors", "target")
          .array_section()
          .text("stratum_corneum.diffusivity")
          .no_default("required")
          .doc_line("`<role>.diffusivity`, `<role>.partition` or `dermis.clearance`")
          .lands("CalibrationFactor::target")
          .read_by_function(reader),
      Key("calibration.factors", "value")
          .array_section()
          .number(Bounds::positive().because("a multiplicative factor"), "1.8")
          .no_default("required")
          .doc_line("the factor")
          .lands("CalibrationFactor::factor")
          .read_by_function(reader),
      Key("calibration.factors", "source")
          .array_section()
          .text("fit to our IVPT, 2026")
          .no_default("file:line of the entry")
          .doc_line("where the factor comes from")
          .lands("CalibrationFactor::source")
          .read_by_function(reader),
  };
}

}  // namespace poreflux::config
