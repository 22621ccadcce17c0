// The physics of a formulation film's composition (MODEL.md §3, docs/VEHICLES.md): how fast
// each component evaporates, and how strongly the mixture holds the active. Per skin area: a
// composition is the thickness of each component's liquid [cm] (its volume per area).
#pragma once

#include <vector>

#include "poreflux/vehicle.hpp"

namespace poreflux::vehicle {

constexpr double kSkinTemperatureK = 305.15;     // 32 °C skin surface
constexpr double kRoomWaterPressurePa = 2642.0;  // saturated water vapour at 22 °C room air
constexpr double kApplicationDiameterM = 0.05;   // the dosed area's size in the mass-transfer relation
constexpr double kAirKinematicViscosityCm2S = 0.16;
constexpr double kStillAirLayerCm = 2.5;  // the floor of the mass transfer in still air
// Below this vapour pressure a component counts as non-volatile for "dryness" (glycerol,
// esters and oils; they still evaporate at their own, negligible rate).
constexpr double kVolatileVapourPressurePa = 1.0;

// Gas-side mass-transfer coefficient [cm/s] of component c over the film (Mackay & Matsugu
// 1973, as in Kawamura & Mackay 1987): k = 0.0048 u^(7/9) d^(-1/9) Sc^(-2/3) m/s.
double mass_transfer_cm_s(const VehicleComponent& c, const FilmEnvironment& env);

// d(thickness)/dt of each component [cm/s] (<= 0 while it evaporates; water may condense into a
// hygroscopic residue when its partial pressure is below the room's). Raoult's law within each
// phase (aqueous with cosolvents; oil; silicone). Occluded: all zero.
std::vector<double> evaporation_rates(const std::vector<VehicleComponent>& components,
                                      const std::vector<double>& thickness_cm, const FilmEnvironment& env);

// Whether a component leaves the film on the time scale of a study (see kVolatileVapourPressurePa).
bool is_volatile(const VehicleComponent& c);

// The active's capacity of the film per area, sum over phases of V_phase K_phase/w [cm]:
// the aqueous phase by the log-linear cosolvency model, log10 K_aq/w = sum_c f_c (s log Kow + t)
// with f_c the cosolvent's fraction of the aqueous phase (Yalkowsky; Millard et al. 2002);
// oil and silicone phases by a Collander relation on the non-ionised fraction,
// K = f_non 10^(a log Kow + b). Divided by the total volume it is the vehicle/water partition.
double water_equivalent_capacity_cm(const std::vector<VehicleComponent>& components,
                                    const std::vector<double>& thickness_cm, double log_kow,
                                    double fraction_non_ionised);

// The vehicle/water partition of a composition given as fractions (the applied vehicle).
double vehicle_water_partition(const VehicleComposition& composition, double log_kow, double fraction_non_ionised);

}  // namespace poreflux::vehicle
