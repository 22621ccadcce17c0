// One implicit stage of a singly diagonally implicit method (TR-BDF2, ESDIRK): solve
//
//   z - dh F(z, ts) = rhs
//
// through the linear-solver seam (linear_solvers.hpp). The operator is linear in the state
// (A depends on t only); the one nonlinearity is the film's saturation (film.hpp): piecewise
// affine in the state, so the stage is solved in Newton form about its guess with the film
// linearised in the guess's regime, which is exact within a regime; if the solution lands in
// another regime it is solved again about it (at most kRegimeIterations times). Shared by the
// implicit steppers so that both treat the film the same way.
#pragma once

#include <cstddef>

#include "poreflux/kernels/vector_K.hpp"

namespace poreflux {

template <class Exec>
class ImplicitStageSolver {
 public:
  using state_type = typename Exec::vector;
  static constexpr int kRegimeIterations = 6;

  explicit ImplicitStageSolver(std::size_t n) : n_(n) {
    Exec::resize(residual_, n);
    Exec::resize(delta_, n);
  }

  // z holds the guess on entry and the stage solution on exit; x is the step's start (the
  // linear solver's error weights); tolerance is the residual RMS in error-tolerance units.
  template <class Sys, class Linear>
  void solve(Sys& sys, Linear& linear, const state_type& rhs, state_type& z, double ts, double dh, const state_type& x,
             double tolerance) {
    if (!sys.film_is_nonlinear()) {
      sys.linearise(z, ts);
      linear.prepare(sys, ts, dh);
      linear.solve(sys, rhs, z, x, tolerance);
      return;
    }
    for (int it = 0; it < kRegimeIterations; ++it) {
      sys.linearise(z, ts);
      linear.prepare(sys, ts, dh);
      sys(z, residual_, ts);  // F(z); then the residual rhs - z + dh F(z)
      Exec::for_each(
          n_, ScaleSum3K{Exec::data(residual_), Exec::data(rhs), Exec::data(z), Exec::data(residual_), 1.0, -1.0, dh});
      Exec::for_each(n_, ScaleSum2K{Exec::data(delta_), Exec::data(rhs), Exec::data(rhs), 0.0, 0.0});  // guess 0
      linear.solve(sys, residual_, delta_, x, tolerance);
      Exec::for_each(n_, ScaleSum2K{Exec::data(z), Exec::data(z), Exec::data(delta_), 1.0, 1.0});
      if (sys.linearisation_holds(z, ts)) return;
    }
  }

 private:
  std::size_t n_;
  state_type residual_, delta_;
};

}  // namespace poreflux
