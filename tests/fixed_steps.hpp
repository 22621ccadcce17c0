// An implicit stepper driven at fixed steps with its error control switched off (tolerances so
// loose no step is rejected): the observed order of a method against a reference solution.
#pragma once

#include <utility>  // before odeint: Boost 1.74's check_adapter.hpp uses std::pair unincluded
#include <vector>

#include <gtest/gtest.h>
#include <boost/numeric/odeint/stepper/controlled_step_result.hpp>
#include <boost/ref.hpp>

#include "poreflux/problem.hpp"
#include "poreflux/solver/linear_solvers.hpp"
#include "poreflux/solver/transport_system.hpp"

namespace poreflux::testing {

// The state after `steps` equal steps over the problem's duration, and the steps the stepper
// counted as accepted.
template <class Exec, template <class, class> class Stepper>
std::pair<std::vector<double>, long> run_fixed_steps(const DiscreteProblem& p, int steps) {
  TransportSystem<Exec> system(p);
  SparseLinearSolver<Exec> linear;
  Stepper<Exec, SparseLinearSolver<Exec>> stepper(system.state_size(), system.controlled_size(), 1e6, 1e6, linear);
  std::vector<double> x = system.initial_state();
  stepper.start(system, x, 0.0);
  double t = 0.0;
  const double h = p.duration_s / steps;
  for (int s = 0; s < steps; ++s) {
    double dt = h;
    EXPECT_EQ(stepper.try_step(boost::ref(system), x, t, dt), boost::numeric::odeint::success);
  }
  return {std::move(x), static_cast<long>(stepper.counters().accepted)};
}

}  // namespace poreflux::testing
