// [vehicle]: what is applied. Every key is bound to the VehicleSpec member it lands in and
// written back from there; the film and the amount are either/or pairs with conversions through
// the density, and some keys apply to one deposit model only, so read_vehicle (read_sections.cpp)
// and read_formulation.cpp read those, taking each range from here.
#include "plausible_ranges.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

namespace {

const char* const kVehicleDefaults = "VehicleSpec, include/poreflux/study.hpp";
const char* const kPairs = "read_vehicle (either/or film and amount keys, read_formulation.cpp)";
const char* const kComposition = "read_composition (a preset, or fractions summing to 1; read_formulation.cpp)";

// Active per volume: more than none, and no more than a solid holds.
Bounds positive_concentration() {
  Bounds b = ranges::concentration();
  b.lower_open = true;
  b.text = "> 0 and at most 2 g/mL";
  return b;
}

}  // namespace

const std::vector<BoundKey<VehicleSpec>>& vehicle_bindings() {
  static const std::vector<BoundKey<VehicleSpec>> keys{
      bind(Key("vehicle", "dose")
               .one_of({"finite", "infinite"})
               .defaults_to("", kVehicleDefaults)
               .doc_line("`\"finite\"`: the film is depleted as the active enters the skin; `\"infinite\"`: its "
                         "concentration stays fixed")
               .lands("VehicleSpec::mode"),
           &VehicleSpec::mode, {{"finite", DoseMode::finite}, {"infinite", DoseMode::infinite}}),
      bind(Key("vehicle", "volume_per_area")
               .quantity(Dimension::volume_per_area, ranges::film_thickness())
               .no_default("one of three")
               .doc_line("applied volume per skin area; sets the film thickness")
               .lands("VehicleSpec::film_thickness_cm")
               .read_by_function(kPairs)
               .not_written_back("written as film_thickness"),
           &VehicleSpec::film_thickness_cm),
      bind(Key("vehicle", "film_thickness")
               .quantity(Dimension::length, ranges::film_thickness())
               .no_default("one of three")
               .doc_line("the film thickness directly")
               .lands("VehicleSpec::film_thickness_cm")
               .read_by_function(kPairs),
           &VehicleSpec::film_thickness_cm),
      unbound<VehicleSpec>(
          Key("vehicle", "formulation_per_area")
              .quantity(Dimension::dose_per_area, Bounds::plausible(1e-2, 2e6, "between 0.01 ug/cm2 and 2 g/cm2",
                                                                    "2 g/cm2 is a 2 cm layer of formulation"))
              .no_default("one of three")
              .doc_line(
                  "applied mass of **formulation** per skin area (`\"2 mg/cm2\"` of a cream, the OECD 428 / SCCS "
                  "finite dose); the film is this / the density (`density` or the composition's), and must lie in "
                  "`film_thickness`'s range; printed as a conversion")
              .lands("VehicleSpec::film_thickness_cm")
              .read_by_function("read_formulation_per_area (read_formulation.cpp)")
              .not_written_back("written as film_thickness")),
      bind(Key("vehicle", "concentration")
               .quantity(Dimension::concentration, positive_concentration())
               .mixed("quantity, or a mass fraction")
               .no_default("one of two")
               .doc_line(
                   "active concentration in the formulation: per volume (`\"150 mg/mL\"`, `\"15 % w/v\"`) or per "
                   "mass (`\"10 % w/w\"`, `\"10 wt%\"`, `\"100 mg/g\"`, `\"500 ppm\"`, converted with the density, "
                   "see \"Quantities and units\")")
               .lands("VehicleSpec::concentration_ug_per_cm3")
               .read_by_function("read_concentration (read_formulation.cpp)"),
           &VehicleSpec::concentration_ug_per_cm3),
      unbound<VehicleSpec>(
          Key("vehicle", "dose_per_area")
              .quantity(Dimension::dose_per_area, ranges::dose_per_area())
              .no_default("one of two")
              .doc_line("applied amount of active per skin area; the concentration becomes dose / film "
                        "thickness, which must lie in `concentration`'s range")
              .lands("VehicleSpec::concentration_ug_per_cm3")
              .read_by_function(kPairs)
              .not_written_back("written as concentration")),
      unbound<VehicleSpec>(
          Key("vehicle", "density")
              .quantity(Dimension::concentration,
                        Bounds::plausible(0.5e6, 2.5e6, "between 0.5 and 2.5 g/mL",
                                          "formulations lie between ~0.75, ethanol or volatile silicones, and ~1.3, "
                                          "glycerol"))
              .no_default("from `composition`")
              .doc_line("the formulation's density (g/mL, g/cm3: `\"1.02 g/mL\"`); converts amounts per mass (`% w/w`, "
                        "`formulation_per_area`) into "
                        "amounts per volume; wins over the composition's")
              .lands("VehicleSpec::density_g_per_cm3")
              .read_by_function("read_density (read_formulation.cpp)")),
      unbound<VehicleSpec>(
          Key("vehicle", "composition")
              .number(Bounds::closed(0.0, 1.0).because("each a volume fraction"), "0.9")
              .mixed("string or table")
              .no_default("none (a film that keeps its volume)")
              .doc_line("what the vehicle is made of: a preset name, or a table of volume fractions summing to 1 (see "
                        "below); the film then evaporates, and the composition sets the vehicle/water partition")
              .lands("VehicleSpec::composition")
              .read_by_function(kComposition)),
      unbound<VehicleSpec>(
          Key("vehicle", "evaporation_rates")
              .quantity(Dimension::evaporation_rate,
                        Bounds::plausible(0.0, 1e-2, "between 0 and 36000 uL/cm2/h",
                                          "faster than boiling off a 1 cm film in 100 s is not evaporation"))
              .mixed("table of quantities")
              .no_default("from vapour pressure and air")
              .doc_line(
                  "measured thinning rates of pure components that replace the mass-transfer relation; each must be "
                  "in `composition`; only with `composition`")
              .lands("VehicleSpec::composition")
              .read_by_function(kComposition)),
      bind(Key("vehicle", "degradation_rate")
               .quantity(Dimension::rate, ranges::rate())
               .defaults_to("\"0 1/s\"", "")
               .doc_line("first-order loss in the film (oxidation, light); not with `degradation_half_life`")
               .lands("VehicleSpec::degradation_per_s")
               .read_by_function("read_degradation (one of a pair)"),
           &VehicleSpec::degradation_per_s),
      unbound<VehicleSpec>(
          Key("vehicle", "degradation_half_life")
              .quantity(Dimension::time, ranges::half_life())
              .no_default("none")
              .doc_line("the same as a half-life: rate = ln 2 / half-life; not with `degradation_rate`")
              .lands("VehicleSpec::degradation_per_s")
              .read_by_function("read_degradation (one of a pair)")
              .not_written_back("written as degradation_rate")),
      bind(Key("vehicle", "ph")
               .number(Bounds::closed(0.0, 14.0).because("the pH scale of water"), "5.5")
               .defaults_to("", kVehicleDefaults)
               .doc_line("formulation pH; sets the active's non-ionised fraction (docs/PARAMETERS.md)")
               .lands("VehicleSpec::ph"),
           &VehicleSpec::ph),
      written_when<VehicleSpec>(
          bind(Key("vehicle", "water_partition")
                   .number(ranges::partition(), "1000")
                   .defaults_to("1", "or from `composition`")
                   .doc_line(
                       "vehicle/water partition of the active (1: aqueous; an oil phase holding a lipophilic active: "
                       "≫ 1); every tissue K is divided by it. Refused together with `composition`, which sets it")
                   .lands("VehicleSpec::water_partition")
                   .read_by_function("read_vehicle (not with composition)"),
               &VehicleSpec::water_partition),
          [](const VehicleSpec& v) { return !v.composition; }),
      written_when<VehicleSpec>(
          bind(
              Key("vehicle", "solubility")
                  .quantity(Dimension::concentration, declaration_in(compound_bindings(), "water_solubility").range)
                  .no_default("water solubility × vehicle/water partition")
                  .doc_line("the active's solubility in the applied vehicle; sets the saturation activity (deposit); a "
                            "concentration above it warns")
                  .lands("VehicleSpec::solubility_ug_per_cm3"),
              &VehicleSpec::solubility_ug_per_cm3),
          [](const VehicleSpec& v) { return v.solubility_ug_per_cm3 && v.solubility_ug_per_cm3->source == "config"; }),
      bind(Key("vehicle", "supersaturation_limit")
               .number(Bounds::closed(1.0, 20.0).because(
                           "1: none; a polymer-stabilised drying film holds 2-4 (Davis & Hadgraft 1991)"),
                       "1")
               .defaults_to("", kVehicleDefaults)
               .doc_line(
                   "degree of saturation the film tolerates before the excess precipitates; the saturation activity "
                   "is this × the solubility in the vehicle")
               .lands("VehicleSpec::supersaturation_limit"),
           &VehicleSpec::supersaturation_limit),
      bind(Key("vehicle", "deposit")
               .one_of({"deposition_zone", "lipid_solubility", "dissolution"})
               .defaults_to("", "VehicleSpec; chosen by the qualification suite, docs/VALIDATION.md")
               .doc_line(
                   "what drives a **dried** deposit into the skin (docs/VEHICLES.md §6): `\"lipid_solubility\"` — its "
                   "concentration in the SC is the lipid solubility f_non K_oct S_w (Kasting & Saiyasombati 2001), "
                   "capped at the density; `\"deposition_zone\"` — the SC's saturated concentration min(K_sc/w S_w, "
                   "density) (Dancik 2013 / the OSP skin model); `\"dissolution\"` — the saturated liquid's activity "
                   "through a transfer coefficient")
               .lands("VehicleSpec::deposit"),
           &VehicleSpec::deposit),
      written_when<VehicleSpec>(
          bind(Key("vehicle", "deposit_transfer_coefficient")
                   .quantity(Dimension::speed,
                             Bounds::plausible(1e-6 / 3600.0, 100.0 / 3600.0, "between 1e-6 cm/h and 100 cm/h",
                                               "a stirred solution dissolves a solid at about D/10 um ~ 30 cm/h; below "
                                               "1e-6 cm/h nothing is taken up"))
                   .defaults_to("\"1e-3 cm/h\"", "estimate")
                   .doc_line("the `\"dissolution\"` model's water-equivalent transfer coefficient (`\"1e-3 cm/h\"`); "
                             "only with `deposit = \"dissolution\"`")
                   .lands("VehicleSpec::deposit_transfer_cm_s")
                   .read_by_function("read_vehicle (only with deposit = \"dissolution\")"),
               &VehicleSpec::deposit_transfer_cm_s),
          [](const VehicleSpec& v) { return v.deposit == "dissolution" && v.deposit_transfer_cm_s.value > 0.0; }),
      bind(
          Key("vehicle", "deposit_contact")
              .one_of({"full", "particles"})
              .defaults_to("", "VehicleSpec; chosen by the qualification suite, docs/VALIDATION.md")
              .doc_line("how a dried deposit touches the skin: `\"particles\"` — crystals cover (M / (density × "
                        "`deposit_particle_size`))^(2/3) of the surface (Hixson–Crowell: their number stays as they "
                        "dissolve) and present their activity over that share; `\"full\"` — the whole surface, however "
                        "little there is")
              .lands("VehicleSpec::deposit_contact"),
          &VehicleSpec::deposit_contact),
      written_when<VehicleSpec>(
          bind(Key("vehicle", "deposit_particle_size")
                   .quantity(Dimension::length,
                             Bounds::plausible(0.01e-4, 1000e-4, "between 0.01 um and 1 mm",
                                               "smaller is a molecular film, larger no longer a deposit of a topical "
                                               "dose"))
                   .defaults_to("\"10 um\"", "fitted, docs/VALIDATION.md")
                   .doc_line("the crystal size at which a deposit covers the whole surface; only with "
                             "`deposit_contact = \"particles\"`")
                   .lands("VehicleSpec::deposit_particle_size_cm")
                   .read_by_function("read_vehicle (only with deposit_contact = \"particles\")"),
               &VehicleSpec::deposit_particle_size_cm),
          [](const VehicleSpec& v) {
            return v.deposit_contact == "particles" && v.deposit_particle_size_cm.value > 0.0;
          }),
  };
  return keys;
}

std::vector<KeyDecl> vehicle_keys() { return declarations_of(vehicle_bindings()); }

}  // namespace poreflux::config
