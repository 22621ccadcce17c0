#include "resolved_toml.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <sstream>

#include "poreflux/units.hpp"

namespace poreflux::config {
namespace {

std::string quantity(double internal_value, Dimension dimension) {
  return format_quantity(internal_value, dimension);
}

toml::table compound_table(const CompoundSpec& compound) {
  toml::table table{{"name", compound.name}};
  if (compound.molecular_weight_g_per_mol) {
    table.insert_or_assign("molecular_weight",
                           quantity(*compound.molecular_weight_g_per_mol, Dimension::molar_mass));
  }
  if (compound.log_kow) table.insert_or_assign("log_kow", *compound.log_kow);
  if (compound.pka) table.insert_or_assign("pka", *compound.pka);
  return table;
}

toml::table vehicle_table(const VehicleSpec& vehicle) {
  return toml::table{
      {"dose", vehicle.mode == DoseMode::infinite ? "infinite" : "finite"},
      {"concentration", quantity(vehicle.concentration_ug_per_cm3, Dimension::concentration)},
      {"film_thickness", quantity(vehicle.film_thickness_cm, Dimension::length)},
      {"degradation_rate", quantity(vehicle.degradation_per_s, Dimension::rate)},
      {"ph", vehicle.ph},
  };
}

toml::table layer_table(const LayerSpec& layer, BottomBoundary bottom) {
  toml::table table{
      {"name", layer.name},
      {"thickness", quantity(layer.thickness_cm, Dimension::length)},
      {"max_cell", quantity(layer.max_cell_cm, Dimension::length)},
      {"degradation_rate", quantity(layer.degradation_per_s, Dimension::rate)},
  };
  if (layer.diffusivity_cm2_s) {
    table.insert_or_assign("diffusivity",
                           quantity(layer.diffusivity_cm2_s->value, Dimension::diffusivity));
  }
  if (layer.partition) table.insert_or_assign("partition", layer.partition->value);
  // The loader refuses clearance_rate with an in-vitro sink, so only write it when allowed.
  if (bottom == BottomBoundary::clearance) {
    table.insert_or_assign("clearance_rate", quantity(layer.clearance_per_s, Dimension::rate));
  }
  return table;
}

toml::table protocol_table(const ProtocolSpec& protocol) {
  toml::array times;
  for (double t : protocol.output_times_s) times.push_back(quantity(t, Dimension::time));
  toml::table table{
      {"duration", quantity(protocol.duration_s, Dimension::time)},
      {"output_times", std::move(times)},
  };
  if (protocol.wipe_time_s) {
    table.insert_or_assign("wipe_at", quantity(*protocol.wipe_time_s, Dimension::time));
  }
  return table;
}

toml::table numerics_table(const NumericsSpec& numerics) {
  return toml::table{
      {"rtol", numerics.rtol},
      {"atol", numerics.atol_fraction},
      {"initial_step", quantity(numerics.initial_step_s, Dimension::time)},
      {"backend", numerics.backend},
  };
}

// toml++ writes floats with 17 digits (partition = 0.69999999999999996) unless asked for
// "relaxed" precision, which may round. Use the readable form only when it reads back to
// exactly the same document, so the record stays exact.
std::string exact_toml(const toml::table& document) {
  std::ostringstream relaxed;
  relaxed << toml::toml_formatter(
      document, toml::toml_formatter::default_flags | toml::format_flags::relaxed_float_precision);
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
      {"compound", compound_table(study.compound)},
      {"vehicle", vehicle_table(study.vehicle)},
      {"layer", std::move(layers)},
      {"boundary",
       toml::table{
           {"bottom", study.bottom == BottomBoundary::clearance ? "in_vivo" : "in_vitro"},
           {"lateral", study.lateral == LateralBoundary::periodic ? "periodic" : "mirror"},
       }},
      {"protocol", protocol_table(study.protocol)},
      {"numerics", numerics_table(study.numerics)},
      {"output", toml::table{{"file", study.output.path}}},
  };

  std::string source = study.source_file;
  std::replace(source.begin(), source.end(), '\n', ' ');  // keep the comment on one line
  return "# Resolved by poreflux from " + source +
         ": defaults filled in, quantities in internal units (cm, s, ug).\n" +
         exact_toml(document) + "\n";
}

}  // namespace poreflux::config
