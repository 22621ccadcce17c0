#include "read_sections.hpp"
#include "read_formulation.hpp"
#include "section_keys.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "poreflux/config.hpp"
#include "read_compound.hpp"

namespace poreflux::config {
namespace {

// Output times this close to the duration (relative) are the duration: an interval such as
// "0.1 h" does not land on "24 h" exactly in floating point.
constexpr double kSameTimeTolerance = 1e-9;

// First-order loss given either as a rate or as a half-life, never both; the ranges are those
// the keys of `section` ("vehicle", "layer") are declared with.
double read_degradation(TableReader& table, const std::string& section) {
  const std::optional<std::string> given = table.at_most_one_of("degradation_rate", "degradation_half_life");
  if (!given) return 0.0;
  const double value = *read_number_value(table, declared_key(section, *given));
  return *given == "degradation_rate" ? value : std::log(2.0) / value;
}

void require_not_too_many(TableReader& table, std::string_view key, double count) {
  if (count > static_cast<double>(kMaxOutputTimes)) {
    char count_text[32];
    std::snprintf(count_text, sizeof count_text, "%.3g", count);
    table.fail(key, std::string("this gives ") + count_text + " output times; at most " +
                        std::to_string(kMaxOutputTimes) + " are allowed (check the unit)");
  }
}

double snap_to_duration(double t, double duration) {
  return std::abs(t - duration) <= kSameTimeTolerance * duration ? duration : t;
}

std::vector<double> times_every(TableReader& table, double interval, double duration) {
  const double count = std::floor(duration / interval * (1.0 + kSameTimeTolerance));
  require_not_too_many(table, "output_interval", count);
  std::vector<double> times;
  for (std::size_t k = 1; k <= static_cast<std::size_t>(count); ++k) {
    const double t = snap_to_duration(static_cast<double>(k) * interval, duration);
    if (t >= duration) break;  // the duration itself is appended below, exactly
    times.push_back(t);
  }
  times.push_back(duration);
  return times;
}

// 1, 2, 3, 5 and 7.5 min, x 10, x 100, ...: about five per decade from one minute, each before
// `before` (the first regular output) and the duration.
std::vector<double> early_times(double before, double duration) {
  std::vector<double> times;
  for (double decade = 60.0; decade < before && decade < duration; decade *= 10.0)
    for (double step : {1.0, 2.0, 3.0, 5.0, 7.5}) {
      const double t = step * decade;
      if (t < before * (1.0 - kSameTimeTolerance) && t < duration) times.push_back(t);
    }
  return times;
}

std::vector<double> times_listed(TableReader& table, const std::vector<ListEntry>& entries, double duration) {
  require_not_too_many(table, "output_times", static_cast<double>(entries.size()));
  std::vector<double> times;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ListEntry& entry = entries[i];
    const double t = snap_to_duration(entry.value, duration);
    if (t > duration) {
      table.fail_entry(entry, "output times must not exceed the duration \"" + table.text_of("duration") +
                                  "\"; got \"" + entry.text + "\"");
    }
    if (i > 0 && t <= times.back()) {
      table.fail_entry(entry, "output times must be strictly increasing; \"" + entry.text +
                                  "\" does not come after \"" + entries[i - 1].text + "\"");
    }
    times.push_back(t);
  }
  if (times.back() < duration) times.push_back(duration);  // the final state is always written
  return times;
}

}  // namespace

CompoundSpec read_compound(TableReader& root, ParameterModel& model) {
  std::optional<TableReader> table = root.optional_table("compound");
  if (!table) return CompoundSpec{};
  read_key(*table, compound_model_bindings(), "relations", model);
  for (const std::string& file : table->optional_string_list("library").value_or(std::vector<std::string>{})) {
    model.library_files.push_back(relative_to_config(table->file(), file));
  }
  CompoundSpec given = read_compound_record(*table, false);
  table->reject_unknown_keys();

  const CompoundLibrary library = CompoundLibrary::load(model.library_files);
  const CompoundSpec* entry = table->has("name") ? library.find(given.name) : nullptr;
  if (!entry) {
    // Defined inline; the resolve step says what is missing if a derivation needs more.
    if (given.molecular_weight_g_per_mol || given.log_kow) return given;
    if (!table->has("name")) return given;  // no active named: every D and K must be given
    std::string message = "unknown compound \"" + given.name + "\": it is not in the library (";
    for (std::size_t i = 0; i < library.sources().size(); ++i) message += (i ? ", " : "") + library.sources()[i];
    message += ")";
    const std::vector<std::string> near = library.nearest(given.name);
    if (!near.empty()) {
      message += "; did you mean ";
      for (std::size_t i = 0; i < near.size(); ++i) message += (i ? ", \"" : "\"") + near[i] + "\"";
      message += "?";
    }
    message +=
        " List the library with `poreflux compounds`, or define the compound here with "
        "molecular_weight, log_kow and pka = [...] (docs/PARAMETERS.md)";
    table->fail("name", message);
  }
  // The library record, with whatever the config says instead.
  CompoundSpec compound = *entry;
  if (given.molecular_weight_g_per_mol) compound.molecular_weight_g_per_mol = given.molecular_weight_g_per_mol;
  if (given.log_kow) compound.log_kow = given.log_kow;
  if (given.pka) compound.pka = given.pka;
  if (given.water_solubility_ug_per_cm3) compound.water_solubility_ug_per_cm3 = given.water_solubility_ug_per_cm3;
  if (given.melting_point_C) compound.melting_point_C = given.melting_point_C;
  if (given.vapour_pressure_pa) compound.vapour_pressure_pa = given.vapour_pressure_pa;
  return compound;
}

const std::vector<std::string>& calibration_target_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> all;
    for (const std::string& role : layer_role_names())
      for (const char* what : {"diffusivity", "partition"}) all.push_back(role + "." + what);
    all.push_back("dermis.clearance");
    return all;
  }();
  return names;
}

bool calibration_target_known(const std::string& target) {
  const auto& names = calibration_target_names();
  return std::find(names.begin(), names.end(), target) != names.end();
}

std::string calibration_targets_text() {
  std::string text;
  for (const std::string& name : calibration_target_names()) text += (text.empty() ? "\"" : ", \"") + name + "\"";
  return text;
}

std::string relative_to_config(const std::string& config_file, const std::string& path) {
  const std::filesystem::path p(path);
  if (p.is_absolute()) return path;
  return (std::filesystem::path(config_file).parent_path() / p).lexically_normal().string();
}

const SkinSite* read_skin(TableReader& root, ParameterModel& model) {
  std::optional<TableReader> table = root.optional_table("skin");
  if (!table) return nullptr;
  read_keys(*table, bindings_of<ParameterModel>(), model);
  if (!table->has("site")) {  // [skin] may set the hydration alone, with the layers given as [[layer]]
    table->reject_unknown_keys();
    return nullptr;
  }
  const std::string name = table->required_string("site", "forearm");
  const SkinSite* site = find_skin_site(name);
  if (!site) {
    std::string valid;
    for (const SkinSite& s : skin_sites()) valid += (valid.empty() ? "\"" : ", \"") + s.name + "\"";
    table->fail("site", "unknown skin site \"" + name + "\"; valid: " + valid +
                            " (data/sites.toml; or give the layers as [[layer]] tables)");
  }
  table->reject_unknown_keys();
  model.site = site->name;
  model.site_description = site->description;
  return site;
}

std::vector<CalibrationFactor> read_calibration(TableReader& root, const std::string& extra_file,
                                                const StudyResolver& resolve) {
  std::vector<CalibrationFactor> factors;
  std::optional<TableReader> table = root.optional_table("calibration");
  std::vector<std::string> files;
  if (table) {
    if (std::optional<std::string> from = table->optional_string("from"))
      files.push_back(relative_to_config(table->file(), *from));
    for (TableReader& entry : table->optional_table_array("factors").value_or(std::vector<TableReader>{})) {
      CalibrationFactor factor;
      factor.target = entry.required_string("target", "stratum_corneum.diffusivity");
      if (!calibration_target_known(factor.target)) {
        entry.fail("target",
                   "unknown calibration target \"" + factor.target + "\"; valid: " + calibration_targets_text());
      }
      const KeyDecl& value = declared_key("calibration.factors", "value");
      factor.factor = entry.required_number("value", value.range, value.example);
      factor.source = entry.optional_string("source").value_or(table->file() + ":" + std::to_string(entry.line()));
      entry.reject_unknown_keys();
      factors.push_back(factor);
    }
    table->reject_unknown_keys();
  }
  if (!extra_file.empty()) files.push_back(extra_file);
  // Calibration files are studies and may name calibration files in turn: the chain being read
  // is kept so that a file naming itself (or an earlier one) is refused, not followed forever.
  static thread_local std::vector<std::string> chain;
  std::error_code ignored;
  const std::string self = std::filesystem::weakly_canonical(root.file(), ignored).string();
  for (const std::string& file : files) {
    const std::string canonical = std::filesystem::weakly_canonical(file, ignored).string();
    if (canonical == self || std::find(chain.begin(), chain.end(), canonical) != chain.end())
      throw ConfigError(table ? table->file() : root.file(), table ? table->line_of("from") : 0, "calibration.from",
                        "calibration file '" + file +
                            "' leads back to a study already being read (a cycle); name the "
                            "study that `poreflux calibrate -o` wrote, which holds the factors");
    chain.push_back(self);
    struct PopChain {
      ~PopChain() { chain.pop_back(); }
    } pop;
    const Study calibrated = read_study_file(file, "", resolve);
    if (calibrated.calibration.empty()) {
      throw ConfigError(file, 0, "calibration",
                        "this file holds no [calibration] factors; give the study that `poreflux calibrate -o` wrote");
    }
    factors.insert(factors.end(), calibrated.calibration.begin(), calibrated.calibration.end());
  }
  return factors;
}

VehicleSpec read_vehicle(TableReader& root) {
  TableReader table = root.required_table("vehicle",
                                          "it says what is applied, e.g. concentration = \"150 mg/mL\" and "
                                          "volume_per_area = \"2 uL/cm2\"");
  VehicleSpec vehicle;
  const std::vector<BoundKey<VehicleSpec>>& keys = bindings_of<VehicleSpec>();
  read_key(table, keys, "dose", vehicle);

  // The keys are asked for in this order first, so that "valid keys" lists them as users meet them.
  const std::optional<std::string> classic_film = table.at_most_one_of("volume_per_area", "film_thickness");
  const std::optional<std::string> given_amount = table.at_most_one_of("concentration", "dose_per_area");
  if (classic_film && table.has("formulation_per_area")) table.at_most_one_of(*classic_film, "formulation_per_area");
  if (!classic_film && !table.has("formulation_per_area"))
    table.exactly_one_of("volume_per_area", "film_thickness",
                         "the applied film, e.g. volume_per_area = \"2 uL/cm2\" or film_thickness = \"20 um\" (or "
                         "formulation_per_area = \"2 mg/cm2\", mg of formulation per cm2, with the vehicle's density)");
  const std::string amount_key = given_amount
                                     ? *given_amount
                                     : table.exactly_one_of("concentration", "dose_per_area",
                                                            "how much active, e.g. concentration = \"150 mg/mL\" or "
                                                            "\"10 % w/w\", or dose_per_area = \"300 ug/cm2\"");
  const std::string film_key = classic_film.value_or("formulation_per_area");
  // What converts amounts per mass of formulation into amounts per volume.
  vehicle.composition = read_composition(table);
  vehicle.density_g_per_cm3 = read_density(table, vehicle.composition);
  if (film_key == "formulation_per_area")
    vehicle.film_thickness_cm = *read_formulation_per_area(table, vehicle.density_g_per_cm3, &vehicle.conversions);
  else read_key(table, keys, film_key, vehicle);  // given: exactly one of the pair

  const Bounds& concentration = declared_key("vehicle", "concentration").range;
  vehicle.concentration_ug_per_cm3 =
      amount_key == "concentration"
          ? *read_concentration(table, amount_key, concentration, vehicle.density_g_per_cm3, &vehicle.conversions)
          : *read_number_value(table, declared_key("vehicle", amount_key)) / vehicle.film_thickness_cm;
  if (!concentration.contains(vehicle.concentration_ug_per_cm3)) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g g/mL", vehicle.concentration_ug_per_cm3 / 1e6);
    table.fail(amount_key,
               "this dose in a film of " + table.text_of(film_key) + " is " + buf +
                   " of active: more than the density of a solid (2 g/mL); give a thicker film or a smaller dose");
  }

  vehicle.degradation_per_s = read_degradation(table, "vehicle");
  for (const char* key : {"ph", "water_partition", "solubility"}) read_key(table, keys, key, vehicle);
  if (vehicle.composition && vehicle.mode == DoseMode::infinite)
    table.fail("composition",
               "an infinite dose is a reservoir held at its concentration: it does not evaporate; "
               "remove the composition or use dose = \"finite\"");
  if (vehicle.composition && table.has("water_partition"))
    table.fail("water_partition",
               "with a composition the vehicle/water partition follows from it (docs/VEHICLES.md); "
               "remove water_partition, or the composition");
  for (const char* key : {"supersaturation_limit", "deposit", "deposit_transfer_coefficient"})
    read_key(table, keys, key, vehicle);
  if (table.has("deposit_transfer_coefficient") && vehicle.deposit != "dissolution")
    table.fail("deposit_transfer_coefficient",
               "only the \"dissolution\" deposit model has a transfer coefficient; add "
               "deposit = \"dissolution\" or remove this key");
  for (const char* key : {"deposit_contact", "deposit_particle_size"}) read_key(table, keys, key, vehicle);
  if (table.has("deposit_particle_size") && vehicle.deposit_contact != "particles")
    table.fail("deposit_particle_size",
               "only a particulate deposit has a particle size; add deposit_contact = \"particles\" "
               "or remove this key");
  read_remaining_keys(table, keys, vehicle);  // plain keys no rule above needed first
  table.reject_unknown_keys();
  return vehicle;
}

BoundarySpec read_boundary(TableReader& root, const SkinSite* site) {
  BoundarySpec boundary;
  if (site) boundary.bottom = site->in_vivo ? BottomBoundary::clearance : BottomBoundary::sink;
  std::optional<TableReader> table = root.optional_table("boundary");
  if (!table) return boundary;
  read_keys(*table, bindings_of<BoundarySpec>(), boundary);  // the bottom's default is the site's, set above
  table->reject_unknown_keys();
  return boundary;
}

namespace {

std::vector<LayerSpec> layers_of_site(const SkinSite& site, const std::string& file, int line) {
  std::vector<LayerSpec> layers;
  for (const SiteLayer& preset : site.layers) {
    LayerSpec layer;
    layer.name = preset.name;
    layer.role = preset.role;
    layer.thickness_cm = preset.thickness_cm.value;
    layer.thickness_source = "site " + site.name + ": " + preset.thickness_cm.source;
    layer.max_cell_cm = std::max(layer.thickness_cm / 20.0, declared_key("layer", "max_cell").range.lower);
    layer.config_line = file + ":" + std::to_string(line);
    layers.push_back(layer);
  }
  return layers;
}

int role_index(const std::string& role) {
  const auto& roles = layer_role_names();
  return static_cast<int>(std::find(roles.begin(), roles.end(), role) - roles.begin());
}

}  // namespace

std::vector<LayerSpec> read_layers(TableReader& root, BottomBoundary bottom, const SkinSite* site) {
  std::vector<LayerSpec> layers;
  std::map<std::string, std::size_t> index_by_name;
  constexpr std::string_view kWhatALayerNeeds =
      "give one per skin layer, top (stratum corneum) first, each with name and thickness, or "
      "name a skin site in [skin] site = \"forearm\" to take its layers";
  if (site && !root.has("layer")) return layers_of_site(*site, root.file(), root.line());
  std::vector<TableReader> tables = root.required_table_array("layer", kWhatALayerNeeds);
  int previous_role = -1;
  for (TableReader& table : tables) {
    LayerSpec layer;
    layer.name = table.required_string("name", "stratum_corneum");
    if (layer.name.empty()) {
      table.fail("name", "expected a non-empty name such as \"stratum_corneum\"");
    }
    if (const auto seen = index_by_name.find(layer.name); seen != index_by_name.end()) {
      table.fail("name", "layer names must be unique; \"" + layer.name + "\" is already the name of [[layer]] #" +
                             std::to_string(seen->second + 1) + " (" + layers[seen->second].config_line + ")");
    }
    index_by_name.emplace(layer.name, layers.size());
    table.set_subject(layer.name);
    layer.config_line = table.file() + ":" + std::to_string(table.line());

    // The role says which compartment the layer reports to; a name that is a role is its own.
    const bool name_is_role = role_index(layer.name) < 3;
    layer.role =
        table.choice("role", {"stratum_corneum", "viable_epidermis", "dermis"}, name_is_role ? layer.name : "");
    if (layer.role.empty()) {
      table.fail("role", "required key is missing for a layer named \"" + layer.name +
                             "\": give role = \"stratum_corneum\", \"viable_epidermis\" or "
                             "\"dermis\" (the compartment it reports to)");
    }
    const int role = role_index(layer.role);
    if (role < previous_role) {
      table.fail(table.has("role") ? "role" : "name",
                 "layers go top to bottom: stratum_corneum, viable_epidermis, dermis; a " + layer.role +
                     " layer cannot come below a " + layer_role_names()[previous_role] + " layer");
    }
    previous_role = role;

    const SiteLayer* preset = nullptr;
    if (site) {
      for (const SiteLayer& candidate : site->layers)
        if (candidate.name == layer.name || (!preset && candidate.role == layer.role)) preset = &candidate;
    }
    if (preset && !table.has("thickness")) {
      layer.thickness_cm = preset->thickness_cm.value;
      layer.thickness_source = "site " + site->name + ": " + preset->thickness_cm.source;
    } else {
      layer.thickness_cm = table.required_quantity(
          "thickness", Dimension::length, declared_key("layer", "thickness").range,
          site ? "the site has no layer of this role" : "or name a skin site in [skin] site = \"...\"");
    }
    if (auto d = read_number_value(table, declared_key("layer", "diffusivity"))) {
      layer.diffusivity_cm2_s = Sourced{*d, "config"};
    }
    if (auto k = read_number_value(table, declared_key("layer", "partition"))) {
      layer.partition = Sourced{*k, "config"};
    }
    const KeyDecl& max_cell = declared_key("layer", "max_cell");
    layer.max_cell_cm =
        read_number_value(table, max_cell).value_or(std::max(layer.thickness_cm / 20.0, max_cell.range.lower));
    layer.degradation_per_s = read_degradation(table, "layer");

    if (table.has("clearance_rate") && bottom != BottomBoundary::clearance) {
      table.fail("clearance_rate",
                 "clearance_rate is only allowed with [boundary] bottom = \"in_vivo\" (in vitro "
                 "the receptor sink removes what crosses the skin); remove it or set bottom = "
                 "\"in_vivo\"");
    }
    if (auto rate = read_number_value(table, declared_key("layer", "clearance_rate"))) {
      layer.clearance_per_s = Sourced{*rate, "config"};
    }
    table.reject_unknown_keys();
    layers.push_back(std::move(layer));
  }
  return layers;
}

ProtocolSpec read_protocol(TableReader& root, VehicleSpec& vehicle) {
  TableReader table = root.required_table("protocol", "it needs at least duration = \"24 h\"");
  ProtocolSpec protocol;
  const KeyDecl& duration_key = declared_key("protocol", "duration");
  protocol.duration_s = table.required_quantity(duration_key.name, duration_key.dimension, duration_key.range);
  const double duration = protocol.duration_s;

  const std::optional<std::string> schedule = table.at_most_one_of("output_interval", "output_times");
  if (schedule && *schedule == "output_times") {
    const KeyDecl& listed = declared_key("protocol", "output_times");
    protocol.output_times_s =
        times_listed(table, *table.optional_quantity_list(listed.name, listed.dimension, listed.range), duration);
  } else if (schedule) {
    const double interval = *read_number_value(table, declared_key("protocol", "output_interval"));
    protocol.output_times_s = times_every(table, interval, duration);
  } else {
    // Neither given: every duration / 24, and before the first of those, times spaced
    // logarithmically from 1 min, so that the first hour (the film drying, the deposit, the peak
    // of a treated flux) is resolved in the tables, plots and reports without asking.
    const double interval = duration / 24.0;
    protocol.output_times_s = early_times(interval, duration);
    for (double t : times_every(table, interval, duration)) protocol.output_times_s.push_back(t);
  }

  read_key(table, bindings_of<ProtocolSpec>(), "wipe_at", protocol);
  if (protocol.wipe_time_s && *protocol.wipe_time_s >= duration) {
    table.fail("wipe_at",
               "the wipe must come before the end of the study: expected a time > 0 "
               "and < the duration \"" +
                   table.text_of("duration") + "\"; got \"" + table.text_of("wipe_at") + "\"");
  }
  read_schedule(table, protocol, vehicle);
  read_remaining_keys(table, bindings_of<ProtocolSpec>(), protocol);  // plain keys no rule above needed first
  table.reject_unknown_keys();
  return protocol;
}

NumericsSpec read_numerics(TableReader& root) {
  NumericsSpec numerics;
  std::optional<TableReader> table = root.optional_table("numerics");
  if (!table) return numerics;
  read_keys(*table, bindings_of<NumericsSpec>(), numerics);
  table->reject_unknown_keys();
  return numerics;
}

OutputSpec read_output(TableReader& root) {
  OutputSpec output;
  std::optional<TableReader> table = root.optional_table("output");
  if (!table) return output;
  read_keys(*table, bindings_of<OutputSpec>(), output);
  table->reject_unknown_keys();
  return output;
}

}  // namespace poreflux::config
