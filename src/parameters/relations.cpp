#include "relations.hpp"

#include <algorithm>
#include <cmath>

namespace poreflux::parameters {
namespace {
constexpr double kSecondsPerHour = 3600.0;
constexpr double kPi = 3.14159265358979323846;
}  // namespace

double potts_guy_kp_cm_h(double mw, double log_kow) {
  const double kp_cm_s = std::pow(10.0, -6.3 + 0.71 * log_kow - 0.0061 * mw);
  return kp_cm_s * kSecondsPerHour;
}

double polar_pathway_kp_cm_h(double mw) { return 1.519e-4 / std::sqrt(mw); }

double kasting_sc_water_partition(double log_kow) {
  const double kow = std::pow(10.0, log_kow);
  return 0.014 * std::pow(kow, 0.81) + 0.782 + 1.381 * std::pow(kow, 0.27);
}

double kasting_sc_water_partition_of_ion() { return 0.782; }

double kasting_sc_kp_cm_h(double mw, double log_kow) {
  const double kow = std::pow(10.0, log_kow);
  const double h_sc_cm = 43.4e-4;  // fully hydrated SC of the model
  const double k_lip = 0.43 * std::pow(kow, 0.81);
  const double d_lip = 1.24e-7 * std::pow(100.0 / mw, 2.43) + 2.34e-9;
  const double k_trans = std::pow(10.0, -0.725 - 0.792 * std::cbrt(mw));
  const double va = 0.9087 * mw;
  const double d_aq = 1.92e-4 / std::pow(va, 0.6);
  const double lambda = 0.145 * std::pow(va, 0.6) / 35.0;
  const double excluded = 0.1928 * (1.0 + lambda) * (1.0 + lambda);
  const double k_cor = 1.0 - excluded;
  const double hindrance = 0.9999 - 1.2762 * lambda + 0.0718 * lambda * lambda + 0.1195 * lambda * lambda * lambda;
  const double d_cor = d_aq * (1.0 - excluded) * hindrance;
  const double sigma = k_lip * d_lip / (k_cor * d_cor);
  const double r = k_trans / (0.132536 * d_lip);
  const double p_hat = 1.0 / (0.9685 * sigma + 182700.0 / r);
  return p_hat * k_lip * d_lip / h_sc_cm * kSecondsPerHour;
}

namespace {

struct KastingState {
  double h_sc_cm, fibre_fraction, delta_over_lx2_per_cm, lipid_factor, a, b, c;
  double hindrance[4];
  double k_lip_coefficient, k_water, k_protein_coefficient;
};

// Constants of the two states (relations.hpp; OSP Skin-permeation-model, skin_permeation_model.mbp3).
const KastingState& kasting_state(ScHydration s) {
  static const KastingState full{43.4e-4, 0.1928,  1.3e-6 / (31.319e-4 * 31.319e-4),  1.0,    7.611e-4,
                                 0.9685,  1.827e5, {0.9999, -1.2762, 0.0718, 0.1195}, 0.0136, 0.782,
                                 1.381};
  static const KastingState partial{13.4e-4, 0.6044,  1.3e-6 / (30.266e-4 * 30.266e-4), 1.0 / 3.0, 2.935e-4,
                                    0.8979,  5.536e5, {1.0001, -2.4497, 1.141, 0.5432}, 0.040,     0.359,
                                    4.057};
  return s == ScHydration::full ? full : partial;
}

struct KastingGroups {
  double k_lip, d_lip, sigma, r;
};

KastingGroups kasting_groups(double mw, double log_kow, const KastingState& st) {
  const double kow = std::pow(10.0, log_kow);
  KastingGroups g;
  g.k_lip = 0.43 * std::pow(kow, 0.81);
  g.d_lip = st.lipid_factor * (1.24e-7 * std::pow(100.0 / mw, 2.43) + 2.34e-9);
  const double k_trans = st.lipid_factor * std::pow(10.0, -0.725 - 0.792 * std::cbrt(mw));
  const double va = 0.9087 * mw;
  const double d_aq = 1.92e-4 / std::pow(va, 0.6);
  const double lambda = 0.145 * std::pow(va, 0.6) / 35.0;
  const double excluded = std::min(st.fibre_fraction * (1.0 + lambda) * (1.0 + lambda), 0.999);
  const double hindrance = std::max(
      st.hindrance[0] + lambda * (st.hindrance[1] + lambda * (st.hindrance[2] + lambda * st.hindrance[3])), 1e-6);
  const double d_cor = d_aq * (1.0 - excluded) * hindrance;
  g.sigma = g.k_lip * g.d_lip / ((1.0 - excluded) * d_cor);
  g.r = k_trans / (st.delta_over_lx2_per_cm * g.d_lip);
  return g;
}

}  // namespace

double kasting_sc_thickness_cm(ScHydration state) { return kasting_state(state).h_sc_cm; }

double kasting_sc_water_partition(double log_kow, ScHydration state) {
  if (state == ScHydration::full) return kasting_sc_water_partition(log_kow);  // the calculator's 0.014
  const KastingState& st = kasting_state(state);
  const double kow = std::pow(10.0, log_kow);
  return st.k_lip_coefficient * std::pow(kow, 0.81) + st.k_water + st.k_protein_coefficient * std::pow(kow, 0.27);
}

double kasting_sc_water_partition_of_ion(ScHydration state) { return kasting_state(state).k_water; }

double kasting_sc_permeability_cm_h(double mw, double log_kow, ScHydration state) {
  const KastingState& st = kasting_state(state);
  const KastingGroups g = kasting_groups(mw, log_kow, st);
  const double p_hat = st.a + 1.0 / (st.b * g.sigma + st.c / g.r);
  return p_hat * g.k_lip * g.d_lip / st.h_sc_cm * kSecondsPerHour;
}

double kasting_sc_hydrophilic_limit_cm_h(double mw, ScHydration state) {
  const KastingState& st = kasting_state(state);
  const KastingGroups g = kasting_groups(mw, 0.0, st);
  return (st.a + g.r / st.c) * g.d_lip / st.h_sc_cm * kSecondsPerHour;
}

double solute_radius_angstrom(double mw) { return std::cbrt(0.9087 * mw * 3.0 / (4.0 * kPi)); }

double kretsos_free_diffusivity_cm2_s(double mw) { return std::pow(10.0, -4.15 - 0.655 * std::log10(mw)); }

double kretsos_binding_factor(double fraction_unbound, double fraction_non_ionised, double log_kow) {
  const double k_lip = std::pow(std::pow(10.0, log_kow), 0.7);
  return 0.68 + 0.32 / fraction_unbound + 0.025 * fraction_non_ionised * k_lip;
}

double fraction_unbound(bool is_acid, double log_kow, double log_d_74) {
  const double f = is_acid ? 1.0 / (1.2239 + 0.7936 * std::exp(log_kow)) : 1.0 / (1.0188 + 0.5578 * std::exp(log_d_74));
  return std::max(f, 0.005);
}

double dancik_dermal_clearance_per_s(double mw, double log_kow, double binding) {
  const double p_cap_cm_s = 100.0 * potts_guy_kp_cm_h(mw, log_kow) / kSecondsPerHour;
  const double s_cm2_per_cm3 = 100.0;
  const double q_per_s = 0.0022;
  return 1.0 / (1.0 / (p_cap_cm_s * s_cm2_per_cm3) + 1.0 / q_per_s) / binding;
}

}  // namespace poreflux::parameters
