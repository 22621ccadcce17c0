// [treatment]: the microneedle pre-treatment. Not yet converted: device presets with provenance,
// device- and domain-only keys and the channel's checks against the skin are the named
// validation functions of read_treatment.cpp (ranges there and in plausible_ranges.hpp);
// docs/CONFIG.md keeps its hand-written tables.
#include "plausible_ranges.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

std::vector<KeyDecl> treatment_keys() {
  const char* reader = "read_treatment (device presets with provenance, device- and domain-only keys)";
  auto key = [&](const char* name) {
    return Key("treatment", name).read_by_function(reader).lands("Study::treatment");
  };
  const Dimension length = Dimension::length;
  return {
      key("device").one_of({"dermaroller", "pen", "stamp", "channels"}).no_default("required").doc_line("the device"),
      key("needle_length")
          .quantity(length, ranges::channel_length())
          .no_default("required unless channel_depth")
          .doc_line("nominal needle length"),
      key("penetration_fraction")
          .number(Bounds::any(), "0.198")
          .defaults_to("0.198", "device presets")
          .doc_line("channel depth / needle length"),
      key("channel_depth")
          .quantity(length, ranges::channel_length())
          .no_default("needle_length × penetration_fraction")
          .doc_line("depth of the channels"),
      key("channel_diameter")
          .quantity(length, ranges::channel_diameter())
          .defaults_to("\"70.7 um\"", "device presets")
          .doc_line("diameter at the surface"),
      key("shape").one_of({"cylinder", "cone"}).defaults_to("\"cylinder\"", "").doc_line("channel shape"),
      key("tip_diameter").quantity(length, Bounds::any()).no_default("0.2 × channel_diameter").doc_line("cone only"),
      key("lattice")
          .one_of({"square", "hexagonal"})
          .defaults_to("\"square\"", "")
          .doc_line("arrangement of the channels"),
      key("density")
          .quantity(Dimension::areal_density, ranges::areal_density())
          .no_default("from the device")
          .doc_line("channels per skin area"),
      key("pitch")
          .quantity(length, ranges::pitch())
          .no_default("none")
          .doc_line("the lattice spacing instead of density"),
      key("needles")
          .number(Bounds::closed(1, 100000), "192")
          .no_default("192 (roller), 12 (pen)")
          .doc_line("dermaroller, pen: needles on the drum / per stamp"),
      key("rows").number(Bounds::any(), "8").defaults_to("8", "").doc_line("dermaroller: needle rows on the drum"),
      key("drum_diameter").quantity(length, ranges::device_size()).defaults_to("\"2 cm\"", "").doc_line("dermaroller"),
      key("drum_width").quantity(length, ranges::device_size()).defaults_to("\"2 cm\"", "").doc_line("dermaroller"),
      key("passes").number(Bounds::closed(1, 1000), "1").defaults_to("1", "").doc_line("dermaroller, pen"),
      key("stamps_per_cm2")
          .number(Bounds::positive(), "9")
          .defaults_to("9", "")
          .doc_line("pen: stamp positions per cm2"),
      key("closure_time_constant")
          .mixed("quantity or \"never\"")
          .no_default("1.5 h, or 33.2 h occluded (device presets)")
          .doc_line("channels close as exp(-t/tau)"),
      key("repeat_at")
          .quantity_list(Dimension::time, Bounds::positive())
          .no_default("none")
          .doc_line("later needling sessions"),
      key("filling")
          .one_of({"formulation", "drained"})
          .defaults_to("\"formulation\"", "")
          .doc_line("what fills the channels"),
      key("channel_diffusivity")
          .quantity(Dimension::diffusivity, ranges::diffusivity())
          .no_default("Stokes-Einstein")
          .doc_line("the active in the channel liquid"),
      key("channel_partition")
          .number(ranges::partition(), "1")
          .defaults_to("1", "")
          .doc_line("channel liquid vs vehicle"),
      key("domain")
          .one_of({"unit_cell", "axisymmetric", "patch"})
          .defaults_to("\"axisymmetric\"", "the regular lattice's equal-area cell")
          .doc_line("the grid's domain"),
      key("wall_cell")
          .quantity(length, Bounds::any())
          .defaults_to("\"0 cm\"", "automatic")
          .doc_line("lateral cell at the wall"),
      key("lateral_max_cell")
          .quantity(length, ranges::lateral_cell())
          .no_default("automatic")
          .doc_line("largest lateral cell"),
      key("patch_width")
          .quantity(length, ranges::patch_size())
          .no_default("required with domain = \"patch\"")
          .doc_line("patch only"),
      key("patch_length")
          .quantity(length, ranges::patch_size())
          .no_default("required with domain = \"patch\"")
          .doc_line("patch only"),
      key("pattern")
          .one_of({"roller", "pen", "lattice"})
          .no_default("from the device")
          .doc_line("patch only: channel placement"),
      key("seed").number(Bounds::closed(0, 4294967295.0), "1").defaults_to("1", "").doc_line("patch only: random seed"),
      key("jitter")
          .quantity(length, ranges::jitter())
          .defaults_to("\"0 cm\"", "")
          .doc_line("patch only: random offset"),
      key("occluded")
          .flag()
          .no_default("—")
          .doc_line("belongs in [protocol]: known here only to be refused with that advice")
          .not_written_back(""),
  };
}

}  // namespace poreflux::config
