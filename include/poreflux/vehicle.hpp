// What a formulation is made of (MODEL.md §3, docs/VEHICLES.md): its components with the
// properties that decide how fast each evaporates and how strongly the mixture holds the
// active, and the built-in presets (data/vehicles.toml, compiled in). Plain data, and the
// [protocol] config keys of the film's environment (FilmEnvironment::keys()).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "poreflux/key_decl.hpp"

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

  // Their config keys, in [protocol] (poreflux/key_decl.hpp); the defaults are the initialisers.
  static const KeyFields<FilmEnvironment>& keys() {
    static const KeyFields<FilmEnvironment> fields = [] {
      const char* defaults = "FilmEnvironment, include/poreflux/vehicle.hpp";
      return KeyFields<FilmEnvironment>{
          key_field(KeyDecl("protocol", "occluded")
                        .flag()
                        .defaults_to("", defaults)
                        .lands("ProtocolSpec::environment.occluded")
                        .doc_line("the site is covered for the whole study: no evaporation, the occluded closure "
                                  "preset of [treatment] channels, and any `occlusion_sc_factor`"),
                    &FilmEnvironment::occluded),
          key_field(KeyDecl("protocol", "air_speed")
                        .quantity(Dimension::speed,
                                  Bounds::plausible(0.0, 2000.0, "between 0 and 20 m/s",
                                                    "20 m/s is a gale; still indoor air is 0.165 m/s, a fume hood "
                                                    "0.72 m/s"))
                        .defaults_to("", "still indoor air (Gajjar, Miller & Kasting 2013)")
                        .lands("ProtocolSpec::environment.air_speed_cm_s")
                        .doc_line("air speed over the skin, for evaporation"),
                    &FilmEnvironment::air_speed_cm_s),
          key_field(KeyDecl("protocol", "relative_humidity")
                        .number(Bounds::closed(0.0, 1.0).because("a fraction of saturation"), "0.5")
                        .defaults_to("", defaults)
                        .lands("ProtocolSpec::environment.relative_humidity")
                        .doc_line("of the room air at 22 °C, for water's back-pressure"),
                    &FilmEnvironment::relative_humidity),
      };
    }();
    return fields;
  }
};

// The built-in components and presets; lookups fold case, spaces, hyphens and underscores.
const std::vector<VehicleComponent>& vehicle_components();
const std::vector<VehiclePreset>& vehicle_presets();
const VehicleComponent* find_vehicle_component(const std::string& name);
const VehiclePreset* find_vehicle_preset(const std::string& name);
std::string vehicle_component_names();  // "water, ethanol, ..." for messages
std::string vehicle_preset_names();

}  // namespace poreflux
