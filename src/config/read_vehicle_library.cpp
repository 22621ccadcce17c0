// The vehicle components and presets (data/vehicles.toml, compiled in), read with the same
// TableReader rules as a study: file:line:key errors, unknown keys refused.
#include <cmath>

#include "config/data_file.hpp"
#include "config/embedded_data.hpp"
#include "key_registry.hpp"
#include "poreflux/config.hpp"
#include "poreflux/vehicle.hpp"
#include "read_sections.hpp"
#include "table_reader.hpp"

namespace poreflux {
namespace {

constexpr const char* kBuiltinVehicles = "data/vehicles.toml (built in)";

VehicleComponent read_component(config::TableReader& table) {
  using config::Bounds;
  VehicleComponent c;
  c.name = table.required_string("name", "water");
  table.set_subject(c.name);
  c.aliases = table.optional_string_list("aliases").value_or(std::vector<std::string>{});
  const std::string phase = table.choice("phase", {"aqueous", "cosolvent", "oil", "silicone"}, "cosolvent");
  c.phase = phase == "aqueous"    ? VehiclePhase::aqueous
            : phase == "oil"      ? VehiclePhase::oil
            : phase == "silicone" ? VehiclePhase::silicone
                                  : VehiclePhase::cosolvent;
  c.molar_mass_g_per_mol = table.required_quantity("molar_mass", Dimension::molar_mass, Bounds::positive());
  c.density_g_per_cm3 = table.required_quantity("density", Dimension::concentration, Bounds::positive()) * 1e-6;
  c.vapour_pressure_pa = table.required_quantity("vapour_pressure", Dimension::pressure, Bounds::non_negative());
  c.air_diffusivity_cm2_s = table.required_quantity("air_diffusivity", Dimension::diffusivity, Bounds::positive());
  if (std::optional<config::TableReader> cos = table.optional_table("cosolvency")) {
    c.cosolvency_slope = cos->required_number("slope", Bounds::any(), "0.93");
    c.cosolvency_intercept = cos->required_number("intercept", Bounds::any(), "0.40");
    cos->reject_unknown_keys();
  }
  if (std::optional<config::TableReader> col = table.optional_table("collander")) {
    c.collander_slope = col->required_number("slope", Bounds::any(), "1.0");
    c.collander_intercept = col->required_number("intercept", Bounds::any(), "0.0");
    col->reject_unknown_keys();
  }
  c.source = table.required_string("source", "a citation");
  c.defined_at = table.file() + ":" + std::to_string(table.line());
  table.reject_unknown_keys();
  return c;
}

struct VehicleData {
  std::vector<VehicleComponent> components;
  std::vector<VehiclePreset> presets;
};

VehicleData read_vehicle_data(std::string_view text, const std::string& source_name) {
  const toml::table document = config::parse_document(text, source_name);
  config::TableReader root(document, source_name, "", "at the top level");
  const std::string schema = root.required_string("schema", "poreflux-vehicles/1");
  if (schema != "poreflux-vehicles/1")
    root.fail("schema", "expected schema = \"poreflux-vehicles/1\"; got \"" + schema + "\"");
  VehicleData data;
  for (config::TableReader& table : root.required_table_array("component", "each [[component]] needs name, phase, ..."))
    data.components.push_back(read_component(table));
  for (config::TableReader& table : root.required_table_array("preset", "each [[preset]] needs name and composition")) {
    VehiclePreset preset;
    preset.name = table.required_string("name", "aqueous serum");
    preset.description = table.required_string("description", "water-based serum");
    preset.defined_at = table.file() + ":" + std::to_string(table.line());
    config::TableReader composition = table.required_table("composition", "volume fractions, e.g. { water = 1.0 }");
    double sum = 0.0;
    // A preset's fractions are what a [vehicle] composition table holds: the same range.
    const config::Bounds& fraction = config::declared_key("vehicle", "composition").range;
    for (const std::string& key : composition.keys()) {
      bool known = false;
      for (const VehicleComponent& c : data.components) known = known || config::fold(c.name) == config::fold(key);
      if (!known) composition.fail(key, "no component of this name is defined in this file");
      preset.composition.emplace_back(key, composition.required_number(key, fraction, "0.5"));
      sum += preset.composition.back().second;
    }
    if (std::fabs(sum - 1.0) > 1e-9) table.fail("composition", "the volume fractions must sum to 1");
    table.reject_unknown_keys();
    data.presets.push_back(preset);
  }
  root.reject_unknown_keys();
  return data;
}

const VehicleData& builtin() {
  static const VehicleData data = read_vehicle_data(config::builtin_vehicles_toml(), kBuiltinVehicles);
  return data;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + ("\"" + n + "\"");
  return list;
}

}  // namespace

const std::vector<VehicleComponent>& vehicle_components() { return builtin().components; }
const std::vector<VehiclePreset>& vehicle_presets() { return builtin().presets; }

const VehicleComponent* find_vehicle_component(const std::string& name) {
  const std::string wanted = config::fold(name);
  for (const VehicleComponent& c : vehicle_components()) {
    if (config::fold(c.name) == wanted) return &c;
    for (const std::string& alias : c.aliases)
      if (config::fold(alias) == wanted) return &c;
  }
  return nullptr;
}

const VehiclePreset* find_vehicle_preset(const std::string& name) {
  for (const VehiclePreset& p : vehicle_presets())
    if (config::fold(p.name) == config::fold(name)) return &p;
  return nullptr;
}

std::string vehicle_component_names() {
  std::vector<std::string> names;
  for (const VehicleComponent& c : vehicle_components()) names.push_back(c.name);
  return join_names(names);
}

std::string vehicle_preset_names() {
  std::vector<std::string> names;
  for (const VehiclePreset& p : vehicle_presets()) names.push_back(p.name);
  return join_names(names);
}

}  // namespace poreflux
