#include "film_composition.hpp"

#include <cmath>

namespace poreflux::vehicle {
namespace {

constexpr double kGasConstant = 8.314462618;  // J/(mol K)

bool aqueous_phase(VehiclePhase p) { return p == VehiclePhase::aqueous || p == VehiclePhase::cosolvent; }
bool same_phase(VehiclePhase a, VehiclePhase b) { return aqueous_phase(a) ? aqueous_phase(b) : a == b; }

}  // namespace

double mass_transfer_cm_s(const VehicleComponent& c, const FilmEnvironment& env) {
  const double u = env.air_speed_cm_s / 100.0;  // m/s
  const double schmidt = kAirKinematicViscosityCm2S / c.air_diffusivity_cm2_s;
  // In still air (u -> 0) the relation vanishes; diffusion across a 2.5 cm still-air layer keeps
  // a floor (~0.1 cm/s for water, as Mackay & van Wesenbeeck 2014 find for quiescent pools).
  const double k =
      0.0048 * std::pow(u, 7.0 / 9.0) * std::pow(kApplicationDiameterM, -1.0 / 9.0) * std::pow(schmidt, -2.0 / 3.0);
  return std::max(100.0 * k, c.air_diffusivity_cm2_s / kStillAirLayerCm);
}

bool is_volatile(const VehicleComponent& c) {
  return c.given_evaporation_cm_s ? *c.given_evaporation_cm_s > 0.0 : c.vapour_pressure_pa >= kVolatileVapourPressurePa;
}

std::vector<double> evaporation_rates(const std::vector<VehicleComponent>& components,
                                      const std::vector<double>& thickness_cm, const FilmEnvironment& env) {
  const std::size_t n = components.size();
  std::vector<double> rate(n, 0.0);
  if (env.occluded) return rate;
  std::vector<double> moles(n);
  for (std::size_t i = 0; i < n; ++i)
    moles[i] = std::max(thickness_cm[i], 0.0) * components[i].density_g_per_cm3 / components[i].molar_mass_g_per_mol;
  for (std::size_t i = 0; i < n; ++i) {
    const VehicleComponent& c = components[i];
    double phase_moles = 0.0;
    for (std::size_t j = 0; j < n; ++j)
      if (same_phase(c.phase, components[j].phase)) phase_moles += moles[j];
    const double x = phase_moles > 0.0 ? moles[i] / phase_moles : 0.0;  // Raoult: ideal within its phase
    if (c.given_evaporation_cm_s) {
      rate[i] = -*c.given_evaporation_cm_s * x;
      continue;
    }
    const double back_pressure = c.phase == VehiclePhase::aqueous ? env.relative_humidity * kRoomWaterPressurePa : 0.0;
    const double partial = x * c.vapour_pressure_pa - back_pressure;
    // Water condenses into a residue only while some aqueous phase is there to take it.
    if (partial < 0.0 && phase_moles <= 0.0) continue;
    // Flux [g/cm²/s] = k [cm/s] M [g/mol] p [Pa] / (R T) [J/mol] x 1e-6 cm³/m³.
    const double flux =
        mass_transfer_cm_s(c, env) * c.molar_mass_g_per_mol * partial / (kGasConstant * kSkinTemperatureK) * 1e-6;
    rate[i] = -flux / c.density_g_per_cm3;
    if (thickness_cm[i] <= 0.0 && rate[i] < 0.0) rate[i] = 0.0;
  }
  return rate;
}

double water_equivalent_capacity_cm(const std::vector<VehicleComponent>& components,
                                    const std::vector<double>& thickness_cm, double log_kow,
                                    double fraction_non_ionised) {
  double aqueous = 0.0, sigma_volume = 0.0, separate = 0.0;
  for (std::size_t i = 0; i < components.size(); ++i) {
    const VehicleComponent& c = components[i];
    const double v = std::max(thickness_cm[i], 0.0);
    if (aqueous_phase(c.phase)) {
      aqueous += v;
      if (c.phase == VehiclePhase::cosolvent)
        sigma_volume += v * (c.cosolvency_slope * log_kow + c.cosolvency_intercept);
    } else {
      separate += v * fraction_non_ionised * std::pow(10.0, c.collander_slope * log_kow + c.collander_intercept);
    }
  }
  const double k_aqueous = aqueous > 0.0 ? std::pow(10.0, sigma_volume / aqueous) : 0.0;
  return aqueous * k_aqueous + separate;
}

double vehicle_water_partition(const VehicleComposition& composition, double log_kow, double fraction_non_ionised) {
  return water_equivalent_capacity_cm(composition.components, composition.volume_fractions, log_kow,
                                      fraction_non_ionised);
}

}  // namespace poreflux::vehicle
