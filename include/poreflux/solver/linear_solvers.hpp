// The two ways the implicit integrator solves its stage equations (I - dh A(t)) x = b for the
// cells and the film (the scalar slots are never unknowns: the stepper's conservative update
// fills them). Both offer
//
//   prepare(system, t, dh)                     coefficients at t, factor or precondition
//   solve(system, b, x, y_scale, tolerance)    x: initial guess in, solution out
//
// SparseLinearSolver: a host sparse Cholesky (sparse_direct.hpp) — exact, for small and medium
// grids. KrylovLinearSolver: matrix-free preconditioned conjugate gradients on the backend's own
// vectors — A is symmetric in the V/K-weighted inner product, so CG applies in that inner
// product; the preconditioner is the exact solve along each z line (the graded, stiffest
// direction; exact for a 1D column). For large grids and the GPU.
#pragma once

#include <cmath>
#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#include "poreflux/kernels/implicit_K.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/kernels/vector_K.hpp"
#include "poreflux/solver/sparse_direct.hpp"

namespace poreflux {

struct LinearCounters {
  long solves = 0;
  long iterations = 0;          // Krylov iterations (0 for the direct solver)
  long factorizations = 0;      // numeric factorisations (direct) or preconditioner builds
  long operator_products = 0;   // matrix-vector products with B (Krylov)
};

template <class Exec>
class SparseLinearSolver {
 public:
  using vector = typename Exec::vector;
  static constexpr const char* name() { return "sparse Cholesky (Eigen SimplicialLDLT)"; }

  template <class Sys>
  void prepare(Sys& sys, double t, double dh) {
    sys.set_time(t);
    if (dh == dh_ && sys.coefficient_version() == version_) return;  // the factor still holds
    solver_.factorize(sys.host_operator(), dh);
    dh_ = dh;
    version_ = sys.coefficient_version();
    ++counters_.factorizations;
  }

  template <class Sys>
  void solve(Sys& /*sys*/, const vector& b, vector& x, const vector& /*y_scale*/, double /*tolerance*/) {
    Exec::download(b, host_b_);
    Exec::download(x, host_x_);
    solver_.solve(host_b_, host_x_);  // the unknowns change; the slots keep what x held
    Exec::upload(host_x_, x);
    ++counters_.solves;
  }

  const LinearCounters& counters() const { return counters_; }

 private:
  SparseDirectSolver solver_;
  double dh_ = -1.0;
  long version_ = -1;
  std::vector<double> host_b_, host_x_;
  LinearCounters counters_;
};

template <class Exec>
class KrylovLinearSolver {
 public:
  using vector = typename Exec::vector;
  static constexpr const char* name() { return "PCG, V/K inner product, z-line preconditioner"; }

  KrylovLinearSolver(std::size_t state_size, std::size_t cells, double rtol, double atol, int max_iterations)
      : cells_(cells), rtol_(rtol), atol_(atol), max_iterations_(max_iterations) {
    for (vector* v : {&r_, &z_, &p_, &q_}) Exec::resize(*v, state_size);
    for (vector* v : {&lower_, &upper_, &inv_pivot_}) Exec::resize(*v, cells);
  }

  template <class Sys>
  void prepare(Sys& sys, double t, double dh) {
    sys.set_time(t);
    t_ = t;
    if (dh == dh_ && sys.coefficient_version() == version_) return;  // the factors still hold
    dh_ = dh;
    version_ = sys.coefficient_version();
    const GridView v = sys.view();
    Exec::for_each(sys.columns(), ColumnFactorK{v, sys.conductances(), dh, Exec::data(lower_), Exec::data(upper_),
                                                Exec::data(inv_pivot_)});
    film_weight_ = sys.film_is_unknown() ? sys.film_weight() : 0.0;
    film_inv_diagonal_ = 0.0;
    if (sys.film_is_unknown()) {
      const double inv = sys.film_inverse_capacity();
      const double g_top =
          v.vehicle_contact > 0.0 ? v.vehicle_contact * Exec::sum(sys.columns(), TopConductanceK{sys.conductances()}, 0.0) : 0.0;
      film_inv_diagonal_ = 1.0 / (1.0 + dh * (g_top * inv / sys.film_volume_cm3() + sys.film_decay_per_s(inv)));
    }
    ++counters_.factorizations;
  }

  // Stops when the residual's RMS, weighted like the error norm (atol + rtol |y_scale|), is
  // below `tolerance`. Preconditioned CG in the W inner product, with fused sweeps.
  template <class Sys>
  void solve(Sys& sys, const vector& b, vector& x, const vector& y_scale, double tolerance) {
    const std::size_t n = cells_ + 1;
    const GridView v = sys.view();
    const Conductances g = sys.conductances();
    const double limit = tolerance * tolerance * static_cast<double>(n);  // on the sum of squares
    // A held film (an infinite dose, a saturated or empty film): x_film = b_film, and the film
    // stays out of the iteration (its row of the linearised operator is zero).
    const std::size_t film = cells_ + kVehicleConcentration;
    if (!sys.film_is_unknown()) Exec::set(x, film, Exec::get(b, film));
    ++counters_.solves;
    // r = b - B x (apply_dot's dot is not needed here).
    apply_dot(sys, x, q_);
    Exec::for_each(n, ScaleSum2K{Exec::data(r_), Exec::data(b), Exec::data(q_), 1.0, -1.0});
    if (!sys.film_is_unknown()) Exec::set(r_, film, 0.0);
    double norm2 = Exec::sum(n, WeightedSquareK{Exec::data(r_), Exec::data(y_scale), Exec::data(y_scale), rtol_, atol_}, 0.0);
    if (norm2 <= limit) return;
    double rz = precondition_dot(v, g, r_, p_);  // the first direction is z itself
    for (int it = 0; it < max_iterations_; ++it) {
      ++counters_.iterations;
      const double pq = apply_dot(sys, p_, q_);
      if (!(pq > 0.0)) break;  // converged to round-off
      const double alpha = rz / pq;
      norm2 = Exec::sum(n, CgUpdateK{Exec::data(x), Exec::data(r_), Exec::data(p_), Exec::data(q_), Exec::data(y_scale),
                                     alpha, rtol_, atol_}, 0.0);
      if (norm2 <= limit) return;
      const double rz_new = precondition_dot(v, g, r_, z_);
      Exec::for_each(n, ScaleSum2K{Exec::data(p_), Exec::data(z_), Exec::data(p_), 1.0, rz_new / rz});
      rz = rz_new;
    }
    if (norm2 > 100.0 * limit)
      throw std::runtime_error("implicit integrator: conjugate gradients did not converge in " +
                               std::to_string(max_iterations_) + " iterations");
  }

  const LinearCounters& counters() const { return counters_; }

 private:
  // q = B p = p - dh A p on the unknowns; returns <p, q>_W.
  template <class Sys>
  double apply_dot(Sys& sys, const vector& p, vector& q) {
    ++counters_.operator_products;
    sys.apply_operator(p, q, t_);
    const GridView v = sys.view();
    return Exec::sum(static_cast<std::size_t>(v.ny) * v.nz,
                     ApplyDotK{v, sys.conductances(), Exec::data(p), Exec::data(q), dh_, film_weight_}, 0.0, v.nx);
  }
  // z = P^-1 r; returns <r, z>_W.
  double precondition_dot(const GridView& v, const Conductances& g, const vector& r, vector& z) {
    return Exec::sum(static_cast<std::size_t>(v.nx) * v.ny,
                     ColumnSolveK{v, g, Exec::data(lower_), Exec::data(upper_), Exec::data(inv_pivot_), Exec::data(r),
                                  Exec::data(z), film_inv_diagonal_, film_weight_},
                     0.0, v.nz);
  }

  std::size_t cells_;
  double rtol_, atol_;
  int max_iterations_;
  double t_ = 0.0, dh_ = -1.0, film_weight_ = 0.0, film_inv_diagonal_ = 0.0;
  long version_ = -1;
  vector r_, z_, p_, q_, lower_, upper_, inv_pivot_;
  LinearCounters counters_;
};

}  // namespace poreflux
