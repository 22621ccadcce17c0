// Exact solutions of MODEL.md §7, the oracles of the numerical tests.
#pragma once

#include <cmath>
#include <vector>

namespace poreflux::exact {

constexpr double kPi = 3.14159265358979323846;

// §7.1 Crank §4.3: cumulative amount through a membrane under an infinite dose, Q / (K C0 h).
inline double crank_infinite_dose_q(double tau) {
  double series = 0.0;
  for (int n = 1; n <= 200; ++n) series += ((n % 2 == 0) ? 1.0 : -1.0) / (n * n) * std::exp(-n * n * kPi * kPi * tau);
  return tau - 1.0 / 6.0 - 2.0 / (kPi * kPi) * series;
}

// §7.2: finite, well-mixed depleting donor; eps = h_v / (K h).
struct FiniteDoseSeries {
  std::vector<double> beta, a;
  double eps;
  explicit FiniteDoseSeries(double eps_, int terms = 200) : eps(eps_) {
    for (int n = 0; n < terms; ++n) {
      // One root of beta tan(beta) = 1/eps in (n pi, n pi + pi/2); bisection on a form
      // without the tangent's poles.
      double lo = n * kPi, hi = n * kPi + kPi / 2;
      auto g = [&](double b) { return b * std::sin(b) - std::cos(b) / eps; };
      const double glo = g(lo);
      for (int it = 0; it < 200; ++it) {
        const double mid = 0.5 * (lo + hi);
        if ((g(mid) > 0) == (glo > 0)) lo = mid;
        else hi = mid;
      }
      const double b = 0.5 * (lo + hi);
      beta.push_back(b);
      a.push_back(eps * std::sin(b) / (0.5 - std::sin(2 * b) / (4 * b) + eps * std::sin(b) * std::sin(b)));
    }
  }
  double donor_fraction(double tau) const {
    double s = 0.0;
    for (std::size_t n = 0; n < beta.size(); ++n) s += a[n] * std::sin(beta[n]) * std::exp(-beta[n] * beta[n] * tau);
    return s;
  }
  double delivered_fraction(double tau) const {
    double s = 0.0;
    for (std::size_t n = 0; n < beta.size(); ++n) s += a[n] / beta[n] * (1.0 - std::exp(-beta[n] * beta[n] * tau));
    return s / eps;
  }
};

// §7.3 two layers: steady flux per unit donor activity and lag time.
inline double two_layer_flux(double C0, double l1, double D1, double K1, double l2, double D2, double K2) {
  return C0 / (l1 / (K1 * D1) + l2 / (K2 * D2));
}
inline double two_layer_lag(double l1, double D1, double K1, double l2, double D2, double K2) {
  const double R1 = l1 / (K1 * D1), R2 = l2 / (K2 * D2);
  return ((l1 * l1 / D1) * (R1 / 6 + R2 / 2) + (l2 * l2 / D2) * (R2 / 6 + R1 / 2)) / (R1 + R2);
}

}  // namespace poreflux::exact
