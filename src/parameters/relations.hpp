// The quantitative structure-permeation relations of MODEL.md §5, one function each, with
// the published coefficients. Inputs: molecular weight MW [g/mol], log10 Kow of the neutral
// form, non-ionised fractions. Outputs in the engine's units (cm, s) unless the name says
// otherwise. Sources and domains: docs/PARAMETERS.md.
#pragma once

#include <string>

namespace poreflux::parameters {

// Potts & Guy 1992 (Pharm Res 9:663): log10 kp[cm/s] = -6.3 + 0.71 log Kow - 0.0061 MW.
// Returned in cm/h (intercept -2.744 in cm/h). Calibrated for log Kow -3..6, MW 18..750.
double potts_guy_kp_cm_h(double mw, double log_kow);

// Robinson model polar (aqueous pore) pathway, as used by Wilschut et al. 1995 (Chemosphere
// 30:1275): kp_pol = 1.519e-4 / sqrt(MW) cm/h. Open to neutral and ionised species alike.
double polar_pathway_kp_cm_h(double mw);

// Kasting/CDC fully hydrated SC/water partition (Nitsche, Wang & Kasting 2006, J Pharm Sci
// 95:649; the CDC/NIOSH finite-dose calculator): 0.014 Kow^0.81 + 0.782 + 1.381 Kow^0.27
// = lipid + water + protein domains. An ion sees only the water domain (Kow -> 0): 0.782.
double kasting_sc_water_partition(double log_kow);
double kasting_sc_water_partition_of_ion();

// Kasting/CDC brick-and-mortar SC, fully hydrated (Wang, Kasting & Nitsche 2006/2007; Dancik,
// Miller & Kasting 2013 Adv Drug Deliv Rev 65:221), in its analytic form
// P_sc = P^ K_lip D_lip / h_sc with P^ = 1 / (0.9685 sigma + 182700 / R), h_sc = 43.4 um
// hydrated, K_lip = 0.43 Kow^0.81, D_lip = 1.24e-7 (100/MW)^2.43 + 2.34e-9 cm2/s,
// log10 k_trans = -0.725 - 0.792 MW^(1/3), corneocyte hindrance with lambda = a_s / 35 A,
// a_s = 0.145 Va^0.6 A and D_aq = 1.92e-4 / Va^0.6 cm2/s. The molar volume Va is estimated
// as 0.9087 MW cm3/mol (no atom-group volumes are in the library). Returns cm/h.
double kasting_sc_kp_cm_h(double mw, double log_kow);

// The Wang-Kasting-Nitsche SC in its two hydration states (MODEL.md §3), as the CDC/NIOSH
// finite-dose calculator and the OSP skin model carry them (Dancik et al. 2013; constants read
// in the OSP Skin-permeation-model MoBi file, a secondary source, docs/PARAMETERS.md):
//   full:    h_sc 43.4 um, water:protein 2.75 g/g, fibre volume fraction 0.1928, l_x 31.319 um,
//            P^ = 7.611e-4 + 1/(0.9685 sigma + 1.827e5/R)
//   partial: h_sc 13.4 um, water:protein 0.43 g/g, fibre volume fraction 0.6044, l_x 30.266 um,
//            D_lip / 3, k_trans / 3, P^ = 2.935e-4 + 1/(0.8979 sigma + 5.536e5/R)
// K_sc/w full 0.0136 Kow^0.81 + 0.782 + 1.381 Kow^0.27, partial 0.040 Kow^0.81 + 0.359 +
// 4.057 Kow^0.27 (per volume of SC in that state).
enum class ScHydration { full, partial };
double kasting_sc_thickness_cm(ScHydration state);
double kasting_sc_water_partition(double log_kow, ScHydration state);
double kasting_sc_water_partition_of_ion(ScHydration state);
// P_sc [cm/h] of the analytic model (R > 100 branch) in either state, with the constant A.
double kasting_sc_permeability_cm_h(double mw, double log_kow, ScHydration state);
// The same in the hydrophilic limit (sigma -> 0, transbilayer-limited): the ratio of the two
// states carries the polar pathway's dependence on hydration. Returns P / K_lip [cm/h].
double kasting_sc_hydrophilic_limit_cm_h(double mw, ScHydration state);

// Chen et al. 2015 / Surrey lipid radius, used for the lipid diffusivity and shown to users.
double solute_radius_angstrom(double mw);

// Kretsos et al. 2008 (Int J Pharm 346:64) / Chen et al. 2015 viable tissue:
// D_free = 10^(-4.15 - 0.655 log10 MW) cm2/s; binding B = 0.68 + 0.32/f_u + 0.025 f_non K_lip
// with K_lip = Kow^0.7; D = D_free / B; K_tissue/w = 0.7 B.
double kretsos_free_diffusivity_cm2_s(double mw);
double kretsos_binding_factor(double fraction_unbound, double fraction_non_ionised, double log_kow);

// Fraction unbound to albumin in tissue (Yamazaki & Kanaoka 2004, as in the CDC calculator
// and Surrey DPK): acids 1/(1.2239 + 0.7936 e^(log Kow)); bases and neutrals
// 1/(1.0188 + 0.5578 e^(log D)) with log D at pH 7.4; floor 0.005.
double fraction_unbound(bool is_acid, double log_kow, double log_d_74);

// Dermal clearance (Dancik et al. 2013; CDC calculator): k = [1/(P_cap S) + 1/Q]^-1 / B with
// P_cap = 100 kp_PottsGuy (cm/s), S = 100 cm2/cm3, Q = 0.0022 mL/(cm3 s). Returns 1/s.
double dancik_dermal_clearance_per_s(double mw, double log_kow, double binding);

}  // namespace poreflux::parameters
