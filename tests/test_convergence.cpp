// Second-order spatial convergence of the finite-volume scheme on smoothly NON-UNIFORM grids,
// against the exact solutions of MODEL.md §7, on every built backend.
//
// Grid: z_i = h * phi(i / n) with a smooth, monotone stretching map phi; n = 20, 40, 80, 160.
// The time integration runs at rtol 1e-10 so that its error is far below the spatial error of the
// finest grid. The observed order log2(e_n / e_2n) must reach 1.8 on the finest pairs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <iostream>
#include <sstream>
#include <string>

#include "backend_fixture.hpp"
#include "exact_solutions.hpp"

namespace poreflux::testing {
namespace {

using Map = std::function<double(double)>;

// Widths of the n cells between z = h phi(i/n) and h phi((i+1)/n).
std::vector<double> stretched(double h, int n, const Map& phi) {
  std::vector<double> dz(n);
  for (int i = 0; i < n; ++i) dz[i] = h * (phi(static_cast<double>(i + 1) / n) - phi(static_cast<double>(i) / n));
  return dz;
}

// phi(s) = s + 0.3 s (1 - s): cells 1.3x the mean at the surface, 0.7x at the sink.
double quadratic_map(double s) { return s + 0.3 * s * (1.0 - s); }

// tanh clustering towards both faces: end cells ~5x finer than the middle ones.
double tanh_map(double s) {
  const double b = 1.5;
  return 0.5 * (1.0 + std::tanh(b * (2.0 * s - 1.0)) / std::tanh(b));
}

// The observed orders log2(e_n / e_2n) for consecutive refinements, printed and recorded.
std::vector<double> orders(const std::vector<int>& ns, const std::vector<double>& errors, const std::string& what,
                           const std::string& backend) {
  std::vector<double> p;
  std::ostringstream line;
  line << "[ converge ] " << backend << " " << what << ":";
  for (std::size_t i = 0; i < errors.size(); ++i) {
    line << " n=" << ns[i] << " e=" << errors[i];
    if (i > 0) {
      p.push_back(std::log2(errors[i - 1] / errors[i]));
      line << " (order " << p.back() << ")";
    }
  }
  std::cout << line.str() << '\n';
  for (std::size_t i = 0; i < p.size(); ++i)
    ::testing::Test::RecordProperty("order_" + std::to_string(ns[i]) + "_" + std::to_string(ns[i + 1]),
                                    std::to_string(p[i]));
  return p;
}

const std::vector<int> kRefinements{20, 40, 80, 160};

using Convergence = BackendTest;

// §7.1 infinite dose: error of Q(t) at tau = 0.25, 0.5, ..., 2 (max over the times), as a
// fraction of K C0 h.
TEST_P(Convergence, CrankInfiniteDoseOnStretchedGrid) {
  const double h = 20e-4, D = 1e-9, K = 2.0, C0 = 1000.0;
  const double T = h * h / D;
  std::vector<double> errors;
  for (int n : kRefinements) {
    DiscreteProblem p = membrane(h, D, K, C0, n, true, 10e-4, 2.0 * T, 8);
    p.dz = stretched(h, n, quadratic_map);
    ASSERT_GT(p.dz.front() / p.dz.back(), 1.75);  // the grid really is non-uniform
    p.rtol = 1e-10;
    p.atol = 1e-14 * C0;
    const auto snaps = solve(p);
    ASSERT_EQ(snaps.size(), 9u);
    double e = 0.0;
    for (const Snapshot& s : snaps) {
      if (s.t == 0.0) continue;
      const double q = s.state[p.cell_count() + kReceptor];
      const double exact = K * C0 * h * exact::crank_infinite_dose_q(s.t / T);
      e = std::max(e, std::fabs(q - exact) / (K * C0 * h));
    }
    errors.push_back(e);
  }
  const std::vector<double> p =
      orders(kRefinements, errors, "Crank infinite dose Q(t), phi = s + 0.3 s(1-s)", GetParam());
  EXPECT_LT(errors.back(), 1e-4);
  EXPECT_GE(p[p.size() - 2], 1.8);
  EXPECT_GE(p[p.size() - 1], 1.8);
}

// §7.2 finite, depleting donor: error of the donor and delivered fractions at tau = 0.25 .. 2,
// on a grid clustered towards both faces.
TEST_P(Convergence, FiniteDoseOnClusteredGrid) {
  const double h = 20e-4, D = 1e-9, K = 2.0, C0 = 1000.0, film = 20e-4;  // eps = 0.5
  const double T = h * h / D;
  // The delivered fraction's series alternates with terms ~ 2 / (n pi)^2 / eps once
  // (1 - exp(-beta_n^2 tau)) ~ 1, so N terms leave an error ~ 1 / (eps pi^2 N^2): 5e-6 for the
  // default N = 200, as large as the spatial error at n = 160. 20000 terms leave 5e-10.
  const exact::FiniteDoseSeries series(film / (K * h), 20000);
  std::vector<double> errors;
  for (int n : kRefinements) {
    DiscreteProblem p = membrane(h, D, K, C0, n, false, film, 2.0 * T, 8);
    p.dz = stretched(h, n, tanh_map);
    ASSERT_GT(p.dz[n / 2] / p.dz.front(), 4.0);
    p.rtol = 1e-10;
    p.atol = 1e-14 * C0;
    const auto snaps = solve(p);
    ASSERT_EQ(snaps.size(), 9u);
    double e = 0.0;
    for (const Snapshot& s : snaps) {
      if (s.t == 0.0) continue;
      const double tau = s.t / T;
      const double donor = s.state[p.cell_count() + kVehicleConcentration] / C0;
      const double delivered = s.state[p.cell_count() + kReceptor] / (C0 * film);
      e = std::max(e, std::fabs(donor - series.donor_fraction(tau)));
      e = std::max(e, std::fabs(delivered - series.delivered_fraction(tau)));
    }
    errors.push_back(e);
  }
  const std::vector<double> p =
      orders(kRefinements, errors, "finite dose donor/delivered, tanh clustering", GetParam());
  EXPECT_LT(errors.back(), 1e-4);
  EXPECT_GE(p[p.size() - 2], 1.8);
  EXPECT_GE(p[p.size() - 1], 1.8);
}

POREFLUX_INSTANTIATE_FOR_BACKENDS(Convergence);

}  // namespace
}  // namespace poreflux::testing
