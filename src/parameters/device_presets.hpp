// Microneedle devices and the channels they leave: literature presets and the relations
// that turn device settings into channel geometry, density, closure and channel
// diffusivity (MODEL.md §1, §4, §5; facts in shared/reference/COMPOUNDS.md).
//
// Plain functions and constants, free of the config: the [treatment] reader uses them to
// fill defaults, and anything else (a report, a sweep) can call the same relations. Every
// preset carries the source string that the derived value is reported with.
#pragma once

#include <string_view>

#include "poreflux/study.hpp"

namespace poreflux::parameters {

// A default value and the citation it is reported with.
struct Preset {
  double value;
  std::string_view source;
};

// ---- Channel geometry (Kalluri & Banga 2011, AAPS J 13:473: 770 µm DermaRoller, hairless rat)

// Channel depth / needle length: 152.5 µm deep channels from 770 µm needles. Steel needles
// bury less than half their nominal length (Lam 2008), so the nominal length is no depth.
extern const Preset kPenetrationFraction;
// Channel diameter at the surface, cm (70.7 µm).
extern const Preset kChannelDiameterCm;
// A cone's tip diameter as a fraction of its surface diameter (an estimate, no source).
extern const Preset kTipDiameterFraction;

// ---- Dermaroller MF8 (Schwarz & Laaff 2011): 192 needles in 8 rows, drum 2 cm Ø × 2 cm
extern const Preset kRollerNeedles;
extern const Preset kRollerRows;
extern const Preset kRollerDrumDiameterCm;
extern const Preset kRollerDrumWidthCm;

// ---- Dermapen (2012): 11–12 needles per tip; stamp positions per cm² per pass estimated
extern const Preset kPenNeedles;
extern const Preset kPenStampsPerCm2;

// ---- Channel closure: open fraction exp(-t/tau) (MODEL.md §4)
// Unoccluded 1.5 h: TEWL back to baseline in 4–5 h (≈ 3 tau) in hairless rat (Kalluri &
// Banga 2011); human unoccluded skin recovers in < 2 h (Gupta 2011 J Control Release 154:148).
extern const Preset kClosureTauUnoccludedS;
// Occluded: fitted closure half-life 20–26 h (PMC8259462), tau = 23 h / ln 2 ≈ 33 h.
extern const Preset kClosureTauOccludedS;

// ---- Channel liquid: water at skin surface temperature
inline constexpr double kSkinSurfaceTemperatureK = 305.15;  // 32 °C
inline constexpr double kWaterViscosity32CmPaS = 0.765;     // mPa s at 32 °C

// Number of channels per cm² one roller leaves: every needle punches once per drum turn,
// a turn covers pi·D·W of skin, and passes add up (Dermaroller MF8 defaults: 15.3 per
// pass; 15 passes ≈ 230 /cm², against the ~250 /cm² often quoted).
double roller_density_per_cm2(int needles, double drum_diameter_cm, double drum_width_cm, int passes);
extern const std::string_view kRollerDensitySource;

// Channels per cm² from a stamping pen: needles per stamp × stamps per cm² × passes.
double pen_density_per_cm2(int needles, double stamps_per_cm2, int passes);
extern const std::string_view kPenDensitySource;

// Lattice spacing (centre to nearest centre, cm) for a channel density, and back.
// Square: density = 1/p². Hexagonal: each channel owns a hexagon of area (√3/2) p², so
// density = 2/(√3 p²).
double pitch_cm(double density_per_cm2, Lattice lattice);
double density_per_cm2(double pitch_cm, Lattice lattice);
std::string_view density_from_pitch_source(Lattice lattice);

// The highest density at which channels of this diameter do not touch: pitch = diameter.
double max_density_per_cm2(double channel_diameter_cm, Lattice lattice);

// Closure time constant for the occlusion state (the presets above).
const Preset& closure_tau_s(bool occluded);

// Hydrodynamic radius from the molecular weight (Chen et al. 2015, MODEL.md §5):
// r_s = (0.9087 MW · 3/(4π))^(1/3), in Å for MW in g/mol.
double stokes_radius_angstrom(double mw_g_per_mol);

// Water viscosity, mPa s, from the Vogel equation 2.414e-2 · 10^(247.8 K / (T − 140 K))
// (within ~1 % of tabulated values from 0 to 100 °C).
double water_viscosity_mPa_s(double temperature_K);

// Stokes–Einstein D = k_B T / (6 π η r_s), cm²/s, with r_s from stokes_radius_angstrom.
double stokes_einstein_diffusivity_cm2_s(double mw_g_per_mol, double temperature_K, double viscosity_mPa_s);
// The same in water at that temperature (water_viscosity_mPa_s).
double stokes_einstein_diffusivity_cm2_s(double mw_g_per_mol, double temperature_K);

// The channel default: Stokes–Einstein at 32 °C in water of 0.765 mPa s (≈ 8.7e-6 cm²/s
// for ascorbic acid, MW 176.12), and how it is reported.
double channel_diffusivity_cm2_s(double mw_g_per_mol);
extern const std::string_view kChannelDiffusivitySource;

}  // namespace poreflux::parameters
