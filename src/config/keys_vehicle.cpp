// [vehicle]: what is applied. Not yet converted: the film and the amount are either/or pairs
// with conversions through the density, so read_vehicle and read_formulation.cpp read every key
// (ranges in plausible_ranges.hpp and inline there); docs/CONFIG.md keeps its hand-written table.
#include "plausible_ranges.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

std::vector<KeyDecl> vehicle_keys() {
  const char* reader = "read_vehicle (either/or film and amount keys, read_formulation.cpp)";
  auto key = [&](const char* name) { return Key("vehicle", name).read_by_function(reader); };
  return {
      key("dose")
          .one_of({"finite", "infinite"})
          .defaults_to("\"finite\"", "")
          .lands("VehicleSpec::mode")
          .doc_line("finite: the film is depleted; infinite: its concentration stays fixed"),
      key("volume_per_area")
          .quantity(Dimension::volume_per_area, ranges::film_thickness())
          .no_default("one of three")
          .lands("VehicleSpec::film_thickness_cm")
          .doc_line("applied volume per skin area"),
      key("film_thickness")
          .quantity(Dimension::length, ranges::film_thickness())
          .no_default("one of three")
          .lands("VehicleSpec::film_thickness_cm")
          .doc_line("the film thickness directly"),
      key("formulation_per_area")
          .quantity(Dimension::dose_per_area, Bounds::positive())
          .no_default("one of three")
          .lands("VehicleSpec::film_thickness_cm")
          .doc_line("applied mass of formulation per area, / the density"),
      key("concentration")
          .mixed("quantity or mass fraction")
          .no_default("one of two")
          .lands("VehicleSpec::concentration_ug_per_cm3")
          .doc_line("active per volume, or per mass with the density"),
      key("dose_per_area")
          .quantity(Dimension::dose_per_area, ranges::dose_per_area())
          .no_default("one of two")
          .lands("VehicleSpec::concentration_ug_per_cm3")
          .doc_line("active per skin area; / the film thickness"),
      key("density")
          .quantity(Dimension::concentration, Bounds::any())
          .no_default("from composition")
          .lands("VehicleSpec::density_g_per_cm3")
          .doc_line("the formulation's density"),
      key("composition")
          .mixed("string or table")
          .no_default("none")
          .lands("VehicleSpec::composition")
          .doc_line("a preset name or volume fractions summing to 1"),
      key("evaporation_rates")
          .table()
          .no_default("from vapour pressure and air")
          .lands("VehicleSpec::composition")
          .doc_line("measured thinning rates of pure components"),
      key("degradation_rate")
          .quantity(Dimension::rate, ranges::rate())
          .defaults_to("\"0 1/s\"", "")
          .lands("VehicleSpec::degradation_per_s")
          .doc_line("first-order loss in the film"),
      key("degradation_half_life")
          .quantity(Dimension::time, ranges::half_life())
          .no_default("none")
          .lands("VehicleSpec::degradation_per_s")
          .doc_line("the same as a half-life"),
      key("ph")
          .number(Bounds::closed(0.0, 14.0), "5.5")
          .defaults_to("7", "VehicleSpec")
          .lands("VehicleSpec::ph")
          .doc_line("formulation pH"),
      key("water_partition")
          .number(ranges::partition(), "1000")
          .defaults_to("1", "or from composition")
          .lands("VehicleSpec::water_partition")
          .doc_line("vehicle/water partition of the active"),
      key("solubility")
          .quantity(Dimension::concentration, ranges::solubility())
          .no_default("water solubility × partition")
          .lands("VehicleSpec::solubility_ug_per_cm3")
          .doc_line("the active's solubility in the vehicle"),
      key("supersaturation_limit")
          .number(Bounds::closed(1.0, 20.0), "1")
          .defaults_to("1", "")
          .lands("VehicleSpec::supersaturation_limit")
          .doc_line("degree of saturation tolerated before precipitation"),
      key("deposit")
          .one_of({"deposition_zone", "lipid_solubility", "dissolution"})
          .defaults_to("\"lipid_solubility\"", "VehicleSpec")
          .lands("VehicleSpec::deposit")
          .doc_line("what drives a dried deposit into the skin"),
      key("deposit_contact")
          .one_of({"full", "particles"})
          .defaults_to("\"particles\"", "VehicleSpec")
          .lands("VehicleSpec::deposit_contact")
          .doc_line("how a dried deposit touches the skin"),
      key("deposit_particle_size")
          .quantity(Dimension::length, ranges::deposit_particle_size())
          .defaults_to("\"10 um\"", "fitted")
          .lands("VehicleSpec::deposit_particle_size_cm")
          .doc_line("crystal size at full coverage; only with particles"),
      key("deposit_transfer_coefficient")
          .quantity(Dimension::speed, ranges::deposit_transfer())
          .defaults_to("\"1e-3 cm/h\"", "estimate")
          .lands("VehicleSpec::deposit_transfer_cm_s")
          .doc_line("the dissolution model's transfer coefficient; only with deposit = \"dissolution\""),
  };
}

}  // namespace poreflux::config
