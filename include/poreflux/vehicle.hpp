// What a formulation is made of (MODEL.md §3, docs/VEHICLES.md): its components with the
// properties that decide how fast each evaporates and how strongly the mixture holds the
// active, and the built-in presets (data/vehicles.toml, compiled in). Plain data.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace poreflux {

enum class VehiclePhase {
  aqueous,    // water
  cosolvent,  // water-miscible (ethanol, propylene glycol, glycerol, acetone): in the aqueous phase
  oil,        // a separate lipophilic phase (triglyceride, ester)
  silicone,   // a separate silicone phase (cyclopentasiloxane, dimethicone)
};

struct VehicleComponent {
  std::string name;
  std::vector<std::string> aliases;
  VehiclePhase phase = VehiclePhase::aqueous;
  double molar_mass_g_per_mol = 0.0;
  double density_g_per_cm3 = 0.0;
  double vapour_pressure_pa = 0.0;     // at 32 °C (skin surface); 0: non-volatile
  double air_diffusivity_cm2_s = 0.0;  // in air, for the Schmidt number
  double cosolvency_slope = 0.0;       // cosolvent: sigma = slope log Kow + intercept
  double cosolvency_intercept = 0.0;
  double collander_slope = 1.0;  // oil/silicone: log K_phase/w = slope log Kow + intercept
  double collander_intercept = 0.0;
  // A given evaporation rate of the pure component (its film's thinning rate) [cm/s]; when
  // set it replaces the mass-transfer relation. Scaled by the mole fraction in a mixture.
  std::optional<double> given_evaporation_cm_s;
  std::string source;
  std::string defined_at;  // "file:line"
};

struct VehiclePreset {
  std::string name, description;
  std::vector<std::pair<std::string, double>> composition;  // component name, volume fraction
  std::string defined_at;
};

// A formulation's composition: components and their volume fractions (sum 1).
struct VehicleComposition {
  std::string preset;  // the preset it came from ("" = given in the config)
  std::vector<VehicleComponent> components;
  std::vector<double> volume_fractions;
  std::string defined_at;  // "file:line" of the composition key
};

// Where the film sits: evaporation depends on the air above it.
struct FilmEnvironment {
  bool occluded = false;           // covered: nothing evaporates
  double air_speed_cm_s = 16.5;    // 0.165 m/s, still indoor air (Gajjar, Miller & Kasting 2013)
  double relative_humidity = 0.5;  // of the room air at 22 °C, for water's back-pressure
};

// The built-in components and presets; lookups fold case, spaces, hyphens and underscores.
const std::vector<VehicleComponent>& vehicle_components();
const std::vector<VehiclePreset>& vehicle_presets();
const VehicleComponent* find_vehicle_component(const std::string& name);
const VehiclePreset* find_vehicle_preset(const std::string& name);
std::string vehicle_component_names();  // "water, ethanol, ..." for messages
std::string vehicle_preset_names();

}  // namespace poreflux
