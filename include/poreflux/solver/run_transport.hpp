// The time loop shared by every backend and every method. The integrator seam: one
// TransportSystem (the operator, written once), a controlled stepper of the chosen method
// (RkcStepper, or TrBdf2Stepper over a sparse direct or Krylov linear solver) wrapped in
// DenseOutputStepper, and Boost.Odeint's integrate_times driving it between events (wipe-off).
// Output times are interpolated, never stepped to; the sink receives host copies of the state
// at output times and the permeation at every step end.
#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <boost/numeric/odeint/integrate/integrate_times.hpp>
#include <boost/ref.hpp>

#include "poreflux/backend.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/solver/dense_output.hpp"
#include "poreflux/solver/linear_solvers.hpp"
#include "poreflux/solver/rkc_stepper.hpp"
#include "poreflux/solver/transport_system.hpp"
#include "poreflux/solver/trbdf2_stepper.hpp"

namespace poreflux {

// What `auto` weighs: RKC needs m ≈ sqrt(1.54 h ρ) stages per step, TR-BDF2 two linear solves.
// At a step of a hundredth of the run, more than kStiffStages stages means stiff.
constexpr double kStiffStages = 10.0;
// Above this many cells (or on a device without host memory) the implicit stages use Krylov.
constexpr std::size_t kDirectSolverMaxCells = 20000;

struct MethodPlan {
  TimeMethod method = TimeMethod::rkc;
  LinearSolverKind linear = LinearSolverKind::direct;
  std::string why;
};

inline std::string format_g(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

inline MethodPlan plan_method_impl(const DiscreteProblem& p, double rho, bool host_memory);
inline MethodPlan plan_method(const DiscreteProblem& p, double rho, bool host_memory) {
  MethodPlan plan;
  DiscreteProblem dbg = p;
  if (const char* m = std::getenv("PF_METHOD")) { dbg.method = std::string(m) == "rkc" ? TimeMethod::rkc : TimeMethod::implicit; }
  if (const char* m = std::getenv("PF_LINEAR")) { dbg.linear_solver = std::string(m) == "direct" ? LinearSolverKind::direct : LinearSolverKind::krylov; }
  return plan_method_impl(dbg, rho, host_memory);
}
inline MethodPlan plan_method_impl(const DiscreteProblem& p, double rho, bool host_memory) {
  MethodPlan plan;
  const double stages = std::sqrt(1.0 + 1.54 * rho * p.duration_s / 100.0);
  const std::string stiffness = "spectral radius " + format_g(rho) + " /s: RKC would need ~" + format_g(std::ceil(stages)) +
                                " stages per step of duration/100";
  if (p.method == TimeMethod::automatic) {
    plan.method = stages > kStiffStages ? TimeMethod::implicit : TimeMethod::rkc;
    plan.why = std::string("auto chose ") + (plan.method == TimeMethod::implicit ? "implicit" : "rkc") + " (" +
               stiffness + (stages > kStiffStages ? " > " : " <= ") + format_g(kStiffStages) + ")";
  } else {
    plan.method = p.method;
    plan.why = std::string("method = ") + (p.method == TimeMethod::implicit ? "implicit" : "rkc") + " (" + stiffness + ")";
  }
  if (plan.method == TimeMethod::implicit) {
    plan.linear = p.linear_solver;
    if (plan.linear == LinearSolverKind::automatic) {
      plan.linear = host_memory && p.cell_count() <= kDirectSolverMaxCells ? LinearSolverKind::direct : LinearSolverKind::krylov;
      plan.why += std::string("; linear solver auto chose ") + (plan.linear == LinearSolverKind::direct ? "direct" : "krylov") +
                  " (" + std::to_string(p.cell_count()) + " cells" + (host_memory ? "" : ", device memory") + ")";
    }
  }
  return plan;
}

namespace detail {

// Integrates segment by segment with any dense-output stepper; records outputs and step ends.
template <class Exec, class Dense>
void integrate_segments(const DiscreteProblem& problem, TransportSystem<Exec>& system, Dense& dense,
                        typename Exec::vector& x, SnapshotSink& sink, const RunControl& control) {
  const std::size_t n = system.cells();
  auto permeated = [n](const typename Exec::vector& v) { return Exec::get(v, n + kReceptor) + Exec::get(v, n + kSystemic); };
  dense.on_step = [&](double, double t) {
    if (control.interrupt && *control.interrupt) throw Interrupted();
    sink.record_step(t, permeated(dense.current_state()), permeated(dense.current_derivative()));
    if (control.progress) control.progress(t);
  };

  std::vector<double> host;
  auto record = [&](double t) {
    Exec::download(x, host);
    sink.record(t, host);
  };
  record(0.0);
  {
    typename Exec::vector f;
    Exec::resize(f, system.state_size());
    system(x, f, 0.0);
    sink.record_step(0.0, permeated(x), permeated(f));
  }

  // Segments end at events; each is one integrate_times call over its output times.
  std::vector<double> breaks{0.0};
  if (problem.wipe_time_s) breaks.push_back(*problem.wipe_time_s);
  breaks.push_back(problem.duration_s);

  double dt = problem.initial_step_s;
  for (std::size_t s = 0; s + 1 < breaks.size(); ++s) {
    const double a = breaks[s], b = breaks[s + 1];
    std::vector<double> times{a};
    for (double t : problem.output_times_s)
      if (t > a && t < b) times.push_back(t);
    times.push_back(b);
    const bool b_is_output = std::find(problem.output_times_s.begin(), problem.output_times_s.end(), b) !=
                             problem.output_times_s.end();
    auto observer = [&](const typename Exec::vector&, double t) {
      if (t == a) return;  // the segment's start was recorded already (or is an event time)
      if (t == b && !b_is_output) return;
      record(t);
    };
    boost::numeric::odeint::integrate_times(boost::ref(dense), boost::ref(system), x, times.begin(), times.end(), dt,
                                            observer);
    if (dense.current_time_step() > 0.0) dt = dense.current_time_step();
    if (problem.wipe_time_s && b == *problem.wipe_time_s) {
      system.wipe(x);
      dense.reset();
    }
  }
}

template <class Exec, class Linear>
void run_implicit(const DiscreteProblem& problem, TransportSystem<Exec>& system, Linear& linear,
                  typename Exec::vector& x, SnapshotSink& sink, const RunControl& control, SolverStats& stats) {
  TrBdf2Stepper<Exec, Linear> stepper(system.state_size(), system.controlled_size(), problem.rtol, problem.atol, linear);
  DenseOutputStepper<Exec, TrBdf2Stepper<Exec, Linear>> dense(stepper, system.state_size());
  integrate_segments(problem, system, dense, x, sink, control);
  stats.method = std::string("TR-BDF2 (Bank et al. 1985, Hosea-Shampine 1996 error control), ") + Linear::name() +
                 ", Hermite dense output";
  stats.steps = stepper.counters().accepted;
  stats.rejected_steps = stepper.counters().rejected;
  stats.operator_products = linear.counters().operator_products;
  stats.linear_solves = linear.counters().solves;
  stats.linear_iterations = linear.counters().iterations;
  stats.factorizations = linear.counters().factorizations;
}

}  // namespace detail

template <class Exec>
SolverStats run_transport(const DiscreteProblem& problem, SnapshotSink& sink, const RunControl& control) {
  const auto start = std::chrono::steady_clock::now();
  TransportSystem<Exec> system(problem);
  typename Exec::vector x = system.initial_state();
  SolverStats stats;
  stats.spectral_radius_per_s = system.spectral_radius(0.0);
  const MethodPlan plan = plan_method(problem, stats.spectral_radius_per_s, Exec::kHostMemory);
  stats.method_choice = plan.why;

  if (plan.method == TimeMethod::rkc) {
    RkcStepper<Exec> stepper(system.state_size(), system.controlled_size(), problem.rtol, problem.atol,
                             problem.max_stages);
    DenseOutputStepper<Exec, RkcStepper<Exec>> dense(stepper, system.state_size());
    detail::integrate_segments(problem, system, dense, x, sink, control);
    stats.method = "RKC2 (Sommeijer-Shampine-Verwer 1998, damping 2/13), symmetrised Gershgorin spectral radius, "
                   "Hermite dense output";
    stats.method_name = "rkc";
    stats.steps = stepper.counters().accepted;
    stats.rejected_steps = stepper.counters().rejected;
    stats.max_stages = stepper.counters().max_stages;
  } else {
    stats.method_name = "implicit";
    if (plan.linear == LinearSolverKind::direct) {
      stats.linear_solver = "direct";
      SparseLinearSolver<Exec> linear;
      detail::run_implicit(problem, system, linear, x, sink, control, stats);
    } else {
      stats.linear_solver = "krylov";
      KrylovLinearSolver<Exec> linear(system.state_size(), system.cells(), problem.rtol, problem.atol, 2000);
      detail::run_implicit(problem, system, linear, x, sink, control, stats);
    }
  }
  stats.rhs_evaluations = system.rhs_evaluations();
  stats.cells = system.cells();
  stats.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (std::getenv("PF_DEBUG")) std::fprintf(stderr, "DEBUG %s: %zu cells %ld steps %ld solves %ld iters %ld facts %.3f s\n", stats.method_choice.c_str(), stats.cells, stats.steps, stats.linear_solves, stats.linear_iterations, stats.factorizations, stats.wall_s);
  return stats;
}

}  // namespace poreflux
