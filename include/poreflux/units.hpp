// Physical quantities written as text, "<number> <unit>", as they appear in a config.
// Everything is converted to the internal units the engine works in: cm, s and µg
// (so diffusivity in cm²/s, concentration in µg/cm³, dose in µg/cm², film thickness in cm).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace poreflux {

// What kind of quantity a value must be; decides which units are accepted.
enum class Dimension {
  length,            // internal: cm
  time,              // internal: s
  diffusivity,       // internal: cm2/s
  rate,              // internal: 1/s (first-order rate constant)
  concentration,     // internal: ug/cm3
  volume_per_area,   // internal: cm (applied volume per area read as a film thickness)
  dose_per_area,     // internal: ug/cm2
  molar_mass,        // internal: g/mol
  areal_density,     // internal: 1/cm2 (a count per skin area, e.g. microchannels)
  temperature,       // internal: degC (melting points)
  speed,             // internal: cm/s (air speed over the skin)
  pressure,          // internal: Pa (vapour pressures)
  evaporation_rate,  // internal: cm/s (a film's volume per area lost per time: its thinning rate)
};

// A quantity string that cannot be read as the requested dimension. The message says
// what was expected, which units are valid, and what was found; the config loader adds
// file, line and key.
class QuantityError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Parses "<number> <unit>" (space optional; µ, μ and u all mean micro; "cm²", "cm^2" and
// "cm2" are the same) into the internal unit of `dimension`. Throws QuantityError for a
// missing or unknown unit, a unit of another dimension, or a number that is not finite.
double parse_quantity(std::string_view text, Dimension dimension);

// A mass fraction as formulators write it: "10 % w/w", "10 %w/w", "10 wt%", "100 mg/g",
// "100 ug/g", "500 ppm" (parts per million by mass, mg/kg). Returns the fraction (0.1 for
// "10 % w/w"), or nullopt when the text's unit is none of these (it may be a concentration
// per volume). Throws QuantityError when such a unit comes with no number, a non-finite one, or
// a fraction outside [0, 1]. It becomes a concentration per volume only with the formulation's
// density (c = w x rho), which the config supplies (read_sections.cpp).
std::optional<double> parse_mass_fraction(std::string_view text);

// The mass-fraction spellings, for messages: "% w/w, wt%, mg/g, ug/g, ppm".
std::string mass_fraction_units();

// "a length", "a time", ... for messages.
std::string_view dimension_description(Dimension dimension);

// A typical value, e.g. "80 um", for "such as" hints in messages.
std::string_view example_quantity(Dimension dimension);

// The accepted unit spellings, e.g. "nm, um, µm, mm, cm, m".
std::string valid_units(Dimension dimension);

// The listed units of a dimension with the factor to the internal unit, in listing order.
std::vector<std::pair<std::string, double>> unit_factors(Dimension dimension);

// The internal unit's spelling, e.g. "cm2/s". A volume per area is held as the film
// thickness it makes, so its internal unit is "cm" (a length, not a volume-per-area unit).
std::string_view internal_unit(Dimension dimension);

// Renders an internal value with its internal unit ("0.00168 cm") using the fewest digits
// (15 to 17) with which parse_quantity gives back exactly the same double. A volume per
// area is rendered in uL/cm2 so that it still reads back as one (then exact to rounding).
std::string format_quantity(double internal_value, Dimension dimension);

}  // namespace poreflux
