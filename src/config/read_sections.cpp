#include "read_sections.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <string>

namespace poreflux::config {
namespace {

// Output times this close to the duration (relative) are the duration: an interval such as
// "0.1 h" does not land on "24 h" exactly in floating point.
constexpr double kSameTimeTolerance = 1e-9;

// First-order loss given either as a rate or as a half-life, never both.
double read_degradation(TableReader& table) {
  const std::optional<std::string> given =
      table.at_most_one_of("degradation_rate", "degradation_half_life");
  if (!given) return 0.0;
  if (*given == "degradation_rate") {
    return *table.optional_quantity("degradation_rate", Dimension::rate, Bounds::non_negative());
  }
  const double half_life =
      *table.optional_quantity("degradation_half_life", Dimension::time, Bounds::positive());
  return std::log(2.0) / half_life;
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

std::vector<double> times_listed(TableReader& table, const std::vector<ListEntry>& entries,
                                 double duration) {
  require_not_too_many(table, "output_times", static_cast<double>(entries.size()));
  std::vector<double> times;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const ListEntry& entry = entries[i];
    const double t = snap_to_duration(entry.value, duration);
    if (t > duration) {
      table.fail_entry(entry, "output times must not exceed the duration \"" +
                                  table.text_of("duration") + "\"; got \"" + entry.text + "\"");
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

CompoundSpec read_compound(TableReader& root) {
  CompoundSpec compound;
  std::optional<TableReader> table = root.optional_table("compound");
  if (!table) return compound;
  compound.name = table->optional_string("name").value_or(compound.name);
  compound.molecular_weight_g_per_mol =
      table->optional_quantity("molecular_weight", Dimension::molar_mass, Bounds::positive());
  compound.log_kow = table->optional_number("log_kow", Bounds::any(), "-1.85");
  compound.pka = table->optional_number("pka", Bounds::any(), "4.1");
  table->reject_unknown_keys();
  return compound;
}

VehicleSpec read_vehicle(TableReader& root) {
  TableReader table =
      root.required_table("vehicle",
                          "it says what is applied, e.g. concentration = \"150 mg/mL\" and "
                          "volume_per_area = \"2 uL/cm2\"");
  VehicleSpec vehicle;
  vehicle.mode = table.choice("dose", {"finite", "infinite"}, "finite") == "infinite"
                     ? DoseMode::infinite
                     : DoseMode::finite;

  const std::string film_key = table.exactly_one_of(
      "volume_per_area", "film_thickness",
      "the applied film, e.g. volume_per_area = \"2 uL/cm2\" or film_thickness = \"20 um\"");
  vehicle.film_thickness_cm =
      film_key == "volume_per_area"
          ? table.required_quantity(film_key, Dimension::volume_per_area, Bounds::positive())
          : table.required_quantity(film_key, Dimension::length, Bounds::positive());

  const std::string amount_key = table.exactly_one_of(
      "concentration", "dose_per_area",
      "how much active, e.g. concentration = \"150 mg/mL\" or dose_per_area = \"300 ug/cm2\"");
  vehicle.concentration_ug_per_cm3 =
      amount_key == "concentration"
          ? table.required_quantity(amount_key, Dimension::concentration, Bounds::positive())
          : table.required_quantity(amount_key, Dimension::dose_per_area, Bounds::positive()) /
                vehicle.film_thickness_cm;

  vehicle.degradation_per_s = read_degradation(table);
  vehicle.ph = table.optional_number("ph", Bounds::closed(0.0, 14.0), "5.5").value_or(vehicle.ph);
  table.reject_unknown_keys();
  return vehicle;
}

BoundarySpec read_boundary(TableReader& root) {
  BoundarySpec boundary;
  std::optional<TableReader> table = root.optional_table("boundary");
  if (!table) return boundary;
  boundary.bottom = table->choice("bottom", {"in_vitro", "in_vivo"}, "in_vitro") == "in_vivo"
                        ? BottomBoundary::clearance
                        : BottomBoundary::sink;
  boundary.lateral = table->choice("lateral", {"mirror", "periodic"}, "mirror") == "periodic"
                         ? LateralBoundary::periodic
                         : LateralBoundary::mirror;
  table->reject_unknown_keys();
  return boundary;
}

std::vector<LayerSpec> read_layers(TableReader& root, BottomBoundary bottom) {
  std::vector<LayerSpec> layers;
  std::map<std::string, std::size_t> index_by_name;
  constexpr std::string_view kWhatALayerNeeds =
      "give one per skin layer, top (stratum corneum) first, each with name, thickness, "
      "diffusivity and partition";
  std::vector<TableReader> tables = root.required_table_array("layer", kWhatALayerNeeds);
  for (TableReader& table : tables) {
    LayerSpec layer;
    layer.name = table.required_string("name", "stratum_corneum");
    if (layer.name.empty()) {
      table.fail("name", "expected a non-empty name such as \"stratum_corneum\"");
    }
    if (const auto seen = index_by_name.find(layer.name); seen != index_by_name.end()) {
      table.fail("name", "layer names must be unique; \"" + layer.name +
                             "\" is already the name of [[layer]] #" +
                             std::to_string(seen->second + 1) + " (" +
                             layers[seen->second].config_line + ")");
    }
    index_by_name.emplace(layer.name, layers.size());
    table.set_subject(layer.name);
    layer.config_line = table.file() + ":" + std::to_string(table.line());

    layer.thickness_cm =
        table.required_quantity("thickness", Dimension::length, Bounds::positive());
    constexpr std::string_view kNotDerivedYet =
        "deriving it from [compound] (molecular_weight, log_kow) is planned but not yet "
        "available, so give it for every layer";
    layer.diffusivity_cm2_s = Sourced{table.required_quantity("diffusivity", Dimension::diffusivity,
                                                              Bounds::positive(), kNotDerivedYet),
                                      "config"};
    layer.partition = Sourced{
        table.required_number("partition", Bounds::positive(), "1.2", kNotDerivedYet), "config"};
    layer.max_cell_cm = table.optional_quantity("max_cell", Dimension::length, Bounds::positive())
                            .value_or(layer.thickness_cm / 20.0);
    layer.degradation_per_s = read_degradation(table);

    if (table.has("clearance_rate") && bottom != BottomBoundary::clearance) {
      table.fail("clearance_rate",
                 "clearance_rate is only allowed with [boundary] bottom = \"in_vivo\" (in vitro "
                 "the receptor sink removes what crosses the skin); remove it or set bottom = "
                 "\"in_vivo\"");
    }
    layer.clearance_per_s =
        table.optional_quantity("clearance_rate", Dimension::rate, Bounds::non_negative())
            .value_or(0.0);
    table.reject_unknown_keys();
    layers.push_back(std::move(layer));
  }
  return layers;
}

ProtocolSpec read_protocol(TableReader& root) {
  TableReader table = root.required_table("protocol", "it needs at least duration = \"24 h\"");
  ProtocolSpec protocol;
  protocol.duration_s = table.required_quantity("duration", Dimension::time, Bounds::positive());
  const double duration = protocol.duration_s;

  const std::optional<std::string> schedule =
      table.at_most_one_of("output_interval", "output_times");
  if (schedule && *schedule == "output_times") {
    protocol.output_times_s = times_listed(
        table, *table.optional_quantity_list("output_times", Dimension::time, Bounds::positive()),
        duration);
  } else {
    const double interval =
        table.optional_quantity("output_interval", Dimension::time, Bounds::positive())
            .value_or(duration / 24.0);
    protocol.output_times_s = times_every(table, interval, duration);
  }

  protocol.wipe_time_s = table.optional_quantity("wipe_at", Dimension::time, Bounds::positive());
  if (protocol.wipe_time_s && *protocol.wipe_time_s >= duration) {
    table.fail("wipe_at",
               "the wipe must come before the end of the study: expected a time > 0 "
               "and < the duration \"" +
                   table.text_of("duration") + "\"; got \"" + table.text_of("wipe_at") + "\"");
  }
  table.reject_unknown_keys();
  return protocol;
}

NumericsSpec read_numerics(TableReader& root) {
  NumericsSpec numerics;
  std::optional<TableReader> table = root.optional_table("numerics");
  if (!table) return numerics;
  numerics.rtol =
      table->optional_number("rtol", Bounds::open(0.0, 0.1), "1e-5").value_or(numerics.rtol);
  numerics.atol_fraction =
      table->optional_number("atol", Bounds::positive(), "1e-9").value_or(numerics.atol_fraction);
  numerics.initial_step_s =
      table->optional_quantity("initial_step", Dimension::time, Bounds::positive())
          .value_or(numerics.initial_step_s);
  numerics.backend = table->choice("backend", {"auto", "cpu", "cuda"}, numerics.backend);
  table->reject_unknown_keys();
  return numerics;
}

OutputSpec read_output(TableReader& root) {
  OutputSpec output;
  std::optional<TableReader> table = root.optional_table("output");
  if (!table) return output;
  output.path = table->optional_string("file").value_or("");
  table->reject_unknown_keys();
  return output;
}

}  // namespace poreflux::config
