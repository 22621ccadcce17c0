// The solver against MODEL.md §7 exact solutions, on every built backend and under both time
// integrators (RKC and the implicit TR-BDF2).
#include <gtest/gtest.h>

#include "backend_fixture.hpp"
#include "exact_solutions.hpp"

namespace poreflux::testing {
namespace {

using ExactSolutions = BackendTest;

double receptor(const DiscreteProblem& p, const Snapshot& s) { return s.state[p.cell_count() + kReceptor]; }

// §7.1: Q(t) through a membrane under an infinite dose, over tau = 0.1 .. 3.
TEST_P(ExactSolutions, CrankInfiniteDoseCumulativeAmount) {
  const double h = 20e-4, D = 1e-9, K = 2.0, C0 = 1000.0;
  const double T = h * h / D;  // tau = 1
  const DiscreteProblem p = membrane(h, D, K, C0, 80, true, 10e-4, 3.0 * T, 30);
  for (const TimeMethod method : both_methods()) {
    SCOPED_TRACE(method_label(method));
    const auto snaps = solve(with_method(p, method));
    ASSERT_EQ(snaps.size(), 31u);
    for (const Snapshot& s : snaps) {
      const double tau = s.t / T;
      if (tau < 0.25) continue;  // early Q is tiny; its relative error says little
      const double exact = K * C0 * h * exact::crank_infinite_dose_q(tau);
      EXPECT_NEAR(receptor(p, s), exact, 2e-3 * exact) << "tau = " << tau;
    }
  }
}

// §7.1: lag time h²/(6D) and steady flux K D C0 / h from the late, linear part of Q(t).
TEST_P(ExactSolutions, CrankLagTimeAndSteadyFlux) {
  const double h = 20e-4, D = 1e-9, K = 2.0, C0 = 1000.0;
  const double T = h * h / D;
  const DiscreteProblem p = membrane(h, D, K, C0, 80, true, 10e-4, 4.0 * T, 40);
  for (const TimeMethod method : both_methods()) {
    SCOPED_TRACE(method_label(method));
    const auto snaps = solve(with_method(p, method));
    const Snapshot& s1 = snaps[snaps.size() - 2];
    const Snapshot& s2 = snaps.back();
    const double J = (receptor(p, s2) - receptor(p, s1)) / (s2.t - s1.t);
    const double lag = s2.t - receptor(p, s2) / J;
    EXPECT_NEAR(J, K * D * C0 / h, 1e-4 * K * D * C0 / h);
    EXPECT_NEAR(lag, h * h / (6 * D), 2e-3 * h * h / (6 * D));
  }
}

// §7.2: finite, depleting donor: donor and delivered fractions against the eigen-series.
TEST_P(ExactSolutions, FiniteDoseEigenSeries) {
  const double h = 20e-4, D = 1e-9, K = 2.0, C0 = 1000.0, film = 20e-4;  // eps = 0.5
  const double T = h * h / D;
  const DiscreteProblem p = membrane(h, D, K, C0, 80, false, film, 2.0 * T, 20);
  const exact::FiniteDoseSeries series(film / (K * h));
  for (const TimeMethod method : both_methods()) {
    SCOPED_TRACE(method_label(method));
    const auto snaps = solve(with_method(p, method));
    const double M0 = C0 * film;
    for (const Snapshot& s : snaps) {
      const double tau = s.t / T;
      if (tau < 0.2) continue;
      const double donor = s.state[p.cell_count() + kVehicleConcentration] / C0;
      EXPECT_NEAR(donor, series.donor_fraction(tau), 1e-3) << "tau = " << tau;
      EXPECT_NEAR(receptor(p, s) / M0, series.delivered_fraction(tau), 1e-3) << "tau = " << tau;
    }
  }
}

// §7.3: a two-layer laminate with a partition jump: steady flux and lag time.
TEST_P(ExactSolutions, TwoLayerLaminateFluxAndLag) {
  const double l1 = 10e-4, D1 = 2e-10, K1 = 3.0;  // SC-like
  const double l2 = 60e-4, D2 = 5e-8, K2 = 0.7;   // VE-like
  const double C0 = 1000.0;
  const double lag = exact::two_layer_lag(l1, D1, K1, l2, D2, K2);
  const double J = exact::two_layer_flux(C0, l1, D1, K1, l2, D2, K2);
  DiscreteProblem p = membrane(l1 + l2, D1, K1, C0, 1, true, 10e-4, 12.0 * lag, 24);
  const int n1 = 40, n2 = 60;
  p.dz.assign(n1, l1 / n1);
  p.dz.insert(p.dz.end(), n2, l2 / n2);
  p.materials = {{"sc", D1, K1, 0, 0, -1}, {"ve", D2, K2, 0, 0, -1}};
  p.material.assign(n1, 0);
  p.material.insert(p.material.end(), n2, 1);
  p.layer_of_z = std::vector<int>(p.material.begin(), p.material.end());
  p.layer_names = {"stratum_corneum", "viable_epidermis"};
  for (const TimeMethod method : both_methods()) {
    SCOPED_TRACE(method_label(method));
    const auto snaps = solve(with_method(p, method));
    const Snapshot& s1 = snaps[snaps.size() - 2];
    const Snapshot& s2 = snaps.back();
    const double J_num = (receptor(p, s2) - receptor(p, s1)) / (s2.t - s1.t);
    const double lag_num = s2.t - receptor(p, s2) / J_num;
    EXPECT_NEAR(J_num, J, 1e-4 * J);
    EXPECT_NEAR(lag_num, lag, 3e-3 * lag);
  }
}

POREFLUX_INSTANTIATE_FOR_BACKENDS(ExactSolutions);

}  // namespace
}  // namespace poreflux::testing
