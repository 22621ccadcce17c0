// Second-order Runge–Kutta–Chebyshev (Sommeijer, Shampine & Verwer 1998, J Comput Appl Math
// 88:315; damping eps = 2/13), with the local error estimate and step-size control of their
// RKC code, as a Boost.Odeint *controlled stepper*: odeint's integrate_times drives it.
//
// The system must provide operator()(x, dxdt, t) and spectral_radius(x, t0, t1) (an upper bound over [t0, t1], here
// Gershgorin). Vector work goes through the backend's Exec policy and the point-wise functors
// of kernels/vector_K.hpp, so this file is shared by every backend.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>

#include <boost/numeric/odeint/stepper/controlled_step_result.hpp>
#include <boost/numeric/odeint/stepper/stepper_categories.hpp>
#include <boost/numeric/odeint/util/unwrap_reference.hpp>

#include "poreflux/kernels/vector_K.hpp"

namespace poreflux {

struct RkcCounters {
  long accepted = 0;
  long rejected = 0;
  long stages = 0;  // RHS evaluations inside stages (excludes error estimates)
  int max_stages = 0;
};

template <class Exec>
class RkcStepper {
 public:
  using state_type = typename Exec::vector;
  using deriv_type = state_type;
  using value_type = double;
  using time_type = double;
  using stepper_category = boost::numeric::odeint::controlled_stepper_tag;

  // n: state size; controlled: leading entries weighed by the error norm.
  RkcStepper(std::size_t n, std::size_t controlled, double rtol, double atol, int max_stages)
      : n_(n), controlled_(controlled), rtol_(rtol), atol_(atol), max_stages_(std::max(2, max_stages)) {
    for (state_type* v : {&fn_, &fnew_, &fjm1_, &y_, &yjm1_, &yjm2_}) Exec::resize(*v, n);
  }

  // Called after each accepted step with the new time (progress, interruption).
  std::function<void(double)> on_accept;

  // The state was changed from outside (an event): the cached F(x) is stale.
  void reset() { fn_valid_ = false; }

  const RkcCounters& counters() const { return counters_; }
  double suggested_dt() const { return suggested_dt_; }

  // F(x, t) at the start of a run or after an event; derivative() then tracks the accepted state
  // (first same as last), which the dense output needs at both ends of a step.
  template <class Sys>
  void start(Sys& sys, const state_type& x, double t) {
    sys(x, fn_, t);
    fn_valid_ = true;
    fn_time_ = t;
  }
  const state_type& derivative() const { return fn_; }

  template <class System>
  boost::numeric::odeint::controlled_step_result try_step(System system, state_type& x, double& t, double& dt) {
    typename boost::numeric::odeint::unwrap_reference<System>::type& sys = system;
    return step(sys, x, t, dt);
  }

 private:
  template <class Sys>
  boost::numeric::odeint::controlled_step_result step(Sys& sys, state_type& x, double& t, double& dt) {
    using boost::numeric::odeint::fail;
    using boost::numeric::odeint::success;
    if (!fn_valid_ || fn_time_ != t) {
      sys(x, fn_, t);
      fn_valid_ = true;
      fn_time_ = t;
    }
    // Stability needs h*rho <= 0.653 m^2; the stage count is capped by shortening the step.
    const double rho = sys.spectral_radius(x, t, t + dt);  // a bound over the step (h <= dt)
    const double h = std::min(dt, (std::pow(max_stages_ - 1.0, 2) - 1.0) / (1.54 * rho));
    const int m = std::max(2, 1 + static_cast<int>(std::sqrt(1.0 + 1.54 * h * rho)));
    counters_.max_stages = std::max(counters_.max_stages, m);

    advance_stages(sys, x, t, h, m);  // result in yjm1_
    sys(yjm1_, fnew_, t + h);

    const double sum = Exec::sum(
        controlled_, RkcErrorK{Exec::data(x), Exec::data(yjm1_), Exec::data(fn_), Exec::data(fnew_), h, rtol_, atol_},
        0.0);
    const double err = std::sqrt(sum / static_cast<double>(controlled_));
    if (!(err <= 1.0)) {
      ++counters_.rejected;
      dt = (std::isfinite(err) ? 0.8 / std::cbrt(err) : 0.1) * h;
      dt = std::max(dt, 0.1 * h);
      return fail;
    }
    // Accept: the new state and its derivative become the current ones (first same as last).
    x.swap(yjm1_);
    fn_.swap(fnew_);  // first same as last
    t += h;
    fn_time_ = t;
    ++counters_.accepted;
    dt = next_step(h, err);
    suggested_dt_ = dt;
    if (on_accept) on_accept(t);
    return success;
  }

  // Step size proposal of the RKC code (predictive controller after the first step).
  double next_step(double h, double err) {
    double fac = 10.0;
    const double e = std::max(err, 1e-10);
    if (counters_.accepted == 1 || h_old_ <= 0.0) {
      const double t2 = std::cbrt(e);
      if (0.8 < fac * t2) fac = 0.8 / t2;
    } else {
      const double t1 = 0.8 * h * std::cbrt(err_old_);
      const double t2 = h_old_ * std::pow(e, 2.0 / 3.0);
      if (t1 < fac * t2) fac = t1 / t2;
    }
    h_old_ = h;
    err_old_ = e;
    return std::max(0.1, fac) * h;
  }

  // The m-stage Chebyshev recursion (the RKC code's "step" routine), ending in yjm1_.
  template <class Sys>
  void advance_stages(Sys& sys, const state_type& x, double t, double h, int m) {
    const double w0 = 1.0 + 2.0 / (13.0 * m * m);
    const double temp1 = w0 * w0 - 1.0;
    const double temp2 = std::sqrt(temp1);
    const double arg = m * std::log(w0 + temp2);
    const double w1 = std::sinh(arg) * temp1 / (std::cosh(arg) * m * temp2 - w0 * std::sinh(arg));
    double bjm1 = 1.0 / ((2.0 * w0) * (2.0 * w0));
    double bjm2 = bjm1;

    const double* xn = Exec::data(x);
    // Stage 1: Y1 = Y0 + mu~1 h F0.
    double mus = w1 * bjm1;
    Exec::for_each(n_, CopyK{Exec::data(yjm2_), xn});
    Exec::for_each(n_, ScaleSum2K{Exec::data(yjm1_), xn, Exec::data(fn_), 1.0, h * mus});
    double thjm2 = 0.0, thjm1 = mus;
    double zjm1 = w0, zjm2 = 1.0, dzjm1 = 1.0, dzjm2 = 0.0, d2zjm1 = 0.0, d2zjm2 = 0.0;

    for (int j = 2; j <= m; ++j) {
      const double zj = 2.0 * w0 * zjm1 - zjm2;
      const double dzj = 2.0 * w0 * dzjm1 - dzjm2 + 2.0 * zjm1;
      const double d2zj = 2.0 * w0 * d2zjm1 - d2zjm2 + 4.0 * dzjm1;
      const double bj = d2zj / (dzj * dzj);
      const double ajm1 = 1.0 - zjm1 * bjm1;
      const double mu = 2.0 * w0 * bj / bjm1;
      const double nu = -bj / bjm2;
      mus = mu * w1 / w0;

      sys(yjm1_, fjm1_, t + h * thjm1);
      ++counters_.stages;
      Exec::for_each(n_, ScaleSum5K{Exec::data(y_), Exec::data(yjm1_), Exec::data(yjm2_), xn, Exec::data(fjm1_),
                                    Exec::data(fn_), mu, nu, 1.0 - mu - nu, h * mus, -h * mus * ajm1});
      const double thj = mu * thjm1 + nu * thjm2 + mus * (1.0 - ajm1);

      // Rotate: Y_{j-2} <- Y_{j-1}, Y_{j-1} <- Y_j (buffer swaps, no copies).
      yjm2_.swap(yjm1_);
      yjm1_.swap(y_);
      thjm2 = thjm1;
      thjm1 = thj;
      bjm2 = bjm1;
      bjm1 = bj;
      zjm2 = zjm1;
      zjm1 = zj;
      dzjm2 = dzjm1;
      dzjm1 = dzj;
      d2zjm2 = d2zjm1;
      d2zjm1 = d2zj;
    }
  }

  std::size_t n_, controlled_;
  double rtol_, atol_;
  int max_stages_;
  state_type fn_, fnew_, fjm1_, y_, yjm1_, yjm2_;
  bool fn_valid_ = false;
  double fn_time_ = 0.0;
  double h_old_ = 0.0, err_old_ = 0.0;
  double suggested_dt_ = 0.0;
  RkcCounters counters_;
};

}  // namespace poreflux
