#include "poreflux/units.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <system_error>
#include <utility>

namespace poreflux {
namespace {

struct UnitEntry {
  Dimension dimension;
  std::string_view spelling;  // as a user would write it
  double to_internal;         // multiply a value in this unit by this to get internal units
  bool listed;                // shown in "units: ..." lists; aliases are accepted but not listed
};

constexpr double kMicrolitrePerCm2 = 1e-3;  // 1 µL = 1e-3 cm³, spread over 1 cm² → 1e-3 cm

// Listed spellings follow docs/CONFIG.md; aliases catch common variants (ml, hr, ...).
constexpr UnitEntry kUnits[] = {
    {Dimension::length, "nm", 1e-7, true},
    {Dimension::length, "um", 1e-4, true},
    {Dimension::length, "µm", 1e-4, true},
    {Dimension::length, "mm", 1e-1, true},
    {Dimension::length, "cm", 1.0, true},
    {Dimension::length, "m", 1e2, true},

    {Dimension::time, "ms", 1e-3, true},
    {Dimension::time, "s", 1.0, true},
    {Dimension::time, "min", 60.0, true},
    {Dimension::time, "h", 3600.0, true},
    {Dimension::time, "d", 86400.0, true},
    {Dimension::time, "sec", 1.0, false},
    {Dimension::time, "hr", 3600.0, false},
    {Dimension::time, "day", 86400.0, false},

    {Dimension::diffusivity, "cm2/s", 1.0, true},
    {Dimension::diffusivity, "cm^2/s", 1.0, true},
    {Dimension::diffusivity, "m2/s", 1e4, true},
    {Dimension::diffusivity, "mm2/s", 1e-2, true},
    {Dimension::diffusivity, "um2/s", 1e-8, true},

    {Dimension::rate, "1/s", 1.0, true},
    {Dimension::rate, "1/min", 1.0 / 60.0, true},
    {Dimension::rate, "1/h", 1.0 / 3600.0, true},
    {Dimension::rate, "1/d", 1.0 / 86400.0, true},
    {Dimension::rate, "1/hr", 1.0 / 3600.0, false},

    {Dimension::concentration, "ug/cm3", 1.0, true},
    {Dimension::concentration, "ug/mL", 1.0, true},
    {Dimension::concentration, "mg/mL", 1e3, true},
    {Dimension::concentration, "mg/cm3", 1e3, true},
    {Dimension::concentration, "g/L", 1e3, true},
    {Dimension::concentration, "g/cm3", 1e6, false},  // densities
    {Dimension::concentration, "g/mL", 1e6, false},
    {Dimension::concentration, "% w/v", 1e4, true},  // 1 % w/v = 1 g/100 mL = 10 mg/mL
    {Dimension::concentration, "ug/ml", 1.0, false},
    {Dimension::concentration, "mg/ml", 1e3, false},
    {Dimension::concentration, "g/l", 1e3, false},

    {Dimension::volume_per_area, "uL/cm2", kMicrolitrePerCm2, true},
    {Dimension::volume_per_area, "µL/cm2", kMicrolitrePerCm2, true},
    {Dimension::volume_per_area, "mL/cm2", 1.0, true},
    {Dimension::volume_per_area, "ul/cm2", kMicrolitrePerCm2, false},
    {Dimension::volume_per_area, "ml/cm2", 1.0, false},

    {Dimension::dose_per_area, "ug/cm2", 1.0, true},
    {Dimension::dose_per_area, "µg/cm2", 1.0, true},
    {Dimension::dose_per_area, "mg/cm2", 1e3, true},
    {Dimension::dose_per_area, "ng/cm2", 1e-3, false},

    {Dimension::molar_mass, "g/mol", 1.0, true},
    {Dimension::molar_mass, "Da", 1.0, false},
    {Dimension::molar_mass, "kg/mol", 1e3, false},
    {Dimension::molar_mass, "kDa", 1e3, false},

    // Counts per area (microchannels per cm²). "/cm2" reads as "per cm2", the way device
    // sheets write it; "1/cm2" is the same thing in rate-like notation.
    {Dimension::areal_density, "/cm2", 1.0, true},
    {Dimension::areal_density, "1/cm2", 1.0, true},
    {Dimension::areal_density, "per cm2", 1.0, true},
    {Dimension::areal_density, "/mm2", 100.0, true},
    {Dimension::areal_density, "1/mm2", 100.0, false},
    {Dimension::areal_density, "per mm2", 100.0, false},

    // Temperatures (melting points): Celsius only; a scale table cannot hold kelvin's offset.
    {Dimension::temperature, "degC", 1.0, true},
    {Dimension::temperature, "°C", 1.0, true},
    {Dimension::temperature, "C", 1.0, false},

    {Dimension::speed, "m/s", 100.0, true},
    {Dimension::speed, "cm/s", 1.0, true},
    {Dimension::speed, "km/h", 100.0 / 3.6, false},
    {Dimension::speed, "cm/h", 1.0 / 3600.0, true},  // transfer coefficients and permeabilities

    {Dimension::pressure, "Pa", 1.0, true},
    {Dimension::pressure, "kPa", 1e3, true},
    {Dimension::pressure, "mmHg", 133.322, true},
    {Dimension::pressure, "bar", 1e5, false},

    {Dimension::evaporation_rate, "uL/cm2/h", kMicrolitrePerCm2 / 3600.0, true},
    {Dimension::evaporation_rate, "uL/cm2/min", kMicrolitrePerCm2 / 60.0, true},
    {Dimension::evaporation_rate, "um/h", 1e-4 / 3600.0, true},
    {Dimension::evaporation_rate, "um/min", 1e-4 / 60.0, true},
    {Dimension::evaporation_rate, "ul/cm2/h", kMicrolitrePerCm2 / 3600.0, false},
    {Dimension::evaporation_rate, "ul/cm2/min", kMicrolitrePerCm2 / 60.0, false},
};

// Multi-byte characters that users type in units, and the ASCII they stand for.
constexpr std::pair<std::string_view, char> kEquivalentCharacters[] = {
    {"\xC2\xB5", 'u'},  // µ micro sign U+00B5
    {"\xCE\xBC", 'u'},  // μ Greek mu U+03BC; looks identical, so users cannot tell
    {"\xC2\xB2", '2'},  // ²
    {"\xC2\xB3", '3'},  // ³
};

// One spelling per unit regardless of how it was typed: no spaces, "u" for micro, plain
// digits for superscripts, no "^".
std::string normalise_unit(std::string_view unit) {
  std::string out;
  while (!unit.empty()) {
    bool replaced = false;
    for (const auto& [spelling, ascii] : kEquivalentCharacters) {
      if (unit.substr(0, spelling.size()) == spelling) {
        out += ascii;
        unit.remove_prefix(spelling.size());
        replaced = true;
        break;
      }
    }
    if (replaced) continue;
    const char c = unit.front();
    if (c != ' ' && c != '\t' && c != '^') out += c;
    unit.remove_prefix(1);
  }
  return out;
}

const UnitEntry* find_unit(std::string_view unit) {
  const std::string wanted = normalise_unit(unit);
  for (const UnitEntry& entry : kUnits) {
    if (normalise_unit(entry.spelling) == wanted) return &entry;
  }
  return nullptr;
}

std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

[[noreturn]] void fail(std::string_view text, Dimension dimension, std::string_view why) {
  std::string message = "expected ";
  message += dimension_description(dimension);
  message += " such as \"";
  message += example_quantity(dimension);
  message += "\" (units: ";
  message += valid_units(dimension);
  message += "); got \"";
  message += text;
  message += '"';
  if (!why.empty()) {
    message += ", which ";
    message += why;
  }
  throw QuantityError(message);
}

// Mass fractions (per mass of formulation), by their normalised spelling (normalise_unit, then
// lower case). Not in kUnits: they need a density to become a concentration per volume.
struct MassFractionUnit {
  std::string_view normalised;
  double to_fraction;
};
constexpr MassFractionUnit kMassFractionUnits[] = {
    {"%w/w", 1e-2},   {"%(w/w)", 1e-2}, {"w/w%", 1e-2}, {"wt%", 1e-2},  {"%wt", 1e-2},   {"wt.%", 1e-2},
    {"%wt/wt", 1e-2}, {"mg/g", 1e-3},   {"ug/g", 1e-6}, {"g/kg", 1e-3}, {"mg/kg", 1e-6}, {"ppm", 1e-6},
};

std::string lower(std::string text) {
  for (char& c : text)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return text;
}

}  // namespace

std::optional<double> parse_mass_fraction(std::string_view text) {
  std::string_view rest = trim(text);
  if (!rest.empty() && rest.front() == '+') rest.remove_prefix(1);
  double number = 0.0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), number);
  const std::string unit = lower(normalise_unit(trim(rest.substr(static_cast<std::size_t>(end - rest.data())))));
  const MassFractionUnit* found = nullptr;
  for (const MassFractionUnit& u : kMassFractionUnits)
    if (u.normalised == unit) found = &u;
  if (found == nullptr) return std::nullopt;
  const std::string expected = "expected a mass fraction such as \"10 % w/w\" (units: " + mass_fraction_units() +
                               "); got \"" + std::string(text) + "\"";
  if (error == std::errc::invalid_argument) throw QuantityError(expected + ", which does not start with a number");
  if (error == std::errc::result_out_of_range || !std::isfinite(number))
    throw QuantityError(expected + ", which is not a finite number");
  const double fraction = number * found->to_fraction;
  if (!(fraction >= 0.0 && fraction <= 1.0))
    throw QuantityError(expected + ", which is not between 0 and 100 % of the formulation's mass");
  return fraction;
}

std::string mass_fraction_units() { return "% w/w, wt%, mg/g, ug/g, ppm"; }

double parse_quantity(std::string_view text, Dimension dimension) {
  std::string_view rest = trim(text);
  if (!rest.empty() && rest.front() == '+') rest.remove_prefix(1);  // from_chars rejects '+'

  double number = 0.0;
  const auto [end, error] = std::from_chars(rest.data(), rest.data() + rest.size(), number);
  if (error == std::errc::invalid_argument) fail(text, dimension, "does not start with a number");
  if (error == std::errc::result_out_of_range || !std::isfinite(number)) {
    fail(text, dimension, "is not a finite number");
  }
  const std::string_view unit = trim(rest.substr(static_cast<std::size_t>(end - rest.data())));
  if (unit.empty()) fail(text, dimension, "has no unit");

  const UnitEntry* entry = find_unit(unit);
  if (entry == nullptr) fail(text, dimension, "");
  if (entry->dimension != dimension) {
    fail(text, dimension, "is " + std::string(dimension_description(entry->dimension)));
  }
  return number * entry->to_internal;
}

std::string_view dimension_description(Dimension dimension) {
  switch (dimension) {
    case Dimension::length:
      return "a length";
    case Dimension::time:
      return "a time";
    case Dimension::diffusivity:
      return "a diffusivity";
    case Dimension::rate:
      return "a first-order rate";
    case Dimension::concentration:
      return "a concentration";
    case Dimension::volume_per_area:
      return "a volume per area";
    case Dimension::dose_per_area:
      return "a dose per area";
    case Dimension::molar_mass:
      return "a molar mass";
    case Dimension::areal_density:
      return "a count per area";
    case Dimension::temperature:
      return "a temperature";
    case Dimension::speed:
      return "a speed";
    case Dimension::pressure:
      return "a pressure";
    case Dimension::evaporation_rate:
      return "an evaporation rate (volume per area per time)";
  }
  return "a quantity";
}

std::string_view example_quantity(Dimension dimension) {
  switch (dimension) {
    case Dimension::length:
      return "80 um";
    case Dimension::time:
      return "24 h";
    case Dimension::diffusivity:
      return "2.9e-12 cm2/s";
    case Dimension::rate:
      return "7e-6 1/s";
    case Dimension::concentration:
      return "150 mg/mL";
    case Dimension::volume_per_area:
      return "2 uL/cm2";
    case Dimension::dose_per_area:
      return "300 ug/cm2";
    case Dimension::molar_mass:
      return "176.12 g/mol";
    case Dimension::areal_density:
      return "100 /cm2";
    case Dimension::temperature:
      return "129 degC";
    case Dimension::speed:
      return "0.165 m/s";
    case Dimension::pressure:
      return "4757 Pa";
    case Dimension::evaporation_rate:
      return "20 uL/cm2/h";
  }
  return "1 cm";
}

std::string valid_units(Dimension dimension) {
  std::string list;
  for (const UnitEntry& entry : kUnits) {
    if (entry.dimension != dimension || !entry.listed) continue;
    if (!list.empty()) list += ", ";
    list += entry.spelling;
  }
  return list;
}

std::vector<std::pair<std::string, double>> unit_factors(Dimension dimension) {
  std::vector<std::pair<std::string, double>> out;
  for (const UnitEntry& entry : kUnits)
    if (entry.dimension == dimension && entry.listed) out.emplace_back(std::string(entry.spelling), entry.to_internal);
  return out;
}

std::string_view internal_unit(Dimension dimension) {
  switch (dimension) {
    case Dimension::length:
      return "cm";
    case Dimension::time:
      return "s";
    case Dimension::diffusivity:
      return "cm2/s";
    case Dimension::rate:
      return "1/s";
    case Dimension::concentration:
      return "ug/cm3";
    case Dimension::volume_per_area:
      return "cm";  // read back as a film thickness
    case Dimension::dose_per_area:
      return "ug/cm2";
    case Dimension::molar_mass:
      return "g/mol";
    case Dimension::areal_density:
      return "/cm2";
    case Dimension::temperature:
      return "degC";
    case Dimension::speed:
      return "cm/s";
    case Dimension::pressure:
      return "Pa";
    case Dimension::evaporation_rate:
      return "cm/s";
  }
  return "";
}

std::string format_quantity(double internal_value, Dimension dimension) {
  // Volume per area has no unit that both reads back and means "cm of film"; render it as
  // the equivalent µL/cm² so the string is still a volume per area.
  double shown = internal_value;
  std::string_view unit = internal_unit(dimension);
  if (dimension == Dimension::volume_per_area) {
    shown = internal_value / kMicrolitrePerCm2;
    unit = "uL/cm2";
  }
  if (dimension == Dimension::evaporation_rate) {  // cm/s would read back as a speed
    shown = internal_value / (kMicrolitrePerCm2 / 3600.0);
    unit = "uL/cm2/h";
  }
  char buffer[64];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, shown);
    if (std::strtod(buffer, nullptr) == shown) break;
  }
  return std::string(buffer) + " " + std::string(unit);
}

}  // namespace poreflux
