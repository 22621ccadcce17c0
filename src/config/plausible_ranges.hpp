// The accepted range of every physical input, with the reason (issue 8; docs/CONFIG.md,
// "Accepted ranges"). A value outside is impossible or a unit slip, and the config is refused
// with this text; values inside but unusual get a warning from the resolve step instead
// (resolve_parameters.cpp, check_plausibility). All in internal units (cm, s, ug).
// Internal header: only src/config may include it.
#pragma once

#include "table_reader.hpp"

namespace poreflux::config::ranges {

inline Bounds layer_thickness() {
  return Bounds::plausible(1e-5, 1.0, "between 0.1 um and 10 mm",
                           "a layer thinner than a corneocyte is not a layer; skin is less than 1 cm thick", 5e-3);
}
inline Bounds max_cell() {
  return Bounds::plausible(5e-6, 1.0, "between 0.05 um and 10 mm",
                           "finer than a lipid lamella changes nothing and only multiplies the cells", 1e-4);
}
inline Bounds diffusivity() {
  return Bounds::plausible(1e-20, 1e-3, "between 1e-20 and 1e-3 cm2/s",
                           "no solute diffuses faster than 1e-3 cm2/s in a liquid or tissue (water itself: 2.3e-5)");
}
inline Bounds partition() {
  return Bounds::plausible(1e-12, 1e12, "between 1e-12 and 1e12", "beyond this no partition coefficient is physical");
}
inline Bounds rate() {
  return Bounds::plausible(0.0, 1.0, "between 0 and 1 1/s",
                           "faster than a half-life of 0.7 s is instantaneous on the time scale of skin transport");
}
inline Bounds half_life() {
  return Bounds::plausible(1.0, 3.2e9, "between 1 s and 100 years",
                           "shorter is instantaneous; longer is no degradation at all");
}
inline Bounds film_thickness() {
  return Bounds::plausible(1e-5, 2.0, "between 0.01 uL/cm2 (0.1 um) and 2 mL/cm2 (2 cm)",
                           "an infinite-dose donor chamber holds at most ~1 mL/cm2", 2e-3);
}
inline Bounds concentration() {
  return Bounds::plausible(0.0, 2e6, "between 0 and 2 g/mL",
                           "no formulation holds more active than the density of a solid, ~2 g/mL");
}
inline Bounds dose_per_area() {
  return Bounds::plausible(0.0, 2e6, "between 0 and 2 g/cm2", "2 g/cm2 is a 1 cm layer of solid active");
}
inline Bounds duration() {
  return Bounds::plausible(1.0, 3.2e7, "between 1 s and 1 year", "a study outside this is a unit slip", 86400.0);
}
inline Bounds time_of_event() {
  return Bounds::plausible(1e-6, 3.2e7, "between 1 us and 1 year", "a study lasts at most a year", 8 * 3600.0);
}
inline Bounds channel_length() {
  return Bounds::plausible(1e-4, 0.5, "between 1 um and 5 mm",
                           "microneedles are 25 um to 3 mm long; nothing longer reaches only the skin", 0.05);
}
inline Bounds channel_diameter() {
  return Bounds::plausible(1e-4, 0.2, "between 1 um and 2 mm", "microneedle holes are 5 to 500 um wide", 5e-3);
}
inline Bounds lateral_cell() {
  return Bounds::plausible(1e-5, 1.0, "between 0.1 um and 1 cm",
                           "finer than 0.1 um resolves nothing a channel wall has; coarser than 1 cm is no grid", 5e-4);
}
inline Bounds patch_size() {
  return Bounds::plausible(1e-3, 5.0, "between 10 um and 5 cm",
                           "a patch is a window onto a treated area; 5 cm already needs millions of cells per plane",
                           0.1);
}
inline Bounds areal_density() {
  Bounds b = Bounds::plausible(0.0, 1e5, "> 0 and at most 1e5 /cm2", "needles closer than 30 um apart do not exist");
  b.lower_open = true;
  return b;
}
inline Bounds pitch() {
  return Bounds::plausible(3e-3, 1.0, "between 30 um and 1 cm", "needles closer than 30 um apart do not exist", 0.05);
}
inline Bounds device_size() {
  return Bounds::plausible(0.05, 20.0, "between 0.5 mm and 20 cm", "roller drums are a few cm", 2.0);
}
inline Bounds jitter() {
  return Bounds::plausible(0.0, 1.0, "between 0 and 1 cm", "a stamp placed more than 1 cm off is another stamp");
}
inline Bounds closure_time() {
  return Bounds::plausible(0.0, 3.2e7, "between 0 s and 1 year (or \"never\")",
                           "skin closes micropores within hours to days");
}

}  // namespace poreflux::config::ranges
