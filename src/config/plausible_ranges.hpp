// Accepted ranges shared by keys of several sections ([vehicle] with [[layer]], [protocol] or
// [treatment]), with the reason (issue 8; docs/CONFIG.md, "Accepted ranges"). A range that
// belongs to one section's keys lives in their declaration (src/config/keys_*.cpp). A value
// outside is impossible or a unit slip, and the config is refused with this text; values inside
// but unusual get a warning from the resolve step instead (resolve_parameters.cpp,
// check_plausibility). All in internal units (cm, s, ug).
// Internal header: only src/config may include it.
#pragma once

#include "table_reader.hpp"

namespace poreflux::config::ranges {

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
inline Bounds positive_concentration() {
  Bounds b = concentration();
  b.lower_open = true;
  b.text = "> 0 and at most 2 g/mL";
  return b;
}
inline Bounds dose_per_area() {
  return Bounds::plausible(0.0, 2e6, "between 0 and 2 g/cm2", "2 g/cm2 is a 1 cm layer of solid active");
}
inline Bounds evaporation_rate() {
  return Bounds::plausible(0.0, 1e-2, "between 0 and 36000 uL/cm2/h",
                           "faster than boiling off a 1 cm film in 100 s is not evaporation");
}
// A dried deposit's transfer coefficient ([vehicle] deposit_transfer_coefficient): from a
// solid that barely touches the skin to a stirred solution's dissolution (D_aq / 10 um).
inline Bounds deposit_transfer() {
  return Bounds::plausible(
      1e-6 / 3600.0, 100.0 / 3600.0, "between 1e-6 cm/h and 100 cm/h",
      "a stirred solution dissolves a solid at about D/10 um ~ 30 cm/h; below 1e-6 cm/h nothing is taken up");
}
// A dry deposit's crystal size at full coverage ([vehicle] deposit_particle_size).
inline Bounds deposit_particle_size() {
  return Bounds::plausible(0.01e-4, 1000e-4, "between 0.01 um and 1 mm",
                           "smaller is a molecular film, larger no longer a deposit of a topical dose");
}
inline Bounds solubility() {
  return Bounds::plausible(1e-12, 2e6, "between 1e-12 ug/mL and 2 g/mL",
                           "above the density of a solid no solvent can hold it; below, nothing dissolves");
}

}  // namespace poreflux::config::ranges
