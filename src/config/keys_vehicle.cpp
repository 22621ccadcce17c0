// [vehicle]: what is applied. The keys bound to a VehicleSpec field are declared beside it
// (VehicleSpec::keys(), include/poreflux/study.hpp); here are the ruled keys that land in no one
// field, listed among them: the other halves of the film and amount pairs (converted through
// the density), the density, the composition and its evaporation rates, and the degradation's
// half-life. read_vehicle (read_sections.cpp) and read_formulation.cpp read them by their rules,
// taking each range from these declarations.
#include "poreflux/plausible_ranges.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

namespace {

const char* const kPairs = "read_vehicle (either/or film and amount keys, read_formulation.cpp)";
const char* const kComposition = "read_composition (a preset, or fractions summing to 1; read_formulation.cpp)";

}  // namespace

std::vector<KeyDecl> vehicle_keys() {
  std::vector<KeyDecl> keys = declared_keys_of<VehicleSpec>();
  insert_after(keys, "film_thickness",
               {Key("vehicle", "formulation_per_area")
                    .quantity(Dimension::dose_per_area, Bounds::plausible(1e-2, 2e6, "between 0.01 ug/cm2 and 2 g/cm2",
                                                                          "2 g/cm2 is a 2 cm layer of formulation"))
                    .no_default("one of three")
                    .doc_line("applied mass of **formulation** per skin area (`\"2 mg/cm2\"` of a cream, the OECD "
                              "428 / SCCS finite dose); the film is this / the density (`density` or the "
                              "composition's), and must lie in `film_thickness`'s range; printed as a conversion")
                    .lands("VehicleSpec::film_thickness_cm")
                    .read_by_function("read_formulation_per_area (read_formulation.cpp)")
                    .not_written_back("written as film_thickness")});
  insert_after(
      keys, "concentration",
      {Key("vehicle", "dose_per_area")
           .quantity(Dimension::dose_per_area, ranges::dose_per_area())
           .no_default("one of two")
           .doc_line("applied amount of active per skin area; the concentration becomes dose / film "
                     "thickness, which must lie in `concentration`'s range")
           .lands("VehicleSpec::concentration_ug_per_cm3")
           .read_by_function(kPairs)
           .not_written_back("written as concentration"),
       Key("vehicle", "density")
           .quantity(Dimension::concentration,
                     Bounds::plausible(0.5e6, 2.5e6, "between 0.5 and 2.5 g/mL",
                                       "formulations lie between ~0.75, ethanol or volatile silicones, and ~1.3, "
                                       "glycerol"))
           .no_default("from `composition`")
           .doc_line("the formulation's density (g/mL, g/cm3: `\"1.02 g/mL\"`); converts amounts per mass (`% w/w`, "
                     "`formulation_per_area`) into amounts per volume; wins over the composition's")
           .lands("VehicleSpec::density_g_per_cm3")
           .read_by_function("read_density (read_formulation.cpp)"),
       Key("vehicle", "composition")
           .number(Bounds::closed(0.0, 1.0).because("each a volume fraction"), "0.9")
           .mixed("string or table")
           .no_default("none (a film that keeps its volume)")
           .doc_line("what the vehicle is made of: a preset name, or a table of volume fractions summing to 1 (see "
                     "below); the film then evaporates, and the composition sets the vehicle/water partition")
           .lands("VehicleSpec::composition")
           .read_by_function(kComposition),
       Key("vehicle", "evaporation_rates")
           .quantity(Dimension::evaporation_rate,
                     Bounds::plausible(0.0, 1e-2, "between 0 and 36000 uL/cm2/h",
                                       "faster than boiling off a 1 cm film in 100 s is not evaporation"))
           .mixed("table of quantities")
           .no_default("from vapour pressure and air")
           .doc_line("measured thinning rates of pure components that replace the mass-transfer relation; each must "
                     "be in `composition`; only with `composition`")
           .lands("VehicleSpec::composition")
           .read_by_function(kComposition)});
  insert_after(keys, "degradation_rate",
               {Key("vehicle", "degradation_half_life")
                    .quantity(Dimension::time, ranges::half_life())
                    .no_default("none")
                    .doc_line("the same as a half-life: rate = ln 2 / half-life; not with `degradation_rate`")
                    .lands("VehicleSpec::degradation_per_s")
                    .read_by_function("read_degradation (one of a pair)")
                    .not_written_back("written as degradation_rate")});
  return keys;
}

}  // namespace poreflux::config
