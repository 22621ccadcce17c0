// The time loop shared by every backend and every method. The integrator seam: one
// TransportSystem (the operator, written once), a controlled stepper of the chosen method
// (time_methods.hpp: RkcStepper, or TrBdf2Stepper or EsdirkStepper over a sparse direct or
// Krylov linear solver) wrapped in
// DenseOutputStepper, and Boost.Odeint's integrate_times driving it between events (wipe-off).
// Output times are interpolated, never stepped to; the sink receives host copies of the state
// at output times and the permeation at every step end.
#pragma once

#include <cstdlib>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/numeric/odeint/integrate/integrate_times.hpp>
#include <boost/ref.hpp>

#include "poreflux/backend.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/solver/dense_output.hpp"
#include "poreflux/solver/esdirk_stepper.hpp"
#include "poreflux/solver/linear_solvers.hpp"
#include "poreflux/solver/rkc_stepper.hpp"
#include "poreflux/solver/transport_system.hpp"
#include "poreflux/solver/trbdf2_stepper.hpp"
#include "poreflux/time_methods.hpp"

namespace poreflux {

// What `auto` weighs (measured, docs/BENCHMARKS.md): RKC costs m ≈ sqrt(1.54 h ρ) operator
// evaluations per step; a TR-BDF2 step costs three linear solves. With the sparse Cholesky on
// a 1D column or a 2D (axisymmetric) grid a solve is cheap, and implicit wins from a few stages
// on; on a 3D grid each preconditioned CG solve is ~10-20 iterations of ~2 operator
// evaluations each, and implicit wins only when RKC would need hundreds of stages.
constexpr double kStiffStagesDirect = 10.0;
constexpr double kStiffStagesKrylov = 300.0;
// The sparse Cholesky's fill-in grows fast in 3D (11 k cells: 10 ms a solve); it is chosen on
// grids with one lateral cell (1D, axisymmetric, 2D slabs) or tiny 3D grids, on host memory.
constexpr std::size_t kDirectSolverMaxCells = 50000;
constexpr std::size_t kDirectSolverMax3dCells = 2000;

// kHighOrderRtol (time_methods.hpp): below it `auto` takes ESDIRK over TR-BDF2.

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

inline MethodPlan plan_method(const DiscreteProblem& p, double rho, bool host_memory) {
  MethodPlan plan;
  const bool flat = p.nx() == 1 || p.ny() == 1;
  const bool direct_fits = host_memory && p.cell_count() <= (flat ? kDirectSolverMaxCells : kDirectSolverMax3dCells);
  LinearSolverKind linear = p.linear_solver;
  std::string linear_why;
  if (linear == LinearSolverKind::automatic) {
    linear = direct_fits ? LinearSolverKind::direct : LinearSolverKind::krylov;
    linear_why = std::string("; linear solver auto chose ") +
                 (linear == LinearSolverKind::direct ? "direct" : "krylov") + " (" + std::to_string(p.cell_count()) +
                 " cells, " + (flat ? "one lateral cell" : "3D") + (host_memory ? "" : ", device memory") + ")";
  }
  const double stages = std::sqrt(1.0 + 1.54 * rho * p.duration_s / 100.0);
  const double threshold = linear == LinearSolverKind::direct ? kStiffStagesDirect : kStiffStagesKrylov;
  const std::string stiffness = "spectral radius " + format_g(rho) + " /s: RKC would need ~" +
                                format_g(std::ceil(stages)) + " stages per step of duration/100";
  if (p.method == TimeMethod::automatic) {
    const bool stiff = stages > threshold;
    const bool tight = p.rtol < kHighOrderRtol;
    plan.method = !stiff ? TimeMethod::rkc : tight ? TimeMethod::esdirk : TimeMethod::implicit;
    plan.why = std::string("auto chose ") + time_method_name(plan.method) + " (" + stiffness +
               (stiff ? " > " : " <= ") + format_g(threshold) +
               (stiff ? std::string("; rtol ") + format_g(p.rtol) + (tight ? " < " : " >= ") +
                            format_g(kHighOrderRtol) + (tight ? ": fourth order" : ": second order")
                      : std::string()) +
               ")";
  } else {
    plan.method = p.method;
    plan.why = std::string("method = ") + time_method_name(p.method) + " (" + stiffness + ")";
  }
  plan.linear = linear;
  if (plan.method != TimeMethod::rkc) plan.why += linear_why;
  return plan;
}

namespace detail {

// Integrates segment by segment with any dense-output stepper; records outputs and step ends.
template <class Exec, class Dense>
void integrate_segments(const DiscreteProblem& problem, TransportSystem<Exec>& system, Dense& dense,
                        typename Exec::vector& x, SnapshotSink& sink, const RunControl& control) {
  const std::size_t n = system.cells();
  auto permeated = [n](const typename Exec::vector& v) {
    return Exec::get(v, n + kReceptor) + Exec::get(v, n + kSystemic);
  };
  dense.on_step = [&](double, double t) {
    if (control.interrupt && *control.interrupt) throw Interrupted();
    sink.record_step(t, permeated(dense.current_state()), permeated(dense.current_derivative()));
    sink.record_film(t, system.segment(), Exec::get(dense.current_state(), n + kVehicleConcentration));
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
    sink.record_film(0.0, 0, Exec::get(x, n + kVehicleConcentration));
  }

  // Segments end at the film's events (washes, applications) and where it dries (channels stop
  // being fed: a jump in the coefficients); each is one integrate_times call over its output
  // times. An event is applied to the state between two segments.
  const FilmHistory& film = system.film();
  struct Break {
    double t;
    int event;  // index into film.events, -1 (a change of coefficients only) or kNeedling
  };
  constexpr int kNeedling = -2;
  std::vector<Break> breaks;
  for (std::size_t e = 0; e < film.events.size(); ++e) breaks.push_back({film.events[e].time_s, static_cast<int>(e)});
  for (const FilmSegment& seg : film.segments) {
    if (seg.dry_from_s > seg.start_s && seg.dry_from_s < seg.end_s) breaks.push_back({seg.dry_from_s, -1});
    // The stratum corneum dehydrates: its coefficients jump (MODEL.md §3).
    if (seg.dehydrated_from_s > seg.start_s && seg.dehydrated_from_s < seg.end_s)
      breaks.push_back({seg.dehydrated_from_s, -1});
  }
  // Needling comes before an application at the same time (needle, then apply).
  for (double t : problem.needling_times_s) breaks.push_back({t, kNeedling});
  std::stable_sort(breaks.begin(), breaks.end(), [&](const Break& p, const Break& q) {
    return p.t < q.t || (p.t == q.t && p.event == kNeedling && q.event != kNeedling);
  });
  breaks.push_back({problem.duration_s, -1});

  double dt = problem.initial_step_s;
  double a = 0.0;
  for (const Break& brk : breaks) {
    const double b = brk.t;
    if (b > a) {
      std::vector<double> times{a};
      for (double t : problem.output_times_s)
        if (t > a && t < b) times.push_back(t);
      times.push_back(b);
      const bool b_is_output =
          std::find(problem.output_times_s.begin(), problem.output_times_s.end(), b) != problem.output_times_s.end();
      auto observer = [&](const typename Exec::vector&, double t) {
        if (t == a) return;  // the segment's start was recorded already (or is an event time)
        if (t == b && !b_is_output) return;
        record(t);
      };
      system.set_segment_end(b);  // up to b the film is as before the break (left limits)
      boost::numeric::odeint::integrate_times(boost::ref(dense), boost::ref(system), x, times.begin(), times.end(), dt,
                                              observer);
      a = b;
    }
    if (brk.event == kNeedling) system.needle_again(brk.t);
    if (brk.event >= 0) system.apply_event(x, static_cast<std::size_t>(brk.event));
    // Past a break the coefficients or the film have jumped (an application, a wash, the film
    // dry, the SC dehydrated, channels made again): the solution starts a transient on the
    // fast time scales, so the step restarts small, as at t = 0. Carrying the last step over
    // put that transient inside one long step, whose end the error control checks but whose
    // interior the dense output cannot follow (measured: 6e-5 of the uptake, 9 s into a 120 s
    // step after configs/default.toml's film dried; docs/MODEL.md §8).
    dt = problem.initial_step_s;
    dense.reset();
  }
}

// An implicit method of the registry (time_methods.hpp) over one linear solver.
template <class Method, class Exec, class Linear>
void run_implicit(const DiscreteProblem& problem, TransportSystem<Exec>& system, Linear& linear,
                  typename Exec::vector& x, SnapshotSink& sink, const RunControl& control, SolverStats& stats) {
  using Stepper = typename Method::template stepper<Exec, Linear>;
  Stepper stepper(system.state_size(), system.controlled_size(), problem.rtol, problem.atol, linear);
  DenseOutputStepper<Exec, Stepper> dense(stepper, system.state_size());
  integrate_segments(problem, system, dense, x, sink, control);
  stats.method = std::string(Method::description) + ", " + Linear::name() + ", Hermite dense output";
  stats.steps = stepper.counters().accepted;
  stats.rejected_steps = stepper.counters().rejected;
  stats.operator_products = linear.counters().operator_products;
  stats.linear_solves = linear.counters().solves;
  stats.linear_iterations = linear.counters().iterations;
  stats.factorizations = linear.counters().factorizations;
}

// One registry entry: the factory (Method::stepper) built and run.
template <class Method, class Exec>
void run_method(const DiscreteProblem& problem, const MethodPlan& plan, TransportSystem<Exec>& system,
                typename Exec::vector& x, SnapshotSink& sink, const RunControl& control, SolverStats& stats) {
  stats.method_name = Method::name;
  if constexpr (!Method::implicit) {
    using Stepper = typename Method::template stepper<Exec, void>;
    Stepper stepper(system.state_size(), system.controlled_size(), problem.rtol, problem.atol, problem.max_stages);
    DenseOutputStepper<Exec, Stepper> dense(stepper, system.state_size());
    integrate_segments(problem, system, dense, x, sink, control);
    stats.method = std::string(Method::description) + ", Hermite dense output";
    stats.steps = stepper.counters().accepted;
    stats.rejected_steps = stepper.counters().rejected;
    stats.max_stages = stepper.counters().max_stages;
  } else if (plan.linear == LinearSolverKind::direct) {
    stats.linear_solver = "direct";
    SparseLinearSolver<Exec> linear;
    run_implicit<Method>(problem, system, linear, x, sink, control, stats);
  } else {
    stats.linear_solver = "krylov";
    KrylovLinearSolver<Exec> linear(system.state_size(), system.cells(), problem.rtol, problem.atol, 2000,
                                    krylov_preconditioner_from_environment());
    run_implicit<Method>(problem, system, linear, x, sink, control, stats);
  }
}

// Runs the registry entry the plan names.
template <class Exec, class... Methods>
void run_planned(MethodList<Methods...>, const DiscreteProblem& problem, const MethodPlan& plan,
                 TransportSystem<Exec>& system, typename Exec::vector& x, SnapshotSink& sink, const RunControl& control,
                 SolverStats& stats) {
  const bool ran =
      ((plan.method == Methods::id ? (run_method<Methods>(problem, plan, system, x, sink, control, stats), true)
                                   : false) ||
       ...);
  if (!ran) throw std::logic_error("run_transport: no time method registered for the plan's method");
}

}  // namespace detail

template <class Exec>
SolverStats run_transport(const DiscreteProblem& problem, SnapshotSink& sink, const RunControl& control) {
  const auto start = std::chrono::steady_clock::now();
  TransportSystem<Exec> system(problem);
  system.set_interrupt(control.interrupt);
  typename Exec::vector x = system.initial_state();
  SolverStats stats;
  stats.spectral_radius_per_s = system.spectral_radius(0.0);
  const MethodPlan plan = plan_method(problem, stats.spectral_radius_per_s, Exec::kHostMemory);
  stats.method_choice = plan.why;
  detail::run_planned(TimeMethodList{}, problem, plan, system, x, sink, control, stats);
  stats.rhs_evaluations = system.rhs_evaluations();
  stats.cells = system.cells();
  stats.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace poreflux
