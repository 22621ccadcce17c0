// The formulation's keys: what the vehicle is made of ([vehicle] composition, evaporation
// rates, supersaturation) and how it is used ([protocol] applications, washes, occlusion, air).
// Schema: docs/CONFIG.md; physics: MODEL.md §3, docs/VEHICLES.md.
#include <cmath>
#include <cstdio>
#include <string>

#include "read_formulation.hpp"
#include "section_keys.hpp"

namespace poreflux::config {
namespace {

const VehicleComponent& component_named(TableReader& table, const std::string& key, const std::string& name) {
  const VehicleComponent* c = find_vehicle_component(name);
  if (!c)
    table.fail(key, "unknown vehicle component \"" + name + "\"; the components are " + vehicle_component_names());
  return *c;
}

// Strictly increasing, inside (0, duration): two events of a kind at one time overlap.
void check_times(TableReader& table, const std::vector<ListEntry>& times, double duration, const std::string& what) {
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (!(times[i].value < duration))
      table.fail_entry(times[i], what + " must come before the end of the study (duration \"" +
                                     table.text_of("duration") + "\"); got \"" + times[i].text + "\"");
    if (i > 0 && !(times[i].value > times[i - 1].value))
      table.fail_entry(times[i], what + " times must increase strictly (two at one time overlap); got \"" +
                                     times[i - 1].text + "\" then \"" + times[i].text + "\"");
  }
}

std::string g4(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

// "103 mg/mL", or "0.5 ug/mL" below 1 mg/mL.
std::string concentration_text(double ug_per_cm3) {
  return ug_per_cm3 >= 1e3 ? g4(ug_per_cm3 / 1e3) + " mg/mL" : g4(ug_per_cm3) + " ug/mL";
}

// The text after a quantity's number ("% w/w" of "10 % w/w"), trimmed.
std::string unit_part(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t+-0123456789.eE");
  if (start == std::string::npos) return "";
  const std::size_t end = text.find_last_not_of(" \t");
  return text.substr(start, end - start + 1);
}

const char* kDensityExpected = "expected a density such as \"1.02 g/mL\" (units: g/mL, g/cm3)";

}  // namespace

std::optional<Sourced> read_density(TableReader& table, const std::optional<VehicleComposition>& composition) {
  if (table.has("density")) {
    const std::string text = table.text_of("density");
    if (table.holds_number("density"))
      table.fail("density", std::string(kDensityExpected) + "; got " + text +
                                ", which has no unit; write it as a string, e.g. \"" + text + " g/mL\"");
    if (!table.holds_string("density")) table.fail("density", std::string(kDensityExpected) + "; got " + text);
    double ug_per_cm3 = 0.0;
    try {
      ug_per_cm3 = parse_quantity(text, Dimension::concentration);
    } catch (const QuantityError&) {
      table.fail("density", std::string(kDensityExpected) + "; got \"" + text + "\"");
    }
    const Bounds& range = declared_key("vehicle", "density").range;
    if (!range.contains(ug_per_cm3))
      table.fail("density", "expected a density " + range.describe() + "; got \"" + text + "\"");
    return Sourced{ug_per_cm3 * 1e-6, "config"};
  }
  if (!composition) return std::nullopt;
  double g_per_cm3 = 0.0;
  for (std::size_t i = 0; i < composition->components.size(); ++i)
    g_per_cm3 += composition->volume_fractions[i] * composition->components[i].density_g_per_cm3;
  const std::string what =
      composition->preset.empty() ? "the composition" : "composition \"" + composition->preset + "\"";
  return Sourced{g_per_cm3, what + ", volume-weighted mean of its components' densities in data/vehicles.toml"};
}

std::optional<double> read_concentration(TableReader& table, std::string_view key, const Bounds& bounds,
                                         const std::optional<Sourced>& density, std::vector<std::string>* conversions) {
  if (!table.has(key)) return std::nullopt;
  const std::string per_mass = "a mass fraction (" + mass_fraction_units() +
                               ") is converted with the formulation's density: " + "at 1.0 g/mL, 10 % w/w is 100 mg/mL";
  if (table.holds_string(key)) {
    const std::string text = table.text_of(key);
    std::optional<double> fraction;
    try {
      fraction = parse_mass_fraction(text);
    } catch (const QuantityError& error) {
      table.fail(key, error.what());
    }
    if (fraction) {
      if (!density)
        table.fail(
            key, "\"" + text +
                     "\" is a mass fraction; it becomes a concentration per volume with the formulation's density, "
                     "which is not known here: give [vehicle] composition = \"aqueous serum\" (its components' "
                     "densities are "
                     "known) or [vehicle] density = \"1.0 g/mL\" (at 1.0 g/mL, " +
                     text + " is " + concentration_text(*fraction * 1e6) +
                     "), or write the concentration per volume (units: " + valid_units(Dimension::concentration) + ")");
      const double c = *fraction * density->value * 1e6;
      if (!bounds.contains(c))
        table.fail(key, "\"" + text + "\" at the density " + g4(density->value) + " g/mL is " + concentration_text(c) +
                            "; expected a concentration " + bounds.describe());
      if (conversions)
        conversions->push_back(table.key_path(key) + " \"" + text + "\" x density " + g4(density->value) + " g/mL (" +
                               density->source + ") = " + concentration_text(c));
      return c;
    }
    try {
      parse_quantity(text, Dimension::concentration);
    } catch (const QuantityError& error) {
      const std::string unit = unit_part(text);
      const std::string bare = unit == "%"
                                   ? "; a bare % is ambiguous: write \"" + text +
                                         " w/w\" (per mass of formulation) or \"" + text + " w/v\" (g per 100 mL)"
                                   : "";
      table.fail(key, std::string(error.what()) + bare + "; " + per_mass);
    }
  }
  return table.optional_quantity(key, Dimension::concentration, bounds);
}

std::optional<double> read_formulation_per_area(TableReader& table, const std::optional<Sourced>& density,
                                                std::vector<std::string>* conversions) {
  if (!table.has("formulation_per_area")) return std::nullopt;
  const double ug_per_cm2 = *read_number_value(table, declared_key("vehicle", "formulation_per_area"));
  const std::string text = table.text_of("formulation_per_area");
  if (!density)
    table.fail(
        "formulation_per_area",
        "\"" + text +
            "\" of formulation becomes a film volume with the formulation's density, which is not known here: "
            "give [vehicle] composition = \"o/w cream\" (its components' densities are known) or [vehicle] density = "
            "\"1.0 g/mL\" (at 1.0 g/mL, " +
            text + " is " + g4(ug_per_cm2 * 1e-3) + " uL/cm2), or give volume_per_area");
  const double thickness_cm = ug_per_cm2 * 1e-6 / density->value;  // g/cm2 over g/cm3
  const Bounds& film = declared_key("vehicle", "film_thickness").range;
  if (!film.contains(thickness_cm))
    table.fail("formulation_per_area", "\"" + text + "\" at the density " + g4(density->value) + " g/mL is a film of " +
                                           g4(thickness_cm * 1e4) + " um; expected a film " + film.describe());
  if (conversions)
    conversions->push_back(table.key_path("formulation_per_area") + " \"" + text + "\" / density " +
                           g4(density->value) + " g/mL (" + density->source + ") = " + g4(thickness_cm * 1e3) +
                           " uL/cm2 (a film of " + g4(thickness_cm * 1e4) + " um)");
  return thickness_cm;
}

std::optional<VehicleComposition> read_composition(TableReader& vehicle) {
  if (!vehicle.has("composition")) {
    if (vehicle.has("evaporation_rates"))
      vehicle.fail("evaporation_rates",
                   "evaporation rates need a composition = \"aqueous serum\" (or { water = 1.0 })");
    return std::nullopt;
  }
  VehicleComposition composition;
  composition.defined_at = vehicle.file() + ":" + std::to_string(vehicle.line_of("composition"));
  std::vector<std::pair<std::string, double>> fractions;
  if (vehicle.holds_table("composition")) {
    TableReader table = *vehicle.optional_table("composition");
    const KeyDecl& fraction = declared_key("vehicle", "composition");  // its range: each fraction's
    for (const std::string& key : table.keys())
      fractions.emplace_back(key, table.required_number(key, fraction.range, "0.9"));
    if (fractions.empty())
      vehicle.fail("composition", "expected at least one component, e.g. { water = 0.9, glycerol = 0.1 }");
    for (const auto& [name, fraction] : fractions) {
      (void)fraction;
      component_named(table, name, name);
    }
    double sum = 0.0;
    for (const auto& entry : fractions) sum += entry.second;
    if (std::fabs(sum - 1.0) > 1e-6) {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.6g", sum);
      vehicle.fail("composition", std::string("the volume fractions must sum to 1; they sum to ") + buf);
    }
  } else {
    const std::string name = vehicle.required_string("composition", "aqueous serum");
    const VehiclePreset* preset = find_vehicle_preset(name);
    if (!preset)
      vehicle.fail("composition", "unknown vehicle preset \"" + name + "\"; the presets are " + vehicle_preset_names() +
                                      ", or give volume fractions, e.g. { water = 0.9, glycerol = 0.1 }");
    composition.preset = preset->name;
    fractions = preset->composition;
  }
  for (const auto& [name, fraction] : fractions) {
    const VehicleComponent* c = find_vehicle_component(name);
    for (const VehicleComponent& seen : composition.components)
      if (seen.name == c->name) vehicle.fail("composition", "component \"" + c->name + "\" is listed twice");
    composition.components.push_back(*c);
    composition.volume_fractions.push_back(fraction);
  }
  if (std::optional<TableReader> rates = vehicle.optional_table("evaporation_rates")) {
    for (const std::string& key : rates->keys()) {
      const VehicleComponent& named = component_named(*rates, key, key);
      const KeyDecl& declared = declared_key("vehicle", "evaporation_rates");  // its range: each rate's
      const double rate = rates->required_quantity(key, declared.dimension, declared.range);
      bool found = false;
      for (VehicleComponent& c : composition.components)
        if (c.name == named.name) {
          c.given_evaporation_cm_s = rate;
          found = true;
        }
      if (!found) rates->fail(key, "\"" + named.name + "\" is not in the composition");
    }
    rates->reject_unknown_keys();
  }
  return composition;
}

void read_schedule(TableReader& table, ProtocolSpec& protocol, VehicleSpec& vehicle) {
  const double duration = protocol.duration_s;
  FilmEnvironment& env = protocol.environment;
  read_keys(table, bindings_of<FilmEnvironment>(), env);  // occluded, air_speed, relative_humidity
  if (std::optional<double> f = read_number_value(table, declared_key("protocol", "occlusion_sc_factor"))) {
    if (!env.occluded)
      table.fail("occlusion_sc_factor", "a hydration factor applies under occlusion only; set occluded = true");
    protocol.occlusion_sc_diffusivity_factor = Sourced{*f, "config (SC hydration under occlusion)"};
  }

  // Later applications: a regular regimen of [vehicle], or a list with their own doses.
  const bool infinite = vehicle.mode == DoseMode::infinite;
  std::optional<std::vector<TableReader>> listed = table.optional_table_array("application");
  if (table.has("repeat_every")) {
    if (listed)
      table.fail("repeat_every",
                 "give either repeat_every (a regimen of [vehicle]) or [[protocol.application]] tables, not both");
    const KeyDecl& every_key = declared_key("protocol", "repeat_every");
    const KeyDecl& count_key = declared_key("protocol", "applications");
    const double max_applications = count_key.range.upper;
    const double every = table.required_quantity(every_key.name, every_key.dimension, every_key.range);
    const double fit = std::ceil(duration / every - 1e-9);
    if (!table.has("applications") && fit > max_applications)
      table.fail("repeat_every", "every " + table.text_of("repeat_every") + " over the study's " +
                                     table.text_of("duration") + " would be " +
                                     std::to_string(static_cast<long long>(fit)) + " applications, more than " +
                                     std::to_string(static_cast<int>(max_applications)) +
                                     "; give a longer interval or applications = N");
    const double count = read_number_value(table, count_key).value_or(fit);
    if (count != std::floor(count)) table.fail("applications", "expected a whole number of applications");
    if ((count - 1.0) * every >= duration)
      table.fail("applications", "the last of " + table.text_of("applications") + " applications every " +
                                     table.text_of("repeat_every") + " would come after the end of the study");
    for (int k = 1; k < static_cast<int>(count); ++k)
      protocol.applications.push_back({k * every, vehicle.concentration_ug_per_cm3, vehicle.film_thickness_cm});
  } else if (table.has("applications")) {
    table.fail("applications", "a number of applications needs repeat_every = \"12 h\"");
  }
  if (listed) {
    std::vector<ListEntry> times;
    for (TableReader& entry : *listed) {
      ApplicationSpec a;
      const KeyDecl& at = declared_key("protocol.application", "at");
      a.time_s = entry.required_quantity(at.name, at.dimension, at.range,
                                         "the time after the first application, e.g. at = \"12 h\"");
      const std::optional<std::string> film = entry.at_most_one_of("volume_per_area", "formulation_per_area");
      a.film_thickness_cm = !film ? vehicle.film_thickness_cm
                            : *film == "volume_per_area"
                                ? *read_number_value(entry, declared_key("protocol.application", "volume_per_area"))
                                : *read_formulation_per_area(entry, vehicle.density_g_per_cm3, &vehicle.conversions);
      const std::optional<std::string> amount = entry.at_most_one_of("concentration", "dose_per_area");
      const KeyDecl& concentration = declared_key("protocol.application", "concentration");
      const KeyDecl& dose = declared_key("protocol.application", "dose_per_area");
      a.concentration_ug_per_cm3 =
          !amount ? vehicle.concentration_ug_per_cm3
          : *amount == "concentration"
              ? *read_concentration(entry, concentration.name, concentration.range, vehicle.density_g_per_cm3,
                                    &vehicle.conversions)
              : entry.required_quantity(dose.name, dose.dimension, dose.range) / a.film_thickness_cm;
      if (amount && *amount == "dose_per_area" && !concentration.range.contains(a.concentration_ug_per_cm3))
        entry.fail(
            "dose_per_area",
            "this dose in a film of " +
                (entry.has("volume_per_area") ? entry.text_of("volume_per_area") : std::string("[vehicle]'s volume")) +
                " is more active than the density of a solid (2 g/mL); give a thicker film or a smaller dose");
      entry.reject_unknown_keys();
      times.push_back({a.time_s, entry.text_of("at"), entry.line_of("at"), entry.key_path("at")});
      protocol.applications.push_back(a);
    }
    check_times(table, times, duration, "applications");
  }

  // Washes: a list with one efficiency, or the one complete wipe of wipe_at.
  const KeyDecl& wash_at = declared_key("protocol", "wash_at");
  if (std::optional<std::vector<ListEntry>> washes =
          table.optional_quantity_list(wash_at.name, wash_at.dimension, wash_at.range)) {
    if (protocol.wipe_time_s) table.fail("wash_at", "give either wipe_at (one complete wipe) or wash_at, not both");
    const double efficiency = read_number_value(table, declared_key("protocol", "wash_efficiency")).value_or(1.0);
    check_times(table, *washes, duration, "washes");
    for (const ListEntry& w : *washes) protocol.washes.push_back({w.value, efficiency});
  } else if (table.has("wash_efficiency")) {
    table.fail("wash_efficiency", "a wash efficiency needs wash_at = [\"8 h\"]");
  }

  const std::string reservoir =
      "an infinite dose is a reservoir held at its concentration: it is not re-applied "
      "and does not evaporate; use dose = \"finite\"";
  if (infinite && !protocol.applications.empty()) table.fail(listed ? "application" : "repeat_every", reservoir);
  if (infinite && !protocol.washes.empty())
    table.fail("wash_at",
               "an infinite dose is a reservoir held at its concentration: a partial wash has no meaning "
               "for it; wipe_at = \"8 h\" ends it");
}

}  // namespace poreflux::config
