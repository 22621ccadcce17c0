// ESDIRK4(3)6L[2]SA: the six-stage, fourth-order, L-stable, stiffly accurate explicit-first-
// stage singly diagonally implicit Runge-Kutta method of Kennedy & Carpenter (2003), "Additive
// Runge-Kutta schemes for convection-diffusion-reaction equations", Appl Numer Math 44:139-181,
// the implicit tableau of ARK4(3)6L[2]SA. The coefficients were copied from the table
// "ARK-6-3-4 (implicit)" (ARKODE_ARK436L2SA_DIRK_6_3_4) of the SUNDIALS ARKODE documentation,
// "Butcher tables", which reproduces that paper's rationals (the paper's own tables were not
// at hand); tests/test_esdirk.cpp checks that b satisfies the 8 conditions of order 4 and b^
// the 4 of order 3 (to 1e-14), and the observed order 4 at fixed steps. Embedded third-order solution b^ for the error
// estimate; stage order 2; γ = 1/4.
//
// Why this method (docs/ARCHITECTURE.md, "Time integrators"): TR-BDF2 is second order, so at
// tight tolerances it takes many small steps; a fourth-order one-step method keeps every
// property the rest of the engine relies on — the same stage shape I - γh A (one factorisation
// per step size, the same linear-solver seam), restarts at events for free (no history to
// rebuild, unlike variable-order BDF), and the conservative update below.
//
// Stages: F_1 = F(x, t); for i = 2..6, Z_i - γh F(Z_i, t + c_i h) = x + h Σ_{j<i} a_ij F_j,
// solved by ImplicitStageSolver (implicit_stage.hpp, the film's saturation included), then
// F_i = F(Z_i, t + c_i h). Mass: the new state is formed as x + h Σ b_j F_j from evaluated
// rates, each of which conserves mass exactly (stiffly accurate: b_j = a_6j, so this is Z_6 up
// to the linear solver's residual), so the balance closes to round-off whatever that residual.
// Error: h Σ (b_j - b^_j) F_j, filtered through (I - γh A)^-1 as TrBdf2Stepper does (Hosea &
// Shampine 1996, §4; Hairer & Wanner IV.8 for Radau) so stiff components do not inflate it.
// Boost.Odeint controlled stepper with the same interface and counters as TrBdf2Stepper;
// DenseOutputStepper wraps it.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>

#include <boost/numeric/odeint/stepper/controlled_step_result.hpp>
#include <boost/numeric/odeint/stepper/stepper_categories.hpp>
#include <boost/numeric/odeint/util/unwrap_reference.hpp>

#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/kernels/vector_K.hpp"
#include "poreflux/solver/implicit_stage.hpp"
#include "poreflux/solver/trbdf2_stepper.hpp"  // ImplicitCounters

namespace poreflux {

// The tableau, exact rationals (each quotient is the double nearest the fraction).
struct Esdirk436Tableau {
  static constexpr int kStages = 6;
  static constexpr double kGamma = 0.25;
  static constexpr std::array<double, kStages> c{0.0, 0.5, 83.0 / 250.0, 31.0 / 50.0, 17.0 / 20.0, 1.0};
  // a[i][j], j < i (the diagonal is kGamma, the first stage explicit).
  static constexpr std::array<std::array<double, kStages>, kStages> a{{
      {0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
      {0.25, 0.0, 0.0, 0.0, 0.0, 0.0},
      {8611.0 / 62500.0, -1743.0 / 31250.0, 0.0, 0.0, 0.0, 0.0},
      {5012029.0 / 34652500.0, -654441.0 / 2922500.0, 174375.0 / 388108.0, 0.0, 0.0, 0.0},
      {15267082809.0 / 155376265600.0, -71443401.0 / 120774400.0, 730878875.0 / 902184768.0, 2285395.0 / 8070912.0, 0.0,
       0.0},
      {82889.0 / 524892.0, 0.0, 15625.0 / 83664.0, 69875.0 / 102672.0, -2260.0 / 8211.0, 0.0},
  }};
  // b = the last row with the diagonal (stiffly accurate); b^ the embedded third-order weights.
  static constexpr std::array<double, kStages> b{82889.0 / 524892.0, 0.0, 15625.0 / 83664.0, 69875.0 / 102672.0,
                                                 -2260.0 / 8211.0,   0.25};
  static constexpr std::array<double, kStages> b_hat{4586570599.0 / 29645900160.0, 0.0,
                                                     178811875.0 / 945068544.0,    814220225.0 / 1159782912.0,
                                                     -3700637.0 / 11593932.0,      61727.0 / 225920.0};
  // The third-order continuous extension ("dense output") of the same paper: the state at
  // t + θh is x + h Σ_j b_j(θ) F_j with b_j(θ) = Σ_k b_theta[j][k] θ^(k+1) (b_j(1) = b_j). The
  // rationals are Kennedy & Carpenter's b*_jk for ARK4(3)6L[2]SA (Appl Numer Math 44:139, and
  // NASA/TM-2001-211038), as tabulated by OrdinaryDiffEq.jl's KenCarp4 tableau; Chombo's
  // ARK4DenseOutput.H lists the same values as decimals (agreeing to 1e-14).
  // tests/test_esdirk.cpp checks the order conditions to 3 at several θ and b_j(1) = b_j.
  // Used only to locate where the film changes regime inside an attempted step (whose end rate
  // is not evaluated); output times keep the Hermite cubic, which was as accurate or more on
  // these stiff problems (docs/MODEL.md §8).
  static constexpr std::array<std::array<double, 3>, kStages> b_theta{{
      {6943876665148.0 / 7220017795957.0, -54480133.0 / 30881146.0, 6818779379841.0 / 7100303317025.0},
      {0.0, 0.0, 0.0},
      {7640104374378.0 / 9702883013639.0, -11436875.0 / 14766696.0, 2173542590792.0 / 12501825683035.0},
      {-20649996744609.0 / 7521556579894.0, 174696575.0 / 18121608.0, -31592104683404.0 / 5083833661969.0},
      {8854892464581.0 / 2390941311638.0, -12120380.0 / 966161.0, 61146701046299.0 / 7138195549469.0},
      {-11397109935349.0 / 6675773540249.0, 3843.0 / 706.0, -17219254887155.0 / 4939391667607.0},
  }};
  // b_j(θ).
  static constexpr double b_at(int j, double theta) {
    return theta * (b_theta[j][0] + theta * (b_theta[j][1] + theta * b_theta[j][2]));
  }
};

template <class Exec, class Linear>
class EsdirkStepper {
 public:
  using state_type = typename Exec::vector;
  using deriv_type = state_type;
  using value_type = double;
  using time_type = double;
  using stepper_category = boost::numeric::odeint::controlled_stepper_tag;
  using Tableau = Esdirk436Tableau;

  // As TrBdf2Stepper (the same reasons).
  static constexpr double kStageTolerance = 5e-3;
  static constexpr double kEstimateTolerance = 0.1;
  static constexpr double kMinGrowth = 1.5;

  EsdirkStepper(std::size_t n, std::size_t controlled, double rtol, double atol, Linear& linear)
      : n_(n), controlled_(controlled), rtol_(rtol), atol_(atol), linear_(linear), stage_(n) {
    for (state_type& f : f_) Exec::resize(f, n);
    for (state_type* v : {&z_, &rhs_, &est_, &e_}) Exec::resize(*v, n);
  }

  std::function<void(double)> on_accept;

  template <class Sys>
  void start(Sys& sys, const state_type& x, double t) {
    sys(x, f_[0], t);
  }
  const state_type& derivative() const { return f_[0]; }
  const ImplicitCounters& counters() const { return counters_; }

  template <class System>
  boost::numeric::odeint::controlled_step_result try_step(System system, state_type& x, double& t, double& dt) {
    typename boost::numeric::odeint::unwrap_reference<System>::type& sys = system;
    return step(sys, x, t, dt);
  }

 private:
  static constexpr int S = Tableau::kStages;

  template <class Sys>
  boost::numeric::odeint::controlled_step_result step(Sys& sys, state_type& x, double& t, double& dt) {
    using boost::numeric::odeint::fail;
    using boost::numeric::odeint::success;
    const double h = dt, dh = Tableau::kGamma * h;
    const double* X = Exec::data(x);
    const std::size_t film = sys.cells() + kVehicleConcentration;
    const bool locate = sys.film_is_nonlinear() && !landing_on_event_;
    landing_on_event_ = false;
    const auto regime0 = sys.film_regime(Exec::get(x, film), t);
    bool regime_changed = false;
    for (int i = 1; i < S; ++i) {
      // rhs = x + h Σ_{j<i} a_ij F_j
      Exec::for_each(n_, CopyK{Exec::data(rhs_), X});
      for (int j = 0; j < i; ++j)
        if (Tableau::a[i][j] != 0.0) axpy(rhs_, h * Tableau::a[i][j], f_[j]);
      // Guess: the explicit part plus γh times the latest rate (exact for a constant rate; a
      // poor guess only costs Krylov iterations).
      Exec::for_each(n_, ScaleSum2K{Exec::data(z_), Exec::data(rhs_), Exec::data(f_[i - 1]), 1.0, dh});
      const double ts = t + Tableau::c[i] * h;
      stage_.solve(sys, linear_, rhs_, z_, ts, dh, x, kStageTolerance);
      sys(z_, f_[i], ts);
      if (locate && sys.film_regime(Exec::get(z_, film), ts) != regime0) regime_changed = true;
    }
    // The film changed regime inside the step (it saturated, its deposit dissolved or it
    // emptied): its rate has a kink there, which the embedded estimate does not see (both
    // solutions carry the same O(h^2) error). The step is retried to end where the change
    // happens, found on the continuous extension, so that no step straddles it.
    if (regime_changed) {
      const double theta = regime_change_fraction(sys, Exec::get(x, film), film, t, h, regime0);
      if (theta < 1.0) {
        ++counters_.rejected;
        landing_on_event_ = true;
        dt = theta * h;
        return fail;
      }
    }
    // The conservative update into z_ (see the header comment), and the error estimate.
    Exec::for_each(n_, CopyK{Exec::data(z_), X});
    Exec::for_each(n_, ScaleSum2K{Exec::data(est_), X, X, 0.0, 0.0});
    for (int j = 0; j < S; ++j) {
      if (Tableau::b[j] != 0.0) axpy(z_, h * Tableau::b[j], f_[j]);
      const double d = Tableau::b[j] - Tableau::b_hat[j];
      if (d != 0.0) axpy(est_, h * d, f_[j]);
    }
    Exec::for_each(n_, CopyK{Exec::data(e_), Exec::data(est_)});
    linear_.solve(sys, est_, e_, x, kEstimateTolerance);
    const double sum = Exec::sum(controlled_, WeightedSquareK{Exec::data(e_), X, Exec::data(z_), rtol_, atol_}, 0.0);
    const double err = std::sqrt(sum / static_cast<double>(controlled_));
    // Step-size factor for a third-order estimate (local error ~ h^4).
    const double factor = std::isfinite(err) ? 0.9 * std::pow(std::max(err, 1e-16), -0.25) : 0.1;
    if (!(err <= 1.0)) {
      ++counters_.rejected;
      dt = h * std::max(0.1, std::min(0.9, factor));
      return fail;
    }
    x.swap(z_);
    t += h;
    sys(x, f_[0], t);  // the rate at the state kept (the dense output and the next step use it)
    ++counters_.accepted;
    // Kept unless it can grow by half, so the direct solver reuses its factorisation (as TR-BDF2).
    dt = factor >= 1.0 && factor < kMinGrowth ? h : h * std::max(0.2, std::min(5.0, factor));
    if (on_accept) on_accept(t);
    return success;
  }

  // The first θ in (0, 1] at which the continuous extension's film slot is in another regime
  // than regime0 (a scan, then bisection to 1e-6 of the step), past the change; 1 if none.
  template <class Sys, class Regime>
  double regime_change_fraction(Sys& sys, double s0, std::size_t film, double t, double h, Regime regime0) {
    std::array<double, S> rates{};
    for (int j = 0; j < S; ++j) rates[j] = Exec::get(f_[j], film);
    auto changed = [&](double theta) {
      double s = s0;
      for (int j = 0; j < S; ++j) s += h * Tableau::b_at(j, theta) * rates[j];
      return sys.film_regime(s, t + theta * h) != regime0;
    };
    constexpr int kScan = 32;
    double lo = 0.0, hi = 1.0;
    bool found = false;
    for (int k = 1; k <= kScan && !found; ++k) {
      const double theta = static_cast<double>(k) / kScan;
      if (changed(theta)) {
        hi = theta;
        found = true;
      } else {
        lo = theta;
      }
    }
    if (!found) return 1.0;
    while (hi - lo > 1e-6) {
      const double mid = 0.5 * (lo + hi);
      (changed(mid) ? hi : lo) = mid;
    }
    return hi;
  }

  void axpy(state_type& y, double a, const state_type& v) {
    Exec::for_each(n_, AxpyK{Exec::data(y), Exec::data(v), a});
  }

  std::size_t n_, controlled_;
  double rtol_, atol_;
  Linear& linear_;
  ImplicitStageSolver<Exec> stage_;
  std::array<state_type, Tableau::kStages> f_;
  state_type z_, rhs_, est_, e_;
  bool landing_on_event_ = false;  // the attempt ends where the film changes regime: not located again
  ImplicitCounters counters_;
};

}  // namespace poreflux
