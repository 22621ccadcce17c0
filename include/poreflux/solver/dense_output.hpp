// Dense output for any of the controlled steppers (RkcStepper, TrBdf2Stepper), as a Boost.Odeint
// *dense-output stepper*: odeint's integrate_times then takes full steps and interpolates the
// output times, which no longer cut steps short. The interpolant is the cubic Hermite through
// (y_n, f_n) and (y_n+1, f_n+1): third-order accurate, and since its weights on y_n and y_n+1
// sum to one while every F conserves mass, every interpolated state conserves mass too.
//
// The controlled stepper offers try_step (odeint's signature), start(sys, x, t) (computes
// F(x, t)) and derivative() (F at its accepted state).
#pragma once

#include <cstddef>
#include <functional>
#include <stdexcept>
#include <string>
#include <utility>

#include <boost/numeric/odeint/stepper/controlled_step_result.hpp>
#include <boost/numeric/odeint/stepper/stepper_categories.hpp>
#include <boost/numeric/odeint/util/unwrap_reference.hpp>
#include <boost/ref.hpp>

#include "poreflux/kernels/vector_K.hpp"

namespace poreflux {

// Cubic Hermite basis on [t0, t0 + h] at theta = (t - t0) / h: value weights and, for rates,
// the derivative weights (per unit time).
struct HermiteWeights {
  double y0, f0, y1, f1;
};
inline HermiteWeights hermite_value(double theta, double h) {
  const double t2 = theta * theta, t3 = t2 * theta;
  return {2 * t3 - 3 * t2 + 1, h * (t3 - 2 * t2 + theta), -2 * t3 + 3 * t2, h * (t3 - t2)};
}
inline HermiteWeights hermite_rate(double theta, double h) {
  const double t2 = theta * theta;
  return {(6 * t2 - 6 * theta) / h, 3 * t2 - 4 * theta + 1, (-6 * t2 + 6 * theta) / h, 3 * t2 - 2 * theta};
}

template <class Exec, class Controlled>
class DenseOutputStepper {
 public:
  using state_type = typename Exec::vector;
  using deriv_type = state_type;
  using value_type = double;
  using time_type = double;
  using stepper_category = boost::numeric::odeint::dense_output_stepper_tag;

  DenseOutputStepper(Controlled& stepper, std::size_t n) : stepper_(stepper), n_(n) {
    for (state_type* v : {&previous_, &previous_f_, &current_}) Exec::resize(*v, n);
  }

  // After each accepted step: (t_previous, t_current); reads the ends through previous(),
  // previous_derivative(), current_state() and current_derivative().
  std::function<void(double, double)> on_step;

  void initialize(const state_type& x0, double t0, double dt0) {
    if (&x0 != &current_) {  // odeint re-initialises with current_state() for the last step
      Exec::for_each(n_, CopyK{Exec::data(current_), Exec::data(x0)});
      started_ = false;
    }
    t_ = t0;
    dt_ = dt0;
  }

  template <class System>
  std::pair<double, double> do_step(System system) {
    typename boost::numeric::odeint::unwrap_reference<System>::type& sys = system;
    if (!started_) {
      stepper_.start(sys, current_, t_);
      started_ = true;
    }
    Exec::for_each(n_, CopyK{Exec::data(previous_), Exec::data(current_)});
    Exec::for_each(n_, CopyK{Exec::data(previous_f_), Exec::data(stepper_.derivative())});
    t_previous_ = t_;
    for (int failures = 0; stepper_.try_step(boost::ref(sys), current_, t_, dt_) == boost::numeric::odeint::fail;) {
      if (++failures > 200)
        throw std::runtime_error("time integrator: 200 rejected steps in a row at t = " + std::to_string(t_) +
                                 " s (step " + std::to_string(dt_) +
                                 " s): the problem is ill-posed or the tolerances too tight");
    }
    if (on_step) on_step(t_previous_, t_);
    return {t_previous_, t_};
  }

  void calc_state(double t, state_type& x) const {
    const double h = t_ - t_previous_;
    if (!(h > 0.0)) {
      Exec::for_each(n_, CopyK{Exec::data(x), Exec::data(current_)});
      return;
    }
    const HermiteWeights w = hermite_value((t - t_previous_) / h, h);
    Exec::for_each(n_, ScaleSum4K{Exec::data(x), Exec::data(previous_), Exec::data(previous_f_), Exec::data(current_),
                                  Exec::data(stepper_.derivative()), w.y0, w.f0, w.y1, w.f1});
  }

  const state_type& current_state() const { return current_; }
  const state_type& current_derivative() const { return stepper_.derivative(); }
  const state_type& previous_state() const { return previous_; }
  const state_type& previous_derivative() const { return previous_f_; }
  double current_time() const { return t_; }
  double previous_time() const { return t_previous_; }
  double current_time_step() const { return dt_; }

  // The state was changed from outside (an event): F must be evaluated afresh.
  void reset() { started_ = false; }

 private:
  Controlled& stepper_;
  std::size_t n_;
  state_type previous_, previous_f_, current_;
  double t_ = 0.0, t_previous_ = 0.0, dt_ = 0.0;
  bool started_ = false;
};

}  // namespace poreflux
