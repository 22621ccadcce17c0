// The RKC stepper against Boost.Odeint's stock classical Runge-Kutta (runge_kutta4 with
// integrate_const at a small fixed step) on the same semi-discrete TransportSystem, and the
// stepper's stage-count / stability contract (MODEL.md §8).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <limits>
#include <string>
#include <utility>  // before odeint: Boost 1.74's check_adapter.hpp uses std::pair unincluded
#include <vector>

#include <boost/numeric/odeint/integrate/integrate_const.hpp>
#include <boost/numeric/odeint/integrate/integrate_times.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta4.hpp>
#include <boost/ref.hpp>

#include "backend/serial_exec.hpp"
#include "backend_fixture.hpp"
#include "poreflux/solver/rkc_stepper.hpp"
#include "poreflux/solver/transport_system.hpp"

namespace poreflux::testing {
namespace {

namespace odeint = boost::numeric::odeint;
using Exec = reference::SerialExec;
using State = std::vector<double>;

// A small 3D problem: 6 x 5 x 12, four materials in a fixed pattern (SC on top with one channel
// column, VE, dermis; a "hair follicle" column of VE through the SC), finite dose with vehicle
// degradation, tissue degradation and clearance; the channel closes with time constant
// `closure_tau_s` (infinity: stays open). `top_cell_cm` and `channel_D` set the stiffness.
constexpr double kNeverCloses = std::numeric_limits<double>::infinity();

DiscreteProblem small_problem(double top_cell_cm, double channel_D, double closure_tau_s) {
  DiscreteProblem p;
  p.dx = {12e-4, 9e-4, 7e-4, 7e-4, 9e-4, 12e-4};
  p.dy = {10e-4, 8e-4, 8e-4, 9e-4, 11e-4};
  p.dz.resize(12);
  for (int k = 0; k < 12; ++k) p.dz[k] = top_cell_cm * std::pow(1.35, k);
  p.materials = {
      {"channel", channel_D, 1.0, 1e-4, 0.0, 2},
      {"stratum_corneum", 2e-9, 3.0, 0.0, 0.0, -1},
      {"viable_epidermis", 1e-7, 0.7, 2e-4, 0.0, -1},
      {"dermis", 3e-7, 0.6, 0.0, 5e-4, -1},
  };
  p.material.resize(p.cell_count());
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) {
        std::uint8_t m = k < 3 ? 1 : (k < 7 ? 2 : 3);
        if (i == 2 && j == 2 && k < 6) m = 0;  // a channel through SC into VE
        if (i == 4 && j == 1 && k < 3) m = 2;  // a VE-like path through the SC
        p.material[p.index(i, j, k)] = m;
      }
  p.layer_of_z.resize(p.nz());
  for (int k = 0; k < p.nz(); ++k) p.layer_of_z[k] = k < 3 ? 0 : (k < 7 ? 1 : 2);
  p.layer_names = {"stratum_corneum", "viable_epidermis", "dermis"};
  p.periodic_x = true;
  p.sink_bottom = true;
  p.vehicle_concentration = 1e4;
  p.film_thickness_cm = 20e-4;
  p.vehicle_degradation_per_s = 1e-4;
  p.closure_tau_s = closure_tau_s;
  p.applied_ug = p.vehicle_concentration * p.film_thickness_cm * p.top_area_cm2();
  p.duration_s = 900.0;
  p.output_times_s = {p.duration_s};
  return p;
}

// The semi-discrete system for a classical stepper (the transport system evaluates its
// coefficients at each call's own time).
struct TimeDependentSystem {
  TransportSystem<Exec>& system;
  void operator()(const State& x, State& dxdt, double t) { system(x, dxdt, t); }
};

// RK4 at a fixed step of 0.5 / rho(0) (RK4 is stable to 2.78 / rho) over the whole run. (Halving
// the step changes its result by < 1e-12 of the largest concentration on these problems.)
struct Rk4Result {
  State x;
  std::size_t steps = 0;
  double dt = 0.0, rho = 0.0;
};

Rk4Result rk4_reference(const DiscreteProblem& p) {
  TransportSystem<Exec> system(p);
  Rk4Result r;
  r.rho = system.spectral_radius(0.0);  // the stiffest instant: the channel is fully open
  r.dt = p.duration_s / std::ceil(p.duration_s * r.rho / 0.5);
  r.x = system.initial_state();
  TimeDependentSystem exact{system};
  r.steps = odeint::integrate_const(odeint::runge_kutta4<State>(), boost::ref(exact), r.x, 0.0, p.duration_s, r.dt);
  return r;
}

// max |a - b| over the cells relative to max |b|, and over the compartment slots as amounts
// relative to the dose; and the largest element-wise relative difference among cells holding at
// least 1e-3 of the largest concentration.
struct Comparison {
  double cells_norm = 0.0, cells_elementwise = 0.0, compartments = 0.0;
};

Comparison compare(const DiscreteProblem& p, const State& a, const State& b) {
  Comparison r;
  const std::size_t n = p.cell_count();
  double scale = 0.0;
  for (std::size_t c = 0; c < n; ++c) scale = std::max(scale, std::fabs(b[c]));
  for (std::size_t c = 0; c < n; ++c) {
    const double d = std::fabs(a[c] - b[c]);
    r.cells_norm = std::max(r.cells_norm, d / scale);
    if (std::fabs(b[c]) >= 1e-3 * scale) r.cells_elementwise = std::max(r.cells_elementwise, d / std::fabs(b[c]));
  }
  const double film_volume = p.film_thickness_cm * p.top_area_cm2();
  for (std::size_t s = 0; s < kScalarSlots; ++s) {
    const double weight = s == kVehicleConcentration ? film_volume : 1.0;
    r.compartments = std::max(r.compartments, weight * std::fabs(a[n + s] - b[n + s]) / p.applied_ug);
  }
  return r;
}

// Largest |eigenvalue| of the (linear, homogeneous) operator at time t by power iteration.
// Every estimate lies below the true spectral radius, so it must also lie below the bound.
double power_iteration(TransportSystem<Exec>& system, double t, int iterations) {
  const std::size_t n = system.state_size(), controlled = system.controlled_size();
  State v(n, 0.0), f(n);
  for (std::size_t i = 0; i < controlled; ++i) v[i] = std::sin(0.37 * i + 0.1) + 0.3;
  double lambda = 0.0;
  for (int it = 0; it < iterations; ++it) {
    system(v, f, t);
    // The compartment slots only integrate the others (zero columns); keep them out of the vector.
    for (std::size_t i = controlled; i < n; ++i) f[i] = 0.0;
    double nf = 0.0, nv = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      nf += f[i] * f[i];
      nv += v[i] * v[i];
    }
    lambda = std::sqrt(nf / nv);
    for (std::size_t i = 0; i < n; ++i) v[i] = f[i] / std::sqrt(nf);
  }
  return lambda;
}

// RKC (rtol 1e-9) through odeint's integrate_times against classical RK4 (integrate_const at a
// fixed step of 0.5 / rho), on the full final state; returns the RKC counters.
RkcCounters compare_rkc_with_rk4(const DiscreteProblem& p, const std::string& label) {
  const Rk4Result rk4 = rk4_reference(p);
  EXPECT_GT(rk4.rho, 0.0);
  EXPECT_NEAR(static_cast<double>(rk4.steps), p.duration_s / rk4.dt, 0.5);
  const State& x_rk4 = rk4.x;

  DiscreteProblem q = p;
  q.rtol = 1e-9;
  q.atol = 1e-12 * p.vehicle_concentration;
  TransportSystem<Exec> rkc_system(q);
  State x_rkc = rkc_system.initial_state();
  RkcStepper<Exec> stepper(rkc_system.state_size(), rkc_system.controlled_size(), q.rtol, q.atol, q.max_stages);
  const std::vector<double> times{0.0, q.duration_s};
  double rkc_dt = q.initial_step_s;
  odeint::integrate_times(boost::ref(stepper), boost::ref(rkc_system), x_rkc, times.begin(), times.end(), rkc_dt,
                          [](const State&, double) {});

  const Comparison c = compare(p, x_rkc, x_rk4);
  std::cout << "[ rkc/rk4  ] " << label << ": " << p.cell_count() << " cells, rho(0) = " << rk4.rho << " 1/s, RK4 "
            << rk4.steps << " steps of " << rk4.dt << " s; RKC " << stepper.counters().accepted << " steps ("
            << stepper.counters().rejected << " rejected, max " << stepper.counters().max_stages
            << " stages): max relative difference cells " << c.cells_norm << " (element-wise " << c.cells_elementwise
            << "), compartments " << c.compartments << '\n';
  ::testing::Test::RecordProperty("max_relative_difference_cells", std::to_string(c.cells_norm));
  ::testing::Test::RecordProperty("max_relative_difference_compartments", std::to_string(c.compartments));
  EXPECT_LE(c.cells_norm, 1e-6);
  EXPECT_LE(c.cells_elementwise, 1e-6);
  EXPECT_LE(c.compartments, 1e-6);

  // The comparison means something only if the state moved: the film lost a good part of its
  // load to the skin, the receptor, the degradation and the clearance.
  const std::size_t n = p.cell_count();
  EXPECT_LT(x_rk4[n + kVehicleConcentration], 0.95 * p.vehicle_concentration);
  EXPECT_GT(x_rk4[n + kReceptor], 1e-6 * p.applied_ug);
  EXPECT_GT(x_rk4[n + kDegraded], 1e-3 * p.applied_ug);
  EXPECT_GT(x_rk4[n + kSystemic], 1e-6 * p.applied_ug);
  return stepper.counters();
}

TEST(RkcVsRk4, SameFinalStateOnSmall3DProblem) {
  const RkcCounters counters = compare_rkc_with_rk4(small_problem(4e-4, 1e-6, kNeverCloses), "open channel");
  EXPECT_GT(counters.max_stages, 2);
}

// Closing channels: the coefficients change with time. RK4 sees them exactly at every stage; RKC
// freezes them per step, and must still agree.
TEST(RkcVsRk4, SameFinalStateWithClosingChannel) {
  DiscreteProblem p = small_problem(4e-4, 1e-6, 600.0);
  p.duration_s = 300.0;
  p.output_times_s = {p.duration_s};
  compare_rkc_with_rk4(p, "closing channel, tau 600 s");
}

// Each backend's solve() (RKC, rtol 1e-9) against the same RK4 reference state.
class RkcVsRk4Backends : public BackendTest {};

TEST_P(RkcVsRk4Backends, BackendSolveMatchesRk4) {
  const DiscreteProblem p = small_problem(4e-4, 1e-6, kNeverCloses);
  static const Rk4Result rk4 = rk4_reference(p);  // once for all backends
  const State& x_rk4 = rk4.x;

  DiscreteProblem q = p;
  q.rtol = 1e-9;
  q.atol = 1e-12 * p.vehicle_concentration;
  SolverStats stats;
  const auto snaps = solve(q, &stats);
  ASSERT_EQ(snaps.size(), 2u);
  const Comparison c = compare(p, snaps.back().state, x_rk4);
  std::cout << "[ rkc/rk4  ] " << GetParam() << " solve(): cells " << c.cells_norm << " (element-wise "
            << c.cells_elementwise << "), compartments " << c.compartments << '\n';
  EXPECT_LE(c.cells_norm, 1e-6);
  EXPECT_LE(c.cells_elementwise, 1e-6);
  EXPECT_LE(c.compartments, 1e-6);
}

POREFLUX_INSTANTIATE_FOR_BACKENDS(RkcVsRk4Backends);

// Forwards to the transport system and remembers the largest spectral radius the stepper asked
// for since the last reset.
struct ObservedSystem {
  TransportSystem<Exec>& system;
  double rho = 0.0;
  void operator()(const State& x, State& dxdt, double t) { system(x, dxdt, t); }
  double spectral_radius(const State& x, double t0, double t1) {
    const double r = system.spectral_radius(x, t0, t1);
    rho = std::max(rho, r);
    return r;
  }
};

// A stiff case (1 um top cells, an aqueous channel): every attempted step must use
// m = max(2, 1 + floor(sqrt(1 + 1.54 h rho))) stages and satisfy h rho <= 0.653 m^2, where h is
// the step actually taken (the proposal, shortened to the max_stages cap), and rho must bound the
// operator's spectrum (checked against power iteration at a few times).
TEST(RkcStepperContract, StageCountAndStabilityOnStiffProblem) {
  DiscreteProblem p = small_problem(1e-4, 9e-6, 1800.0);
  p.duration_s = 300.0;
  p.output_times_s = {p.duration_s};
  p.rtol = 1e-5;
  p.atol = 1e-9 * p.vehicle_concentration;
  p.max_stages = 8;  // low enough that the cap binds on some steps
  TransportSystem<Exec> system(p);
  ObservedSystem observed{system};
  State x = system.initial_state();
  RkcStepper<Exec> stepper(system.state_size(), system.controlled_size(), p.rtol, p.atol, p.max_stages);

  for (double t : {0.0, 0.5 * p.duration_s, p.duration_s}) {
    const double bound = system.spectral_radius(t);  // also freezes the coefficients at t
    const double estimate = power_iteration(system, t, 3000);
    EXPECT_LE(estimate, bound) << "t = " << t;
    EXPECT_GT(estimate, 0.5 * bound) << "t = " << t << ": the bound is needlessly loose";
    std::cout << "[ rkc      ] t = " << t << " s: Gershgorin rho = " << bound << " 1/s, power iteration " << estimate
              << " (" << estimate / bound << " of the bound)\n";
  }

  double t = 0.0, dt = p.initial_step_s;
  long attempts = 0, capped = 0;
  int largest_m = 0;
  while (t < p.duration_s && attempts < 100000) {
    double try_dt = std::min(dt, p.duration_s - t);
    const double proposal = try_dt, t_before = t;
    const long stages_before = stepper.counters().stages;
    observed.rho = 0.0;
    const auto result = stepper.try_step(boost::ref(observed), x, t, try_dt);
    ++attempts;
    const double rho = observed.rho;
    const int m = static_cast<int>(stepper.counters().stages - stages_before) + 1;  // stage 1 reuses F(x)
    const double max_h = (std::pow(p.max_stages - 1.0, 2) - 1.0) / (1.54 * rho);
    const double h = std::min(proposal, max_h);
    if (proposal > max_h) ++capped;
    largest_m = std::max(largest_m, m);
    const int expected = std::max(2, 1 + static_cast<int>(std::floor(std::sqrt(1.0 + 1.54 * h * rho))));
    ASSERT_EQ(m, expected) << "attempt " << attempts << ", h = " << h << ", rho = " << rho;
    ASSERT_LE(h * rho, 0.653 * m * m) << "attempt " << attempts;
    ASSERT_LE(m, p.max_stages);
    if (result == odeint::success) {
      ASSERT_NEAR(t - t_before, h, 1e-12 * t);
    } else {
      ASSERT_EQ(t, t_before);
    }
    dt = try_dt;
  }
  ASSERT_GE(t, p.duration_s) << "the integration did not finish";
  std::cout << "[ rkc      ] stiff case: " << attempts << " attempts, " << stepper.counters().rejected << " rejected, "
            << capped << " capped at max_stages, largest m = " << largest_m << '\n';
  EXPECT_EQ(largest_m, stepper.counters().max_stages);
  EXPECT_GT(stepper.counters().max_stages, 2);
  EXPECT_GT(capped, 0) << "the stage cap never bound; the test did not exercise it";
}

// Closing channels change the coefficients slowly (tau = 600 s, far longer than the steps), so
// they must not shrink the accuracy-limited step much: the step count with closure may grow a
// little, not by multiples. (Coefficients that jump between steps kick the stiff channel cells out
// of equilibrium at every step, which the error estimate sees as a fast transient.)
TEST(RkcStepperContract, ClosingChannelsDoNotMultiplyTheStepCount) {
  auto steps = [](double tau) {
    DiscreteProblem p = small_problem(4e-4, 1e-6, tau);
    p.rtol = 1e-6;
    p.atol = 1e-12 * p.vehicle_concentration;
    CollectingSink sink;
    return make_reference_backend()->solve(p, sink, RunControl{}).steps;
  };
  const long open = steps(kNeverCloses), closing = steps(600.0);
  std::cout << "[ rkc      ] steps over 900 s at rtol 1e-6: open channel " << open << ", closing channel (tau 600 s) "
            << closing << " (x" << static_cast<double>(closing) / open << ")\n";
  EXPECT_LE(closing, 2 * open);
}

}  // namespace
}  // namespace poreflux::testing
