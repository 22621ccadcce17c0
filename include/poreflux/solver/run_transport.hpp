// The time loop shared by every backend: Boost.Odeint's integrate_times drives the RKC stepper
// between events (wipe-off), and the sink receives host copies of the state at output times.
#pragma once

#include <algorithm>
#include <chrono>
#include <vector>

#include <boost/numeric/odeint/integrate/integrate_times.hpp>
#include <boost/ref.hpp>

#include "poreflux/backend.hpp"
#include "poreflux/solver/rkc_stepper.hpp"
#include "poreflux/solver/transport_system.hpp"

namespace poreflux {

template <class Exec>
SolverStats run_transport(const DiscreteProblem& problem, SnapshotSink& sink, const RunControl& control) {
  const auto start = std::chrono::steady_clock::now();
  TransportSystem<Exec> system(problem);
  typename Exec::vector x = system.initial_state();
  RkcStepper<Exec> stepper(system.state_size(), system.controlled_size(), problem.rtol, problem.atol,
                           problem.max_stages);
  stepper.on_accept = [&](double t) {
    if (control.interrupt && *control.interrupt) throw Interrupted();
    if (control.progress) control.progress(t);
  };

  std::vector<double> host;
  auto record = [&](double t) {
    Exec::download(x, host);
    sink.record(t, host);
  };
  record(0.0);

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
    boost::numeric::odeint::integrate_times(boost::ref(stepper), boost::ref(system), x, times.begin(), times.end(),
                                            dt, observer);
    if (stepper.suggested_dt() > 0.0) dt = stepper.suggested_dt();
    if (problem.wipe_time_s && b == *problem.wipe_time_s) {
      system.wipe(x);
      stepper.reset();
    }
  }

  SolverStats stats;
  stats.steps = stepper.counters().accepted;
  stats.rejected_steps = stepper.counters().rejected;
  stats.rhs_evaluations = system.rhs_evaluations();
  stats.max_stages = stepper.counters().max_stages;
  stats.cells = system.cells();
  stats.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return stats;
}

}  // namespace poreflux
