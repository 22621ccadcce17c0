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
  const double hindrance = 0.9999 - 1.2762 * lambda + 0.0718 * lambda * lambda +
                           0.1195 * lambda * lambda * lambda;
  const double d_cor = d_aq * (1.0 - excluded) * hindrance;
  const double sigma = k_lip * d_lip / (k_cor * d_cor);
  const double r = k_trans / (0.132536 * d_lip);
  const double p_hat = 1.0 / (0.9685 * sigma + 182700.0 / r);
  return p_hat * k_lip * d_lip / h_sc_cm * kSecondsPerHour;
}

double solute_radius_angstrom(double mw) { return std::cbrt(0.9087 * mw * 3.0 / (4.0 * kPi)); }

double kretsos_free_diffusivity_cm2_s(double mw) {
  return std::pow(10.0, -4.15 - 0.655 * std::log10(mw));
}

double kretsos_binding_factor(double fraction_unbound, double fraction_non_ionised,
                              double log_kow) {
  const double k_lip = std::pow(std::pow(10.0, log_kow), 0.7);
  return 0.68 + 0.32 / fraction_unbound + 0.025 * fraction_non_ionised * k_lip;
}

double fraction_unbound(bool is_acid, double log_kow, double log_d_74) {
  const double f = is_acid ? 1.0 / (1.2239 + 0.7936 * std::exp(log_kow))
                           : 1.0 / (1.0188 + 0.5578 * std::exp(log_d_74));
  return std::max(f, 0.005);
}

double dancik_dermal_clearance_per_s(double mw, double log_kow, double binding) {
  const double p_cap_cm_s = 100.0 * potts_guy_kp_cm_h(mw, log_kow) / kSecondsPerHour;
  const double s_cm2_per_cm3 = 100.0;
  const double q_per_s = 0.0022;
  return 1.0 / (1.0 / (p_cap_cm_s * s_cm2_per_cm3) + 1.0 / q_per_s) / binding;
}

}  // namespace poreflux::parameters
