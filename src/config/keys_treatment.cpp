// [treatment]: the microneedle pre-treatment. The plain keys (the channel's shape, lattice,
// filling, liquid and the grid's domain and cells) are declared beside the TreatmentSpec fields
// they land in (TreatmentSpec::keys(), include/poreflux/study.hpp) and read and written back by
// the generic path. Here are the ruled keys: the device with its presets and provenance, the
// depth from a needle, the density from a device or a pitch, the closure, the patch's size and
// the keys of one device only, read by the named validation functions of read_treatment.cpp,
// which take each range and example from here.
#include "poreflux/plausible_ranges.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

namespace {

const char* const kTreatmentReader = "read_treatment (device presets with provenance, device- and domain-only keys)";

// ---- the ranges of the channel geometry, each with its reason ----
Bounds channel_length() {
  return Bounds::plausible(1e-4, 0.5, "between 1 um and 5 mm",
                           "microneedles are 25 um to 3 mm long; nothing longer reaches only the skin", 0.05);
}
Bounds channel_diameter() {
  return Bounds::plausible(1e-4, 0.2, "between 1 um and 2 mm", "microneedle holes are 5 to 500 um wide", 5e-3);
}
Bounds patch_size() {
  return Bounds::plausible(1e-3, 5.0, "between 10 um and 5 cm",
                           "a patch is a window onto a treated area; 5 cm already needs millions of cells per plane",
                           0.1);
}
Bounds device_size() {
  return Bounds::plausible(0.05, 20.0, "between 0.5 mm and 20 cm", "roller drums are a few cm", 2.0);
}
const char* const kSpacingWhy = "needles closer than 30 um apart do not exist";

Key ruled(const char* name, const char* member) {
  return Key("treatment", name).lands(member).read_by_function(kTreatmentReader);
}

}  // namespace

std::vector<KeyDecl> treatment_keys() {
  const Dimension length = Dimension::length;
  const Bounds counted_needles = Bounds::closed(1, 100000).because("a whole number of needles");
  std::vector<KeyDecl> keys{
      ruled("device", "TreatmentSpec::device")
          .one_of({"dermaroller", "pen", "stamp", "channels"})
          .no_default("required")
          .doc_line("the device; names users give them (`\"dermapen\"`, `\"derma roller\"`) are read as the device "
                    "they are, with a note"),
      ruled("needle_length", "TreatmentSpec::needle_length_cm")
          .quantity(length, channel_length())
          .no_default("required unless channel_depth")
          .doc_line("nominal needle length (not device = \"channels\")"),
      ruled("penetration_fraction", "TreatmentSpec::penetration_fraction")
          .number(Bounds{0.0, 1.0, true, false, {}, {}}.because("a channel is no deeper than its needle"), "0.2")
          .defaults_to("0.198", "device presets: 152.5/770, Kalluri & Banga 2011")
          .doc_line("channel depth / needle length; not with channel_depth")
          .not_written_back("written as channel_depth"),
      ruled("channel_depth", "TreatmentSpec::channel_depth_cm")
          .quantity(length, channel_length())
          .no_default("needle_length × penetration_fraction")
          .doc_line("depth of the channels; required with device = \"channels\""),
      ruled("channel_diameter", "TreatmentSpec::channel_diameter_cm")
          .quantity(length, channel_diameter())
          .defaults_to("\"70.7 um\"", "device presets")
          .doc_line("diameter at the surface"),
      ruled("tip_diameter", "TreatmentSpec::tip_diameter_cm")
          .quantity(length, channel_diameter())
          .no_default("0.2 × channel_diameter")
          .doc_line("shape = \"cone\" only; smaller than channel_diameter"),
      ruled("density", "TreatmentSpec::density_per_cm2")
          .quantity(Dimension::areal_density,
                    [] {
                      Bounds b = Bounds::plausible(0.0, 1e5, "> 0 and at most 1e5 /cm2", kSpacingWhy);
                      b.lower_open = true;
                      return b;
                    }())
          .no_default("from the device")
          .doc_line("channels per skin area; not with pitch"),
      ruled("pitch", "TreatmentSpec::density_per_cm2")
          .quantity(length, Bounds::plausible(3e-3, 1.0, "between 30 um and 1 cm", kSpacingWhy, 0.05))
          .no_default("none")
          .doc_line("the lattice spacing instead of density")
          .not_written_back("written as density"),
      with_number_range(ruled("closure_time_constant", "TreatmentSpec::closure_tau_s")
                            .mixed("quantity or \"never\"")
                            .no_default("1.5 h, or 33.2 h occluded (device presets)")
                            .doc_line("channels close as exp(-t/tau)"),
                        Dimension::time,
                        Bounds::plausible(0.0, 3.2e7, "between 0 s and 1 year (or \"never\")",
                                          "skin closes micropores within hours to days")),
      ruled("repeat_at", "TreatmentSpec::repeat_at_s")
          .quantity_list(Dimension::time, ranges::time_in_study())
          .no_default("none")
          .doc_line("later needling sessions, strictly increasing, before the end of the study"),
  };
  // The plain keys, bound to their member, then the keys of one device or of a patch only.
  const std::vector<KeyDecl> plain = declared_keys_of<TreatmentSpec>();
  keys.insert(keys.end(), plain.begin(), plain.end());
  const std::vector<KeyDecl> device_or_patch_only{
      ruled("needles", "TreatmentSpec::roller_needles, TreatmentSpec::pen_needles")
          .number(counted_needles, "192")
          .no_default("192 (roller), 12 (pen)")
          .doc_line("dermaroller, pen: needles on the drum / per stamp"),
      ruled("rows", "TreatmentSpec::roller_rows")
          .number(counted_needles, "8")
          .defaults_to("8", "device presets")
          .doc_line("dermaroller: needle rows on the drum, at most `needles`"),
      ruled("drum_diameter", "TreatmentSpec::drum_diameter_cm")
          .quantity(length, device_size())
          .defaults_to("\"2 cm\"", "device presets")
          .doc_line("dermaroller"),
      ruled("drum_width", "TreatmentSpec::drum_width_cm")
          .quantity(length, device_size())
          .defaults_to("\"2 cm\"", "device presets")
          .doc_line("dermaroller"),
      ruled("passes", "TreatmentSpec::passes")
          .number(Bounds::closed(1, 1000).because("a whole number of passes"), "1")
          .defaults_to("1", "")
          .doc_line("dermaroller, pen"),
      ruled("stamps_per_cm2", "TreatmentSpec::pen_stamps_per_cm2")
          .number(Bounds::open(0.0, 1e4).because("a stamp is wider than 100 um"), "9")
          .defaults_to("9", "device presets (estimate)")
          .doc_line("pen: stamp positions per cm2 in one pass"),
      ruled("patch_width", "TreatmentSpec::patch_width_cm")
          .quantity(length, patch_size())
          .no_default("required with domain = \"patch\"")
          .doc_line("patch only"),
      ruled("patch_length", "TreatmentSpec::patch_length_cm")
          .quantity(length, patch_size())
          .no_default("required with domain = \"patch\"")
          .doc_line("patch only"),
      ruled("pattern", "TreatmentSpec::pattern")
          .one_of({"lattice", "roller", "pen"})
          .no_default("from the device")
          .doc_line("patch only: channel placement"),
      ruled("seed", "TreatmentSpec::seed")
          .number(Bounds::closed(0, 4294967295.0).because("an unsigned 32-bit integer"), "1")
          .defaults_to("1", "")
          .doc_line("patch only: random seed"),
      ruled("occluded", "nowhere: refused")
          .flag()
          .no_default("—")
          .doc_line("belongs in [protocol]: known here only to be refused with that advice")
          .not_written_back(""),
  };
  keys.insert(keys.end(), device_or_patch_only.begin(), device_or_patch_only.end());
  return keys;
}

}  // namespace poreflux::config
