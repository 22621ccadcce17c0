// TR-BDF2 (Bank et al. 1985; the analysis, error estimate and step control of Hosea & Shampine
// 1996, Appl Numer Math 20:21, as in MATLAB's ode23tb): a trapezoidal stage to t + γh, then a
// BDF2 stage to t + h, γ = 2 - √2. One-step, L-stable, second order, with an embedded third-order
// error estimate. Both stages solve with the same matrix shape I - d h A(t), d = γ/2, so one
// kind of linear solve serves (linear_solvers.hpp). Boost.Odeint controlled stepper, like
// RkcStepper; DenseOutputStepper wraps either.
//
// The operator is linear in the state (A depends on t through closing channels and the film's
// capacity), so each stage is one linear solve at the stage's own time. The one nonlinearity is
// the film's saturation (film.hpp), which implicit_stage.hpp handles. Mass: the new state is
// formed as y_n + h (w f_n + w f_γ + d f_n+1) from evaluated rates, each of which conserves mass
// exactly, so the balance closes to round-off whatever the linear solver's residual (a Krylov
// solve's error becomes a local error of the size of its tolerance, not a leak).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>

#include <boost/numeric/odeint/stepper/controlled_step_result.hpp>
#include <boost/numeric/odeint/stepper/stepper_categories.hpp>
#include <boost/numeric/odeint/util/unwrap_reference.hpp>

#include "poreflux/kernels/vector_K.hpp"
#include "poreflux/solver/implicit_stage.hpp"

namespace poreflux {

struct ImplicitCounters {
  long accepted = 0;
  long rejected = 0;
};

template <class Exec, class Linear>
class TrBdf2Stepper {
 public:
  using state_type = typename Exec::vector;
  using deriv_type = state_type;
  using value_type = double;
  using time_type = double;
  using stepper_category = boost::numeric::odeint::controlled_stepper_tag;

  // Residual RMS of a stage solve, in units of the error tolerance (the error test cannot see
  // the linear error, so it is kept well below what the test allows).
  static constexpr double kStageTolerance = 5e-3;
  static constexpr double kEstimateTolerance = 0.1;  // the error estimate needs ~1 digit
  static constexpr double kMinGrowth = 1.5;

  TrBdf2Stepper(std::size_t n, std::size_t controlled, double rtol, double atol, Linear& linear)
      : n_(n), controlled_(controlled), rtol_(rtol), atol_(atol), linear_(linear), stage_(n) {
    for (state_type* v : {&fn_, &fg_, &fnew_, &z_, &y_, &rhs_, &est_, &e_}) Exec::resize(*v, n);
  }

  std::function<void(double)> on_accept;

  template <class Sys>
  void start(Sys& sys, const state_type& x, double t) {
    sys(x, fn_, t);
  }
  const state_type& derivative() const { return fn_; }
  const ImplicitCounters& counters() const { return counters_; }

  template <class System>
  boost::numeric::odeint::controlled_step_result try_step(System system, state_type& x, double& t, double& dt) {
    typename boost::numeric::odeint::unwrap_reference<System>::type& sys = system;
    return step(sys, x, t, dt);
  }

 private:
  static constexpr double kGamma = 0.5857864376269049512;  // 2 - sqrt(2)
  static constexpr double kD = 0.5 * kGamma;               // 1 - sqrt(2)/2
  static constexpr double kW = 0.3535533905932737622;      // sqrt(2)/4

  template <class Sys>
  boost::numeric::odeint::controlled_step_result step(Sys& sys, state_type& x, double& t, double& dt) {
    using boost::numeric::odeint::fail;
    using boost::numeric::odeint::success;
    const double h = dt, dh = kD * h;
    double* X = Exec::data(x);
    // Trapezoidal stage: z - dh F(z, t + γh) = x + dh f_n.
    Exec::for_each(n_, ScaleSum2K{Exec::data(rhs_), X, Exec::data(fn_), 1.0, dh});
    // Guess: the explicit Euler predictor (after the first transient the stiff components sit at
    // their quasi-steady values, so f_n extrapolates well; a poor guess only costs iterations).
    Exec::for_each(n_, ScaleSum2K{Exec::data(z_), X, Exec::data(fn_), 1.0, kGamma * h});
    solve_stage(sys, z_, t + kGamma * h, dh, x);
    sys(z_, fg_, t + kGamma * h);
    // BDF2 stage: y - dh F(y, t + h) = x + w h (f_n + f_γ); guess: the line through x and z.
    Exec::for_each(n_, ScaleSum3K{Exec::data(rhs_), X, Exec::data(fn_), Exec::data(fg_), 1.0, kW * h, kW * h});
    Exec::for_each(n_, ScaleSum2K{Exec::data(y_), X, Exec::data(z_), 1.0 - 1.0 / kGamma, 1.0 / kGamma});
    solve_stage(sys, y_, t + h, dh, x);
    sys(y_, fnew_, t + h);
    // The conservative update (see the header comment).
    Exec::for_each(n_, ScaleSum4K{Exec::data(y_), X, Exec::data(fn_), Exec::data(fg_), Exec::data(fnew_), 1.0, kW * h,
                                  kW * h, kD * h});
    // Error: the third-order solution minus this one, filtered through (I - dh A)^-1 so that
    // stiff components do not inflate it (Hosea & Shampine 1996, §4).
    Exec::for_each(n_, ScaleSum3K{Exec::data(est_), Exec::data(fn_), Exec::data(fg_), Exec::data(fnew_),
                                  h * (1.0 - 4.0 * kW) / 3.0, h / 3.0, -h * 2.0 * kD / 3.0});
    Exec::for_each(n_, CopyK{Exec::data(e_), Exec::data(est_)});
    linear_.solve(sys, est_, e_, x, kEstimateTolerance);
    const double sum = Exec::sum(controlled_, WeightedSquareK{Exec::data(e_), X, Exec::data(y_), rtol_, atol_}, 0.0);
    const double err = std::sqrt(sum / static_cast<double>(controlled_));
    // Step-size factor for a third-order estimate, bounded as in ode23tb.
    const double factor = std::isfinite(err) ? 0.9 * std::cbrt(1.0 / std::max(err, 1e-12)) : 0.1;
    if (!(err <= 1.0)) {
      ++counters_.rejected;
      dt = h * std::max(0.1, std::min(0.9, factor));
      return fail;
    }
    x.swap(y_);
    t += h;
    sys(x, fn_, t);  // the rate at the state kept (the dense output and the next step use it)
    ++counters_.accepted;
    // A step kept unless it can grow by half lets the linear solvers reuse their factorisation
    // (CVODE's rule); shrinking is never delayed.
    dt = factor >= 1.0 && factor < kMinGrowth ? h : h * std::max(0.2, std::min(5.0, factor));
    if (on_accept) on_accept(t);
    return success;
  }

  // Solves z - dh F(z, ts) = rhs_ for z, which holds the guess on entry.
  template <class Sys>
  void solve_stage(Sys& sys, state_type& z, double ts, double dh, const state_type& x) {
    stage_.solve(sys, linear_, rhs_, z, ts, dh, x, kStageTolerance);
  }

  std::size_t n_, controlled_;
  double rtol_, atol_;
  Linear& linear_;
  ImplicitStageSolver<Exec> stage_;
  state_type fn_, fg_, fnew_, z_, y_, rhs_, est_, e_;
  ImplicitCounters counters_;
};

}  // namespace poreflux
