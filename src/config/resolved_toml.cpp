#include "resolved_toml.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <sstream>
#include <utility>

#include "poreflux/units.hpp"
#include "section_keys.hpp"

namespace poreflux::config {
namespace {

std::string quantity(double internal_value, Dimension dimension) { return format_quantity(internal_value, dimension); }

// The compound as resolved, every value with its source, so the record stands on its own.
toml::table compound_table(const CompoundSpec& compound, const ParameterModel& model) {
  toml::table table;
  write_keys(compound_model_bindings(), model, table);
  write_keys(compound_bindings(), compound, table);
  return table;
}

toml::table vehicle_table(const VehicleSpec& vehicle) {
  toml::table table;
  write_keys(bindings_of<VehicleSpec>(), vehicle, table);
  // The amounts are per volume already; a density the config gave is kept as a record (in g/cm3
  // in the VehicleSpec, written as the concentration it is).
  if (vehicle.density_g_per_cm3 && vehicle.density_g_per_cm3->source == "config")
    table.insert_or_assign("density", quantity(vehicle.density_g_per_cm3->value * 1e6, Dimension::concentration));
  if (vehicle.composition) {
    // The fractions themselves (a preset is written out), so the file stands on its own.
    toml::table fractions, rates;
    for (std::size_t i = 0; i < vehicle.composition->components.size(); ++i) {
      const VehicleComponent& c = vehicle.composition->components[i];
      fractions.insert_or_assign(c.name, vehicle.composition->volume_fractions[i]);
      if (c.given_evaporation_cm_s)
        rates.insert_or_assign(c.name, quantity(*c.given_evaporation_cm_s, Dimension::evaporation_rate));
    }
    table.insert_or_assign("composition", std::move(fractions));
    if (!rates.empty()) table.insert_or_assign("evaporation_rates", std::move(rates));
  }
  return table;
}

toml::table layer_table(const LayerSpec& layer, BottomBoundary bottom) {
  toml::table table{
      {"name", layer.name},
      {"role", layer.role},
      {"thickness", quantity(layer.thickness_cm, Dimension::length)},
      {"max_cell", quantity(layer.max_cell_cm, Dimension::length)},
      {"degradation_rate", quantity(layer.degradation_per_s, Dimension::rate)},
  };
  if (layer.diffusivity_cm2_s) {
    table.insert_or_assign("diffusivity", quantity(layer.diffusivity_cm2_s->value, Dimension::diffusivity));
  }
  if (layer.partition) table.insert_or_assign("partition", layer.partition->value);
  // The loader refuses clearance_rate with an in-vitro sink, so only write it when allowed.
  if (bottom == BottomBoundary::clearance && layer.clearance_per_s) {
    table.insert_or_assign("clearance_rate", quantity(layer.clearance_per_s->value, Dimension::rate));
  }
  return table;
}

// The plain keys as declared (the duration, a wipe, the air, occlusion); then the schedule as
// resolved: every output time, each application and wash, whatever keys the config gave them by.
toml::table protocol_table(const ProtocolSpec& protocol) {
  toml::table table;
  write_keys(bindings_of<ProtocolSpec>(), protocol, table);
  write_keys(bindings_of<FilmEnvironment>(), protocol.environment, table);
  toml::array times;
  for (double t : protocol.output_times_s) times.push_back(quantity(t, Dimension::time));
  table.insert_or_assign("output_times", std::move(times));
  const FilmEnvironment& env = protocol.environment;
  if (env.occluded && protocol.occlusion_sc_diffusivity_factor.value != 1.0)
    table.insert_or_assign("occlusion_sc_factor", protocol.occlusion_sc_diffusivity_factor.value);
  if (!protocol.washes.empty()) {
    toml::array times;
    for (const WashSpec& w : protocol.washes) times.push_back(quantity(w.time_s, Dimension::time));
    table.insert_or_assign("wash_at", std::move(times));
    table.insert_or_assign("wash_efficiency", protocol.washes.front().efficiency);
  }
  if (!protocol.applications.empty()) {
    toml::array applications;
    for (const ApplicationSpec& a : protocol.applications)
      applications.push_back(
          toml::table{{"at", quantity(a.time_s, Dimension::time)},
                      {"concentration", quantity(a.concentration_ug_per_cm3, Dimension::concentration)},
                      {"volume_per_area", quantity(a.film_thickness_cm, Dimension::volume_per_area)}});
    table.insert_or_assign("application", std::move(applications));
  }
  return table;
}

// The sections read by the generic path are written by it: each key as its declaration says.
template <class Spec>
toml::table keys_table(const std::vector<BoundKey<Spec>>& keys, const Spec& spec) {
  toml::table table;
  write_keys(keys, spec, table);
  return table;
}

const char* pattern_name(PatternKind pattern) {
  switch (pattern) {
    case PatternKind::roller:
      return "roller";
    case PatternKind::pen:
      return "pen";
    case PatternKind::lattice:
      break;
  }
  return "lattice";
}

// Derived values are written as if given, so the record reads back to the same numbers; their
// sources go into the comment written by treatment_sources. The depth is written as a length,
// not as a penetration fraction: a fraction such as 152.5/770 has no short decimal form, and
// one long float would cost the whole record its readable float precision (exact_toml).
// The plain keys are written as declared (TreatmentSpec::keys()); the keys of one device or of a
// patch only when they apply.
toml::table treatment_table(const TreatmentSpec& treatment) {
  toml::table table{
      {"device", treatment.device},
      {"channel_depth", quantity(treatment.channel_depth_cm.value, Dimension::length)},
      {"channel_diameter", quantity(treatment.channel_diameter_cm.value, Dimension::length)},
      {"density", quantity(treatment.density_per_cm2.value, Dimension::areal_density)},
      {"closure_time_constant", std::isinf(treatment.closure_tau_s.value)
                                    ? std::string("never")
                                    : quantity(treatment.closure_tau_s.value, Dimension::time)},
  };
  write_keys(bindings_of<TreatmentSpec>(), treatment, table);
  if (!treatment.repeat_at_s.empty()) {
    toml::array times;
    for (double t : treatment.repeat_at_s) times.push_back(quantity(t, Dimension::time));
    table.insert_or_assign("repeat_at", std::move(times));
  }

  if (treatment.needle_length_cm) {
    table.insert_or_assign("needle_length", quantity(*treatment.needle_length_cm, Dimension::length));
  }
  if (treatment.shape == ChannelShape::cone) {
    table.insert_or_assign("tip_diameter", quantity(treatment.tip_diameter_cm, Dimension::length));
  }
  if (treatment.device == "dermaroller") {
    table.insert_or_assign("needles", treatment.roller_needles);
    table.insert_or_assign("rows", treatment.roller_rows);
    table.insert_or_assign("drum_diameter", quantity(treatment.drum_diameter_cm, Dimension::length));
    table.insert_or_assign("drum_width", quantity(treatment.drum_width_cm, Dimension::length));
  } else if (treatment.device == "pen") {
    table.insert_or_assign("needles", treatment.pen_needles);
    table.insert_or_assign("stamps_per_cm2", treatment.pen_stamps_per_cm2);
  }
  if (treatment.device == "dermaroller" || treatment.device == "pen") {
    table.insert_or_assign("passes", treatment.passes);
  }
  if (treatment.domain == DomainKind::patch) {
    table.insert_or_assign("patch_width", quantity(treatment.patch_width_cm, Dimension::length));
    table.insert_or_assign("patch_length", quantity(treatment.patch_length_cm, Dimension::length));
    table.insert_or_assign("pattern", pattern_name(treatment.pattern));
    table.insert_or_assign("seed", static_cast<std::int64_t>(treatment.seed));
  }
  return table;
}

// "# treatment.density: roller: passes*needles/(pi*D*W), ..." for every derived value.
std::string treatment_sources(const TreatmentSpec& treatment) {
  const std::pair<const char*, const Sourced*> values[] = {
      {"penetration_fraction", &treatment.penetration_fraction},
      {"channel_depth", &treatment.channel_depth_cm},
      {"channel_diameter", &treatment.channel_diameter_cm},
      {"density", &treatment.density_per_cm2},
      {"closure_time_constant", &treatment.closure_tau_s},
      {"channel_diffusivity", &*treatment.channel_diffusivity_cm2_s},
  };
  std::string text;
  for (const auto& [key, value] : values) {
    if (value->source == "config") continue;
    std::string source = value->source;
    std::replace(source.begin(), source.end(), '\n', ' ');
    text += "# treatment." + std::string(key) + ": " + source + "\n";
  }
  return text.empty() ? text : "# Where the derived [treatment] values come from:\n" + text;
}

// toml++ writes floats with 17 digits (partition = 0.69999999999999996) unless asked for
// "relaxed" precision, which may round. Use the readable form only when it reads back to
// exactly the same document, so the record stays exact.
std::string exact_toml(const toml::table& document) {
  std::ostringstream relaxed;
  relaxed << toml::toml_formatter(document,
                                  toml::toml_formatter::default_flags | toml::format_flags::relaxed_float_precision);
  try {
    if (toml::parse(std::string_view(relaxed.str())) == document) return relaxed.str();
  } catch (const toml::parse_error&) {
  }
  std::ostringstream precise;
  precise << document;
  return precise.str();
}

}  // namespace

std::string render_resolved_toml(const Study& study) {
  toml::array layers;
  for (const LayerSpec& layer : study.layers) layers.push_back(layer_table(layer, study.bottom));

  toml::table document{
      {"title", study.title},
      {"compound", compound_table(study.compound, study.parameter_model)},
      {"vehicle", vehicle_table(study.vehicle)},
      {"skin", keys_table(bindings_of<ParameterModel>(), study.parameter_model)},
      {"layer", std::move(layers)},
      {"boundary", keys_table(bindings_of<BoundarySpec>(), BoundarySpec{study.bottom, study.lateral})},
      {"protocol", protocol_table(study.protocol)},
      {"numerics", keys_table(bindings_of<NumericsSpec>(), study.numerics)},
      {"output", keys_table(bindings_of<OutputSpec>(), study.output)},
  };
  if (study.treatment) document.insert_or_assign("treatment", treatment_table(*study.treatment));
  // A study without an active's properties (every D and K given) records no [compound]: its
  // default name is not a library entry and would not read back.
  if (!study.compound.molecular_weight_g_per_mol && !study.compound.log_kow && study.compound.name == "unnamed") {
    document.erase("compound");
  }

  std::string source = study.source_file;
  std::replace(source.begin(), source.end(), '\n', ' ');  // keep the comment on one line
  return "# Resolved by poreflux from " + source + ": defaults filled in, quantities in internal units (cm, s, ug).\n" +
         exact_toml(document) + "\n" + (study.treatment ? treatment_sources(*study.treatment) : std::string());
}

}  // namespace poreflux::config
