#include "device_presets.hpp"

#include <cmath>

namespace poreflux::parameters {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kBoltzmannJPerK = 1.380649e-23;  // exact (SI 2019)
constexpr double kAngstromM = 1e-10;
constexpr double kM2ToCm2 = 1e4;

}  // namespace

const Preset kPenetrationFraction{
    152.5 / 770.0,
    "default 152.5/770: 770 um DermaRoller -> 152.5 um deep channels, hairless rat (Kalluri & "
    "Banga 2011 AAPS J 13:473); steel needles bury < 50 % of nominal length (Lam 2008)"};
const Preset kChannelDiameterCm{70.7e-4,
                                "default 70.7 um: 770 um DermaRoller channels, hairless rat (Kalluri & Banga 2011)"};
const Preset kTipDiameterFraction{0.2, "default 0.2 x channel_diameter (est.)"};

const Preset kRollerNeedles{192, "Dermaroller MF8: 192 needles (Schwarz & Laaff 2011)"};
const Preset kRollerRows{8, "Dermaroller MF8: 8 rows (Schwarz & Laaff 2011)"};
const Preset kRollerDrumDiameterCm{2.0, "Dermaroller MF8: drum 2 cm (Schwarz & Laaff 2011)"};
const Preset kRollerDrumWidthCm{2.0, "Dermaroller MF8: drum width 2 cm (Schwarz & Laaff 2011)"};

const Preset kPenNeedles{12, "Dermapen: 11-12 needles per tip"};
const Preset kPenStampsPerCm2{9, "9 stamps per cm2 per pass (est.)"};

const Preset kClosureTauUnoccludedS{
    1.5 * 3600.0,
    "unoccluded default 1.5 h: TEWL back to baseline in 4-5 h, ~3 tau (hairless rat, Kalluri & "
    "Banga 2011); human unoccluded < 2 h (Gupta 2011 J Control Release 154:148)"};
const Preset kClosureTauOccludedS{
    23.0 * 3600.0 / std::log(2.0),
    "occluded default: tau = 23 h / ln 2, closure half-life 20-26 h occluded (PMC8259462)"};

const std::string_view kRollerDensitySource = "roller: passes*needles/(pi*D*W), Schwarz & Laaff 2011";
const std::string_view kPenDensitySource = "pen: passes*needles*stamps_per_cm2 (Dermapen)";
const std::string_view kChannelDiffusivitySource =
    "Stokes-Einstein in water at 32 C (0.765 mPa s), r_s = (0.9087 MW 3/(4 pi))^(1/3) A "
    "(Chen et al. 2015), MW from [compound]";

double roller_density_per_cm2(int needles, double drum_diameter_cm, double drum_width_cm, int passes) {
  // One drum turn rolls over pi*D*W of skin and every needle enters it once.
  return static_cast<double>(passes) * static_cast<double>(needles) / (kPi * drum_diameter_cm * drum_width_cm);
}

double pen_density_per_cm2(int needles, double stamps_per_cm2, int passes) {
  return static_cast<double>(passes) * static_cast<double>(needles) * stamps_per_cm2;
}

double pitch_cm(double density_per_cm2, Lattice lattice) {
  return lattice == Lattice::hexagonal ? std::sqrt(2.0 / (std::sqrt(3.0) * density_per_cm2))
                                       : 1.0 / std::sqrt(density_per_cm2);
}

double density_per_cm2(double pitch_cm, Lattice lattice) {
  return lattice == Lattice::hexagonal ? 2.0 / (std::sqrt(3.0) * pitch_cm * pitch_cm) : 1.0 / (pitch_cm * pitch_cm);
}

std::string_view density_from_pitch_source(Lattice lattice) {
  return lattice == Lattice::hexagonal ? "pitch, hexagonal lattice: 2/(sqrt(3) pitch^2)"
                                       : "pitch, square lattice: 1/pitch^2";
}

double max_density_per_cm2(double channel_diameter_cm, Lattice lattice) {
  return density_per_cm2(channel_diameter_cm, lattice);
}

const Preset& closure_tau_s(bool occluded) { return occluded ? kClosureTauOccludedS : kClosureTauUnoccludedS; }

double stokes_radius_angstrom(double mw_g_per_mol) { return std::cbrt(0.9087 * mw_g_per_mol * 3.0 / (4.0 * kPi)); }

double water_viscosity_mPa_s(double temperature_K) {
  return 2.414e-2 * std::pow(10.0, 247.8 / (temperature_K - 140.0));
}

double stokes_einstein_diffusivity_cm2_s(double mw_g_per_mol, double temperature_K, double viscosity_mPa_s) {
  const double radius_m = stokes_radius_angstrom(mw_g_per_mol) * kAngstromM;
  const double viscosity_Pa_s = viscosity_mPa_s * 1e-3;
  return kBoltzmannJPerK * temperature_K / (6.0 * kPi * viscosity_Pa_s * radius_m) * kM2ToCm2;
}

double stokes_einstein_diffusivity_cm2_s(double mw_g_per_mol, double temperature_K) {
  return stokes_einstein_diffusivity_cm2_s(mw_g_per_mol, temperature_K, water_viscosity_mPa_s(temperature_K));
}

double channel_diffusivity_cm2_s(double mw_g_per_mol) {
  return stokes_einstein_diffusivity_cm2_s(mw_g_per_mol, kSkinSurfaceTemperatureK, kWaterViscosity32CmPaS);
}

}  // namespace poreflux::parameters
