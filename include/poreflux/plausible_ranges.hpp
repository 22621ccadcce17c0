// Accepted ranges shared by keys of several sections ([vehicle] with [[layer]], [protocol] or
// [treatment]), with the reason (issue 8; docs/CONFIG.md, "Accepted ranges"). A range that
// belongs to one section's keys lives in its declaration (beside the struct's field, or in
// src/config/keys_*.cpp). A value outside is impossible or a unit slip, and the config is
// refused with this text; values inside but unusual get a warning from the resolve step instead
// (resolve_parameters.cpp, check_plausibility). All in internal units (cm, s, ug). Plain data of
// the types layer, so that a struct's key declarations can use them.
#pragma once

#include "poreflux/key_decl.hpp"

namespace poreflux::ranges {

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
// When an event of the study may happen (a wipe, a wash, an application, a needling session).
inline Bounds time_in_study() {
  return Bounds::plausible(1e-6, 3.2e7, "between 1 us and 1 year", "a study lasts at most a year", 8 * 3600.0);
}

}  // namespace poreflux::ranges
