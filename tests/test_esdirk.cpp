// The fourth-order implicit method (ESDIRK4(3)6L[2]SA, esdirk_stepper.hpp) beyond what the
// shared method list already runs it through (exact solutions, formulation, hydration tests):
// its temporal order at fixed steps against the exact solution of the semi-discrete problem
// (a matrix exponential), the tableau's order conditions, its mass balance on closing
// channels with both linear solvers and every backend, its statistics, and `auto`'s choice
// between the two implicit methods by tolerance.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <limits>
#include <utility>  // before odeint: Boost 1.74's check_adapter.hpp uses std::pair unincluded
#include <vector>

#include <Eigen/Dense>
#include <boost/ref.hpp>
#include <unsupported/Eigen/MatrixFunctions>

#include "backend/serial_exec.hpp"
#include "backend_fixture.hpp"
#include "fixed_steps.hpp"
#include "poreflux/solver/esdirk_stepper.hpp"
#include "poreflux/solver/linear_solvers.hpp"
#include "poreflux/solver/run_transport.hpp"
#include "poreflux/solver/transport_system.hpp"

namespace poreflux::testing {
namespace {

using Exec = reference::SerialExec;
using State = std::vector<double>;
using Tableau = Esdirk436Tableau;

// The order conditions up to 4 for b and up to 3 for b^ (Butcher trees), in double precision.
TEST(EsdirkTableau, OrderConditions) {
  constexpr int s = Tableau::kStages;
  std::array<double, s> Ac{}, Ac2{}, AAc{};
  for (int i = 0; i < s; ++i) {
    double row = Tableau::kGamma;  // the diagonal
    for (int j = 0; j < i; ++j) row += Tableau::a[i][j];
    EXPECT_NEAR(row, Tableau::c[i] + (i == 0 ? Tableau::kGamma : 0.0), 1e-15) << "row sum " << i;
  }
  auto a = [](int i, int j) { return i == j && i > 0 ? Tableau::kGamma : (j < i ? Tableau::a[i][j] : 0.0); };
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) {
      Ac[i] += a(i, j) * Tableau::c[j];
      Ac2[i] += a(i, j) * Tableau::c[j] * Tableau::c[j];
    }
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) AAc[i] += a(i, j) * Ac[j];
  auto conditions = [&](const std::array<double, s>& b) {
    std::array<double, 8> r{};
    for (int i = 0; i < s; ++i) {
      const double c = Tableau::c[i];
      r[0] += b[i];
      r[1] += b[i] * c;
      r[2] += b[i] * c * c;
      r[3] += b[i] * Ac[i];
      r[4] += b[i] * c * c * c;
      r[5] += b[i] * c * Ac[i];
      r[6] += b[i] * Ac2[i];
      r[7] += b[i] * AAc[i];
    }
    const std::array<double, 8> exact{1.0, 0.5, 1.0 / 3, 1.0 / 6, 0.25, 0.125, 1.0 / 12, 1.0 / 24};
    for (double& v : r) v -= exact[&v - r.data()];
    return r;
  };
  const auto main = conditions(Tableau::b);
  for (int k = 0; k < 8; ++k) EXPECT_NEAR(main[k], 0.0, 1e-14) << "b, condition " << k;
  const auto embedded = conditions(Tableau::b_hat);
  for (int k = 0; k < 4; ++k) EXPECT_NEAR(embedded[k], 0.0, 1e-14) << "b^, condition " << k;
  // The embedding is exactly third order: it fails some fourth-order condition.
  double worst4 = 0.0;
  for (int k = 4; k < 8; ++k) worst4 = std::max(worst4, std::fabs(embedded[k]));
  EXPECT_GT(worst4, 1e-4);
  // Stiffly accurate: b is the last row of A.
  for (int j = 0; j < s; ++j) EXPECT_EQ(Tableau::b[j], j == s - 1 ? Tableau::kGamma : Tableau::a[s - 1][j]);
}

// The whole state's operator (cells, film and scalar slots), column by column: F is linear.
Eigen::MatrixXd full_operator(TransportSystem<Exec>& system, double t) {
  const std::size_t n = system.state_size();
  Eigen::MatrixXd A(n, n);
  State e(n, 0.0), f(n);
  for (std::size_t j = 0; j < n; ++j) {
    e[j] = 1.0;
    system(e, f, t);
    for (std::size_t i = 0; i < n; ++i) A(i, j) = f[i];
    e[j] = 0.0;
  }
  return A;
}

// At fixed steps (error control off), the error against exp(T A) y0 falls as h^4: observed
// order >= 3.5 on each halving, on a finite dose through a membrane over a sink (the exact
// solution of MODEL.md §7.2's semi-discrete problem).
TEST(EsdirkIntegrator, FourthOrderInTime) {
  DiscreteProblem p = membrane(20e-4, 1e-9, 2.0, 1000.0, 24, false, 20e-4, 4000.0, 1);
  p.sink_bottom = true;
  p.closure_tau_s = std::numeric_limits<double>::infinity();
  TransportSystem<Exec> reference_system(p);
  const State x0 = reference_system.initial_state();
  ASSERT_FALSE(reference_system.film_is_nonlinear());
  const Eigen::MatrixXd A = full_operator(reference_system, 0.0);
  const Eigen::VectorXd y0 = Eigen::Map<const Eigen::VectorXd>(x0.data(), static_cast<Eigen::Index>(x0.size()));
  const Eigen::VectorXd exact = (A * p.duration_s).exp() * y0;
  auto final_state = [&](int steps) {
    auto [x, accepted] = run_fixed_steps<Exec, EsdirkStepper>(p, steps);
    EXPECT_EQ(accepted, steps);
    return x;
  };
  // The film's amount and the receptor's: one state each end of the membrane.
  const std::size_t film = p.cell_count() + kVehicleConcentration, receptor = p.cell_count() + kReceptor;
  std::vector<double> film_errors, receptor_errors;
  for (int steps : {8, 16, 32, 64}) {
    const State x = final_state(steps);
    film_errors.push_back(std::fabs(x[film] - exact[film]) / exact[film]);
    receptor_errors.push_back(std::fabs(x[receptor] - exact[receptor]) / exact[receptor]);
  }
  for (std::size_t e = 0; e + 1 < film_errors.size(); ++e) {
    const double order_film = std::log2(film_errors[e] / film_errors[e + 1]);
    const double order_receptor = std::log2(receptor_errors[e] / receptor_errors[e + 1]);
    std::cout << "[ order    ] ESDIRK steps " << (8 << e) << " -> " << (16 << e) << ": observed order " << order_film
              << " (film), " << order_receptor << " (receptor); errors " << film_errors[e + 1] << ", "
              << receptor_errors[e + 1] << '\n';
    EXPECT_GT(order_film, 3.5);
    EXPECT_GT(order_receptor, 3.5);
    EXPECT_LT(order_film, 5.0);
  }
  // Mass: the conservative update keeps the total to round-off at any step size.
  const State coarse = final_state(8);
  EXPECT_NEAR(total_amount(p, coarse) / p.applied_ug, 1.0, 1e-13);
}

// The continuous extension (Tableau::b_theta, which locates a change of the film's regime inside
// a step): b_j(1) = b_j, and at any θ the weights satisfy the order conditions up to 3 with θ in
// place of 1 (Σ b_j(θ) c_j^(k-1) = θ^k / k, and Σ b_j(θ) (A c)_j = θ³ / 6): third order.
TEST(EsdirkTableau, ContinuousExtensionOrderConditions) {
  constexpr int s = Tableau::kStages;
  auto a = [](int i, int j) { return i == j && i > 0 ? Tableau::kGamma : (j < i ? Tableau::a[i][j] : 0.0); };
  std::array<double, s> Ac{};
  for (int i = 0; i < s; ++i)
    for (int j = 0; j < s; ++j) Ac[i] += a(i, j) * Tableau::c[j];
  for (int j = 0; j < s; ++j) EXPECT_NEAR(Tableau::b_at(j, 1.0), Tableau::b[j], 1e-14) << "b_" << j << "(1)";
  for (int j = 0; j < s; ++j) EXPECT_EQ(Tableau::b_at(j, 0.0), 0.0);
  for (const double theta : {0.1, 0.25, 0.5, 0.8, 0.95}) {
    double r1 = 0.0, r2 = 0.0, r3 = 0.0, r4 = 0.0;
    for (int j = 0; j < s; ++j) {
      const double w = Tableau::b_at(j, theta), c = Tableau::c[j];
      r1 += w;
      r2 += w * c;
      r3 += w * c * c;
      r4 += w * Ac[j];
    }
    EXPECT_NEAR(r1, theta, 1e-14) << "theta " << theta;
    EXPECT_NEAR(r2, theta * theta / 2, 1e-14) << "theta " << theta;
    EXPECT_NEAR(r3, theta * theta * theta / 3, 1e-14) << "theta " << theta;
    EXPECT_NEAR(r4, theta * theta * theta / 6, 1e-14) << "theta " << theta;
  }
}

// Closing channels (the coefficients change in time), 3D, a finite dose over a no-flux bottom:
// mass closes to 1e-12 of the dose with the direct and the Krylov solver, and both agree with
// a converged TR-BDF2 run.
using EsdirkBackends = BackendTest;
TEST_P(EsdirkBackends, MassAndAgreementOnClosingChannels) {
  DiscreteProblem p;
  p.dx = {3e-4, 2e-4, 2e-4, 3e-4};
  p.dy = {2e-4, 3e-4, 2e-4};
  p.dz = {1e-4, 1e-4, 2e-4, 4e-4, 8e-4};
  p.materials = {{"sc", 2e-8, 3.0, 0, 0, -1}, {"ve", 1e-6, 0.8, 1e-5, 0, -1}, {"channel", 9e-6, 1.0, 0, 0, 0}};
  p.material.resize(p.cell_count());
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) p.material[p.index(i, j, k)] = (i == 1 && j == 1 && k < 3) ? 2 : (k < 2 ? 0 : 1);
  p.layer_of_z = {0, 0, 1, 1, 1};
  p.layer_names = {"stratum_corneum", "viable_epidermis"};
  p.periodic_x = true;
  p.vehicle_concentration = 1000.0;
  p.film_thickness_cm = 10e-4;
  p.applied_ug = p.vehicle_concentration * p.film_thickness_cm * p.top_area_cm2();
  p.sink_bottom = false;  // the active stays in the tissue, where the methods are compared
  p.closure_tau_s = 300.0;
  p.duration_s = 1200.0;
  p.output_times_s = {300.0, 700.0, 1200.0};
  p.rtol = 1e-7;
  p.atol = 1e-12 * p.vehicle_concentration;
  DiscreteProblem trbdf2 = with_method(p, TimeMethod::implicit);
  trbdf2.linear_solver = LinearSolverKind::direct;
  trbdf2.rtol = 1e-10;  // converged: within 1e-10 of ESDIRK at rtol 1e-11 (measured)
  const auto ref = solve(trbdf2);
  const std::size_t n = p.cell_count();
  for (const LinearSolverKind linear : {LinearSolverKind::direct, LinearSolverKind::krylov}) {
    DiscreteProblem q = with_method(p, TimeMethod::esdirk);
    q.linear_solver = linear;
    SCOPED_TRACE(linear == LinearSolverKind::direct ? "direct" : "krylov");
    SolverStats stats;
    const auto snaps = solve(q, &stats);
    EXPECT_EQ(stats.method_name, "esdirk");
    EXPECT_EQ(stats.linear_solver, linear == LinearSolverKind::direct ? "direct" : "krylov");
    EXPECT_NE(stats.method.find("ESDIRK4(3)6L[2]SA"), std::string::npos) << stats.method;
    // Statistics: five stage solves and one error solve per attempted step (no film regimes here).
    EXPECT_GT(stats.steps, 0);
    EXPECT_EQ(stats.linear_solves, 6 * (stats.steps + stats.rejected_steps));
    // Six rates per attempted step (the first is reused), one after each accepted step, plus
    // the initial ones of each segment and the time loop's own evaluations at t = 0.
    EXPECT_GE(stats.rhs_evaluations, 5 * (stats.steps + stats.rejected_steps) + stats.steps);
    ASSERT_EQ(snaps.size(), ref.size());
    for (std::size_t s = 0; s < snaps.size(); ++s) {
      EXPECT_LT(std::fabs(total_amount(p, snaps[s].state) / p.applied_ug - 1.0), 1e-12) << "output " << s;
      double scale = 0.0, diff = 0.0;
      for (std::size_t c = 0; c <= n; ++c) {
        scale = std::max(scale, std::fabs(ref[s].state[c]));
        diff = std::max(diff, std::fabs(snaps[s].state[c] - ref[s].state[c]));
      }
      // The bound of test_implicit.cpp's agreement test at this rtol (measured: 1.7e-5; TR-BDF2's
      // own error at rtol 1e-7 is 6.3e-5).
      EXPECT_LT(diff / std::max(scale, 1e-300), 1e-4) << "output " << s;
    }
  }
}
POREFLUX_INSTANTIATE_FOR_BACKENDS(EsdirkBackends);

// auto: a stiff problem takes TR-BDF2 at kHighOrderRtol and looser and ESDIRK below it, the
// default rtol included; a mildly stiff one stays on RKC whatever the tolerance.
TEST(EsdirkChoice, AutoChoosesByTolerance) {
  DiscreteProblem p = membrane(20e-4, 1e-9, 2.0, 1000.0, 80, false, 20e-4, 8000.0, 1);
  const double rho = 1e3;  // stiff: RKC would need ~sqrt(1.54 * 1e3 * 80) = 350 stages
  p.rtol = kHighOrderRtol;
  MethodPlan plan = plan_method(p, rho, true);
  EXPECT_EQ(plan.method, TimeMethod::implicit) << plan.why;
  p.rtol = 1e-5;  // the default
  plan = plan_method(p, rho, true);
  EXPECT_EQ(plan.method, TimeMethod::esdirk) << plan.why;
  EXPECT_NE(plan.why.find("auto chose esdirk"), std::string::npos) << plan.why;
  plan = plan_method(p, 1e-3, true);
  EXPECT_EQ(plan.method, TimeMethod::rkc) << plan.why;
}

// The registry drives the lists: every name parses back to its method, and the fixture runs them all.
TEST(TimeMethodRegistry, NamesRoundTrip) {
  const std::vector<std::string> names = time_method_choices();
  ASSERT_EQ(names.size(), kTimeMethods.size() + 1);
  EXPECT_EQ(names.front(), "auto");
  for (const TimeMethodInfo& m : kTimeMethods) {
    EXPECT_EQ(time_method_from_name(m.name), m.id);
    EXPECT_STREQ(time_method_name(m.id), m.name);
    EXPECT_GT(m.work_vectors_per_cell, 0.0);
  }
  EXPECT_FALSE(time_method_from_name("bdf").has_value());
  EXPECT_EQ(both_methods().size(), kTimeMethods.size());
}

}  // namespace
}  // namespace poreflux::testing
