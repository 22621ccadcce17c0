// The implicit integrator (TR-BDF2) and the spectral bound RKC relies on (MODEL.md §8):
// the bound against dense eigenvalues, the operator's symmetry in the V/K inner product (what
// conjugate gradients rely on), exact lateral and radial modes (off the z axis) under both
// methods, the sparse direct solver against a dense LU, the two linear solvers and RKC agreeing
// on a closing-channel problem, and the temporal order of TR-BDF2 at fixed steps.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <random>
#include <utility>  // before odeint: Boost 1.74's check_adapter.hpp uses std::pair unincluded
#include <vector>

#include <Eigen/Dense>
#include <boost/ref.hpp>

#include "backend/serial_exec.hpp"
#include "backend_fixture.hpp"
#include "fixed_steps.hpp"
#include "poreflux/solver/linear_solvers.hpp"
#include "poreflux/solver/sparse_direct.hpp"
#include "poreflux/solver/transport_system.hpp"
#include "poreflux/solver/trbdf2_stepper.hpp"

namespace poreflux::testing {
namespace {

using Exec = reference::SerialExec;
using State = std::vector<double>;

// The operator's matrix on the unknowns (cells, then the film), column by column.
Eigen::MatrixXd dense_operator(TransportSystem<Exec>& system, double t) {
  const std::size_t n = system.controlled_size(), full = system.state_size();
  Eigen::MatrixXd A(n, n);
  State e(full, 0.0), f(full);
  for (std::size_t j = 0; j < n; ++j) {
    e[j] = 1.0;
    system(e, f, t);
    for (std::size_t i = 0; i < n; ++i) A(i, j) = f[i];
    e[j] = 0.0;
  }
  return A;
}

// W = V/K per cell, V_film for the film.
Eigen::VectorXd weights(const DiscreteProblem& p) {
  Eigen::VectorXd w(p.cell_count() + 1);
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) {
        const std::size_t c = p.index(i, j, k);
        w[c] = p.cell_volume(i, j, k) / p.materials[p.material[c]].partition;
      }
  w[p.cell_count()] = p.film_thickness_cm * p.top_area_cm2();
  return w;
}

// A membrane of 6 cells on a film: the case where leaving the film out of the bound let the
// true spectral radius exceed it (K = 5, 2 um film: 1.15x).
DiscreteProblem film_membrane(double K, double film_um) {
  DiscreteProblem p = membrane(6e-4, 1e-8, K, 1000.0, 6, false, film_um * 1e-4, 3600.0, 1);
  p.sink_bottom = true;
  return p;
}

// A small 3D block with three materials of very different partition and a channel.
DiscreteProblem small_block(double K_sc, double film_um) {
  DiscreteProblem p;
  p.dx = {3e-4, 2e-4, 2e-4, 3e-4};
  p.dy = {2e-4, 3e-4, 2e-4};
  p.dz = {1e-4, 1e-4, 2e-4, 4e-4, 8e-4};
  p.materials = {{"sc", 1e-9, K_sc, 0, 0, -1}, {"ve", 1e-6, 0.8, 1e-5, 0, -1}, {"channel", 9e-6, 1.0, 0, 0, 0}};
  p.material.resize(p.cell_count());
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) p.material[p.index(i, j, k)] = (i == 1 && j == 1 && k < 3) ? 2 : (k < 2 ? 0 : 1);
  p.layer_of_z = {0, 0, 1, 1, 1};
  p.layer_names = {"stratum_corneum", "viable_epidermis"};
  p.periodic_x = true;
  p.vehicle_concentration = 1000.0;
  p.film_thickness_cm = film_um * 1e-4;
  p.applied_ug = p.vehicle_concentration * p.film_thickness_cm * p.top_area_cm2();
  p.duration_s = 60.0;
  p.output_times_s = {60.0};
  return p;
}

void check_bound(const DiscreteProblem& p, const std::string& label, double& worst_ratio) {
  TransportSystem<Exec> system(p);
  const Eigen::MatrixXd A = dense_operator(system, 0.0);
  // Symmetric in the W inner product: W A is a symmetric matrix.
  const Eigen::VectorXd w = weights(p);
  const Eigen::MatrixXd WA = w.asDiagonal() * A;
  EXPECT_LT((WA - WA.transpose()).norm(), 1e-12 * WA.norm()) << label;
  const double lambda = A.eigenvalues().cwiseAbs().maxCoeff();
  const double bound = system.spectral_radius(0.0);
  EXPECT_GE(bound, lambda * (1.0 - 1e-12)) << label << ": the bound does not bound";
  EXPECT_LE(bound, 2.5 * lambda) << label << ": the bound is needlessly loose";
  worst_ratio = std::max(worst_ratio, bound / lambda);
}

TEST(SpectralBound, HoldsAgainstDenseEigenvaluesOverPartitionAndFilm) {
  double worst = 0.0;
  for (double K : {0.01, 0.1, 1.0, 5.0, 30.0, 1000.0})
    for (double film_um : {0.5, 2.0, 20.0}) {
      const std::string label = "K = " + std::to_string(K) + ", film " + std::to_string(film_um) + " um";
      check_bound(film_membrane(K, film_um), "membrane, " + label, worst);
      check_bound(small_block(K, film_um), "3D block, " + label, worst);
    }
  std::cout << "[ bound    ] symmetrised Gershgorin / true spectral radius: at most " << worst << '\n';
}

// One tissue layer sealed above (wiped at once, before anything moves) and below, holding the
// given initial concentration: the exact-mode tests' set-up. Grid widths are set by the caller.
DiscreteProblem sealed_layer(DiscreteProblem p, double D, double K, double duration_s) {
  p.materials = {{"layer", D, K, 0, 0, -1}};
  p.material.assign(p.cell_count(), 0);
  p.layer_of_z.assign(p.nz(), 0);
  p.layer_names = {"viable_epidermis"};
  p.sink_bottom = false;
  p.film_thickness_cm = 1e-4;
  p.vehicle_concentration = 0.0;
  p.wipe_time_s = 1e-12;
  p.applied_ug = 1.0;  // the modes have no net amount to balance; their amplitudes are checked
  p.duration_s = duration_s;
  p.output_times_s = {0.5 * duration_s, duration_s};
  p.rtol = 1e-8;
  p.atol = 1e-10;
  return p;
}

// The final state under each method, on the reference backend.
std::vector<std::pair<TimeMethod, Snapshot>> final_states(const DiscreteProblem& p) {
  std::vector<std::pair<TimeMethod, Snapshot>> out;
  for (const TimeMethod method : both_methods()) {
    CollectingSink sink;
    make_reference_backend()->solve(with_method(p, method), sink, RunControl{});
    out.emplace_back(method, sink.snapshots.back());
  }
  return out;
}

// A decaying lateral cosine mode: periodic in x, sealed above (wiped at once) and below.
// C = cos(2 pi x / L) exp(-D (2 pi / L)^2 t) for the continuum; the discrete mode decays at
// (4 D / dx^2) sin^2(pi dx / L).
TEST(ExactOffAxis, LateralCosineModeUnderBothMethods) {
  const int nx = 64;
  const double L = 64e-4, D = 1e-7, dx = L / nx;
  const double rate = D * std::pow(2 * M_PI / L, 2);
  DiscreteProblem grid;
  grid.dx.assign(nx, dx);
  grid.dy = {1e-4};
  grid.dz = {1e-4, 1e-4};
  grid.periodic_x = true;
  DiscreteProblem p = sealed_layer(grid, D, 1.7, 1.0 / rate);
  auto shape = [&](int i) { return 100.0 * std::cos(2 * M_PI * (i + 0.5) * dx / L); };
  p.initial_concentration.resize(p.cell_count());
  for (int k = 0; k < 2; ++k)
    for (int i = 0; i < nx; ++i) p.initial_concentration[p.index(i, 0, k)] = shape(i);
  const double discrete_rate = 4 * D / (dx * dx) * std::pow(std::sin(M_PI * dx / L), 2);
  for (const auto& [method, end] : final_states(p)) {
    SCOPED_TRACE(method_label(method));
    for (int i = 0; i < nx; i += 7) {
      const double c = end.state[p.index(i, 0, 1)];
      EXPECT_NEAR(c, shape(i) * std::exp(-discrete_rate * end.t), 1e-5 * 100.0) << "semi-discrete, i = " << i;
      EXPECT_NEAR(c, shape(i) * std::exp(-rate * end.t), 2e-3 * 100.0) << "continuum, i = " << i;
    }
  }
}

// The first radial mode of the axisymmetric cell with a no-flux rim: J0(j r / R), j the first
// zero of J1, decaying at D (j / R)^2.
TEST(ExactOffAxis, BesselJ0ModeInTheAxisymmetricCell) {
  const int nr = 80;
  const double R = 80e-4, D = 1e-7, j1 = 3.8317059702075123;
  const double rate = D * std::pow(j1 / R, 2);
  DiscreteProblem grid;
  grid.geometry = Geometry::axisymmetric;
  grid.dx.assign(nr, R / nr);
  grid.dy = {2 * M_PI};
  grid.dz = {1e-4};
  DiscreteProblem p = sealed_layer(grid, D, 0.9, 1.0 / rate);
  auto shape = [&](int i) { return 100.0 * std::cyl_bessel_j(0.0, j1 * (i + 0.5) / nr); };
  p.initial_concentration.resize(p.cell_count());
  for (int i = 0; i < nr; ++i) p.initial_concentration[i] = shape(i);
  for (const auto& [method, end] : final_states(p)) {
    SCOPED_TRACE(method_label(method));
    for (int i = 0; i < nr; i += 9)
      EXPECT_NEAR(end.state[i], shape(i) * std::exp(-rate * end.t), 2e-3 * 100.0) << "i = " << i;
  }
}

// The sparse direct solver (solver/sparse_direct.cpp: AMD found once, the factor refilled in
// place, the substitutions written out) against a dense LU of the same I - dh A (the operator
// probed column by column through the rates), on a periodic 3D block with a film and on a 1D
// membrane with a film, over several dh in turn (each a new factorisation on the kept pattern,
// back and forth). Its two entry points (host vectors, and raw memory as the CPU backend uses)
// give the same solution to the bit.
TEST(SparseDirectSolver, StageSolvesMatchADenseLuAcrossRefactorisations) {
  std::mt19937 random(11);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  for (const auto& [label, p] : {std::pair<const char*, DiscreteProblem>{"3D block", small_block(5.0, 2.0)},
                                 {"1D membrane", film_membrane(3.0, 5.0)}}) {
    SCOPED_TRACE(label);
    TransportSystem<Exec> system(p);
    const std::size_t n = system.controlled_size();  // the cells, then the film
    const Eigen::MatrixXd A = dense_operator(system, 0.0);
    const HostOperator op = system.host_operator();
    SparseDirectSolver direct;
    int solves = 0;
    for (double dh : {1.0, 30.0, 0.05, 30.0, 900.0}) {
      direct.factorize(op, dh);
      const Eigen::MatrixXd M =
          Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(n)) - dh * A;
      Eigen::VectorXd b(static_cast<Eigen::Index>(n));
      for (Eigen::Index i = 0; i < b.size(); ++i) b[i] = 100.0 * uniform(random);
      const Eigen::VectorXd exact = M.partialPivLu().solve(b);
      State bv(b.data(), b.data() + b.size()), x(n, 0.0), raw(n + 2, -7.0);  // raw: slots past n stay
      direct.solve(bv, x);
      direct.solve(bv.data(), raw.data());
      double diff = 0.0, scale = 0.0;
      for (std::size_t i = 0; i < n; ++i) {
        diff = std::max(diff, std::fabs(x[i] - exact[static_cast<Eigen::Index>(i)]));
        scale = std::max(scale, std::fabs(exact[static_cast<Eigen::Index>(i)]));
        EXPECT_EQ(raw[i], x[i]) << "unknown " << i << ", dh " << dh;
      }
      EXPECT_EQ(raw[n], -7.0);
      EXPECT_EQ(raw[n + 1], -7.0);
      EXPECT_LT(diff, 1e-10 * scale) << "dh " << dh;
      ++solves;
    }
    EXPECT_EQ(direct.factorizations(), solves);
  }
}

// A small 3D problem with a closing channel: RKC, implicit + direct and implicit + Krylov agree.
TEST(ImplicitIntegrator, AgreesWithRkcOnClosingChannels) {
  DiscreteProblem p = small_block(3.0, 10.0);
  p.materials[0].diffusivity_cm2_s = 2e-8;
  p.sink_bottom = false;  // the active stays in the tissue, where the methods are compared
  p.closure_tau_s = 300.0;
  p.duration_s = 1200.0;
  p.output_times_s = {300.0, 1200.0};
  p.rtol = 1e-7;
  p.atol = 1e-12 * p.vehicle_concentration;
  auto backend = make_reference_backend();
  std::vector<Snapshot> runs[3];
  int r = 0;
  for (auto [method, linear] : {std::pair{TimeMethod::rkc, LinearSolverKind::automatic},
                                std::pair{TimeMethod::implicit, LinearSolverKind::direct},
                                std::pair{TimeMethod::implicit, LinearSolverKind::krylov}}) {
    DiscreteProblem q = with_method(p, method);
    q.linear_solver = linear;
    CollectingSink sink;
    const SolverStats stats = backend->solve(q, sink, RunControl{});
    if (method == TimeMethod::implicit) {
      EXPECT_EQ(stats.linear_solver, linear == LinearSolverKind::direct ? "direct" : "krylov");
      EXPECT_GT(stats.linear_solves, 0);
    }
    for (const Snapshot& s : sink.snapshots) EXPECT_LT(std::fabs(total_amount(p, s.state) / p.applied_ug - 1.0), 1e-10);
    runs[r++] = sink.snapshots;
  }
  const std::size_t n = p.cell_count();
  for (int m = 1; m < 3; ++m)
    for (std::size_t s = 1; s < runs[0].size(); ++s) {  // 0: the initial state
      double scale = 0.0, diff = 0.0;
      for (std::size_t c = 0; c < n; ++c) {
        scale = std::max(scale, std::fabs(runs[0][s].state[c]));
        diff = std::max(diff, std::fabs(runs[m][s].state[c] - runs[0][s].state[c]));
      }
      EXPECT_LT(diff / scale, 1e-4) << "run " << m << ", output " << s;
      const double film = p.film_thickness_cm * p.top_area_cm2();
      EXPECT_NEAR(runs[m][s].state[n] * film, runs[0][s].state[n] * film, 1e-5 * p.applied_ug) << "film, run " << m;
      EXPECT_NEAR(runs[m][s].state[n + kDegraded], runs[0][s].state[n + kDegraded], 1e-5 * p.applied_ug) << "run " << m;
    }
}

// Every backend's implicit solve (both linear solvers) against the reference backend's.
using ImplicitBackends = BackendTest;
TEST_P(ImplicitBackends, AgreeWithTheReference) {
  DiscreteProblem p = small_block(3.0, 10.0);
  p.materials[0].diffusivity_cm2_s = 2e-8;
  p.sink_bottom = false;
  p.closure_tau_s = 300.0;
  p.duration_s = 900.0;
  p.output_times_s = {450.0, 900.0};
  p.rtol = 1e-8;
  p.atol = 1e-12 * p.vehicle_concentration;
  p.method = TimeMethod::implicit;
  for (const LinearSolverKind linear : {LinearSolverKind::direct, LinearSolverKind::krylov}) {
    p.linear_solver = linear;
    SCOPED_TRACE(linear == LinearSolverKind::direct ? "direct" : "krylov");
    const auto snaps = solve(p);
    CollectingSink ref;
    make_reference_backend()->solve(p, ref, RunControl{});
    ASSERT_EQ(snaps.size(), ref.snapshots.size());
    const std::size_t n = p.cell_count();
    for (std::size_t s = 1; s < snaps.size(); ++s) {
      double scale = 0.0, diff = 0.0;
      for (std::size_t c = 0; c <= n; ++c) {
        scale = std::max(scale, std::fabs(ref.snapshots[s].state[c]));
        diff = std::max(diff, std::fabs(snaps[s].state[c] - ref.snapshots[s].state[c]));
      }
      EXPECT_LT(diff / scale, 1e-6) << "output " << s;
      EXPECT_LT(std::fabs(total_amount(p, snaps[s].state) / p.applied_ug - 1.0), 1e-10);
    }
  }
}
POREFLUX_INSTANTIATE_FOR_BACKENDS(ImplicitBackends);

// TR-BDF2 at fixed steps (error control off) converges at second order.
TEST(ImplicitIntegrator, SecondOrderInTime) {
  DiscreteProblem p = membrane(20e-4, 1e-9, 2.0, 1000.0, 40, false, 20e-4, 4000.0, 1);
  p.closure_tau_s = std::numeric_limits<double>::infinity();
  auto final_state = [&](int steps) { return run_fixed_steps<Exec, TrBdf2Stepper>(p, steps).first; };
  const State ref = final_state(1024);
  const std::size_t film = p.cell_count() + kVehicleConcentration;
  std::vector<double> errors;
  for (int steps : {8, 16, 32}) errors.push_back(std::fabs(final_state(steps)[film] - ref[film]));
  for (std::size_t e = 0; e + 1 < errors.size(); ++e) {
    const double order = std::log2(errors[e] / errors[e + 1]);
    std::cout << "[ order    ] TR-BDF2 steps " << (8 << e) << " -> " << (16 << e) << ": observed order " << order
              << '\n';
    EXPECT_GT(order, 1.8);
    EXPECT_LT(order, 2.3);
  }
}

}  // namespace
}  // namespace poreflux::testing
