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
// direction; exact for a 1D column), plus, on 2D and 3D grids, an additive coarse correction over
// one aggregate per (z plane, block of columns) — the two-level preconditioner (coarse_K.hpp) —
// or, instead of both, a multigrid cycle with that z-line solve as its smoother
// (multigrid_preconditioner.hpp). For large grids and the GPU.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "poreflux/kernels/coarse_K.hpp"
#include "poreflux/kernels/implicit_K.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/kernels/vector_K.hpp"
#include "poreflux/solver/coarse_solver.hpp"
#include "poreflux/solver/multigrid_preconditioner.hpp"
#include "poreflux/solver/sparse_direct.hpp"

namespace poreflux {

struct LinearCounters {
  long solves = 0;
  long iterations = 0;         // Krylov iterations (0 for the direct solver)
  long factorizations = 0;     // numeric factorisations (direct) or preconditioner builds
  long operator_products = 0;  // matrix-vector products with B (Krylov)
  long coarse_builds = 0;      // assemblies of the two-level coarse operator (Krylov)
};

// Which preconditioner the Krylov solver applies: the z-line solve alone, with the additive coarse
// correction, or the multigrid cycle (where the grid has lateral extent and no periodic wall;
// elsewhere each falls back to the z-line solve, which is then exact or nearly).
enum class KrylovPreconditioner { z_line, two_level, multigrid };

// Their names, as POREFLUX_KRYLOV_PRECONDITIONER takes them (benchmarks compare them:
// bench/iterations_vs_grid.py); the first-listed default applies when it is unset.
// Multigrid is the default: 2.5-4x fewer CG iterations than two_level on the 3D cell and its
// refinements, faster at every size measured, and it converges on closing-channel blocks where
// two_level stalls (docs/BENCHMARKS.md). Where it does not apply -- a single column (nx*ny == 1,
// the 1D grid, where the z-line solve is the exact inverse) or a periodic side wall (its 2 x 2
// aggregates assume mirror walls, as two_level's do) -- KrylovLinearSolver::prepare falls back to
// the z-line solve, exactly what two_level did on the same grids, so those runs are unchanged by
// the switch. The axisymmetric r-z grid (nx > 1, ny == 1) gets the cycle (coarsened in r only).
struct KrylovPreconditionerName {
  KrylovPreconditioner id;
  const char* name;
};
inline constexpr KrylovPreconditionerName kKrylovPreconditioners[] = {
    {KrylovPreconditioner::multigrid, "multigrid"},
    {KrylovPreconditioner::two_level, "two_level"},
    {KrylovPreconditioner::z_line, "z_line"},
};

inline KrylovPreconditioner krylov_preconditioner_from_environment() {
  const char* choice = std::getenv("POREFLUX_KRYLOV_PRECONDITIONER");
  if (!choice || !*choice) return kKrylovPreconditioners[0].id;
  std::string valid;
  for (const KrylovPreconditionerName& p : kKrylovPreconditioners) {
    if (choice == std::string(p.name)) return p.id;
    valid += std::string(valid.empty() ? "" : ", ") + "\"" + p.name + "\"";
  }
  throw std::invalid_argument("environment variable POREFLUX_KRYLOV_PRECONDITIONER: expected one of " + valid +
                              "; got \"" + choice + "\"");
}

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
    if constexpr (Exec::kHostMemory) {
      solver_.solve(Exec::data(b), Exec::data(x));  // in place: the unknowns change, the slots keep x's
    } else {
      Exec::download(b, host_b_);
      Exec::download(x, host_x_);
      solver_.solve(host_b_, host_x_);  // the unknowns change; the slots keep what x held
      Exec::upload(host_x_, x);
    }
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
  // The preconditioner is chosen at run time (POREFLUX_KRYLOV_PRECONDITIONER): the name says so.
  static constexpr const char* name() {
    return "PCG, V/K inner product, multigrid preconditioner (POREFLUX_KRYLOV_PRECONDITIONER)";
  }

  KrylovLinearSolver(std::size_t state_size, std::size_t cells, double rtol, double atol, int max_iterations,
                     KrylovPreconditioner preconditioner = KrylovPreconditioner::multigrid)
      : cells_(cells),
        state_size_(state_size),
        rtol_(rtol),
        atol_(atol),
        max_iterations_(max_iterations),
        preconditioner_(preconditioner) {
    for (vector* v : {&r_, &z_, &p_, &q_}) Exec::resize(*v, state_size);
    for (vector* v : {&lower_, &upper_, &inv_pivot_}) Exec::resize(*v, cells);
  }

  template <class Sys>
  void prepare(Sys& sys, double t, double dh) {
    sys.set_time(t);
    t_ = t;
    if (dh == dh_ && sys.coefficient_version() == version_) return;  // the factors still hold
    const bool new_coefficients = sys.coefficient_version() != version_;
    dh_ = dh;
    version_ = sys.coefficient_version();
    const GridView v = sys.view();
    film_weight_ = sys.film_is_unknown() ? sys.film_weight() : 0.0;
    film_inv_diagonal_ = 0.0;
    if (sys.film_is_unknown()) {
      const double inv = sys.film_inverse_capacity();
      const double g_top = v.vehicle_contact > 0.0
                               ? v.vehicle_contact * Exec::sum(sys.columns(), TopConductanceK{sys.conductances()}, 0.0)
                               : 0.0;
      film_inv_diagonal_ = 1.0 / (1.0 + dh * (g_top * inv / sys.film_volume_cm3() + sys.linear_film_decay_per_s()));
    }
    ++counters_.factorizations;
    multigrid_active_ =
        preconditioner_ == KrylovPreconditioner::multigrid && v.nx * v.ny > 1 && !v.periodic_x && !v.periodic_y;
    if (multigrid_active_) {
      prepare_multigrid(sys, new_coefficients);
      return;
    }
    Exec::for_each(sys.columns(), ColumnFactorK{v, sys.conductances(), dh, Exec::data(lower_), Exec::data(upper_),
                                                Exec::data(inv_pivot_)});
    // The coarse aggregates assume mirror side walls (a periodic wall would couple the first and
    // last blocks, which the probing does not separate): periodic grids keep the z-line solve.
    if (preconditioner_ == KrylovPreconditioner::two_level && v.nx * v.ny > 1 && !v.periodic_x && !v.periodic_y)
      prepare_coarse(sys);
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
    const long iterations_before = counters_.iterations;
    struct Tally {  // the iteration count steers the coarse operator's reuse (prepare_coarse)
      KrylovLinearSolver* self;
      long before;
      ~Tally() {
        self->last_iterations_ = self->counters_.iterations - before;
        if (self->baseline_iterations_ < 0) self->baseline_iterations_ = self->last_iterations_;
      }
    } tally{this, iterations_before};
    // r = b - B x (apply_dot's dot is not needed here).
    apply_dot(sys, x, q_);
    Exec::for_each(n, ScaleSum2K{Exec::data(r_), Exec::data(b), Exec::data(q_), 1.0, -1.0});
    if (!sys.film_is_unknown()) Exec::set(r_, film, 0.0);
    double norm2 =
        Exec::sum(n, WeightedSquareK{Exec::data(r_), Exec::data(y_scale), Exec::data(y_scale), rtol_, atol_}, 0.0);
    if (norm2 <= limit) return;
    double rz = precondition_dot(v, g, r_, p_);  // the first direction is z itself
    for (int it = 0; it < max_iterations_; ++it) {
      ++counters_.iterations;
      const double pq = apply_dot(sys, p_, q_);
      if (!(pq > 0.0)) break;  // converged to round-off
      const CgUpdateK update{Exec::data(x),       Exec::data(r_), Exec::data(p_), Exec::data(q_),
                             Exec::data(y_scale), rz / pq,        rtol_,          atol_};
      double rz_new = 0.0;
      if (multigrid_active_) {  // the update rides on the cycle's first half sweep
        norm2 = multigrid_.update_apply(
            update, r_, z_, film_inv_diagonal_, film_weight_, [limit](double sum) { return sum <= limit; }, rz_new);
        if (norm2 <= limit) return;
      } else {
        norm2 = Exec::sum(n, update, 0.0);
        if (norm2 <= limit) return;
        rz_new = precondition_dot(v, g, r_, z_);
      }
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
    return sys.apply_stage_dot(p, q, t_, dh_, film_weight_);
  }
  // z = P^-1 r; returns <r, z>_W.
  // With the coarse correction, z = P_line^-1 r + P Ac^-1 P^T W r: a sum of two W-symmetric
  // positive definite operators, so CG keeps its guarantees; <r, P zc>_W = (P^T W r) . zc.
  double precondition_dot(const GridView& v, const Conductances& g, const vector& r, vector& z) {
    if (multigrid_active_) return multigrid_.apply(r, z, film_inv_diagonal_, film_weight_);
    double s = Exec::sum(static_cast<std::size_t>(v.nx) * v.ny,
                         ColumnSolveK{v, g, Exec::data(lower_), Exec::data(upper_), Exec::data(inv_pivot_),
                                      Exec::data(r), Exec::data(z), film_inv_diagonal_, film_weight_},
                         0.0, v.nz);
    if (!coarse_active_) return s;
    Exec::for_each(
        static_cast<std::size_t>(v.nz),
        PlaneRestrictK{v, layout_, Exec::data(aggregate_), Exec::data(weight_), Exec::data(r), Exec::data(coarse_r_)});
    Exec::download(coarse_r_, host_rc_);
    coarse_.solve(host_rc_, host_zc_);
    for (std::size_t a = 0; a < host_rc_.size(); ++a) s += host_rc_[a] * host_zc_[a];
    Exec::upload(host_zc_, coarse_z_);
    Exec::for_each(cells_, ProlongAddK{Exec::data(aggregate_), Exec::data(coarse_z_), Exec::data(z)});
    return s;
  }

  // The coarse operator Ac = P^T W B P. Assembled by probing B (3 x materials products, one per
  // z residue and material) whenever the coefficients changed and the last solve took more than
  // 1.5x the iterations seen right after the last assembly (a stale Ac is still symmetric
  // positive definite, so it only costs iterations); for a new dh alone it is recombined from
  // the stored parts, Ac(dh) = M0 - (dh / dh_probe) (M0 - Ac(dh_probe)), M0 = P^T W P diagonal.
  template <class Sys>
  void prepare_coarse(Sys& sys) {
    const GridView v = sys.view();
    const long version = sys.coefficient_version();
    const bool first = !coarse_active_;
    const bool stale = version != coarse_version_ && baseline_iterations_ >= 0 &&
                       last_iterations_ > 1.5 * static_cast<double>(baseline_iterations_) + 2.0;
    if (first || stale) {
      assemble_coarse(sys, v);
      coarse_version_ = version;
      baseline_iterations_ = -1;
    } else if (dh_ == coarse_dh_) {
      return;
    }
    refactor_coarse();
    coarse_active_ = true;
  }

  // The multigrid hierarchy: the finest stencil follows every coefficient change (as the z-line
  // factor does); the coarse stencils are rebuilt on the same rule as the two-level operator
  // (coefficients changed and the last solve took > 1.5x the iterations seen after the last
  // build; a stale hierarchy is still symmetric positive definite); the z-line factors of every
  // level follow dh.
  template <class Sys>
  void prepare_multigrid(Sys& sys, bool new_coefficients) {
    const bool first = multigrid_.builds() == 0;
    const bool stale = sys.coefficient_version() != coarse_version_ && baseline_iterations_ >= 0 &&
                       last_iterations_ > 1.5 * static_cast<double>(baseline_iterations_) + 2.0;
    if (first || new_coefficients) multigrid_.update_fine(sys);
    if (first || stale) {
      multigrid_.coarsen();
      coarse_version_ = sys.coefficient_version();
      baseline_iterations_ = -1;
      ++counters_.coarse_builds;
    }
    multigrid_.factor(dh_);
  }

  template <class Sys>
  void assemble_coarse(Sys& sys, const GridView& v) {
    CoarseLayout& L = layout_;
    if (materials_ == 0) {
      materials_ = kSplitMaterials ? static_cast<int>(Exec::max(cells_, MaterialIndexK{v.material})) + 1 : 1;
      L.materials = materials_;
      L.bx = std::min(v.nx, kBlockColumns);
      L.by = std::min(v.ny, kBlockColumns);
      L.nbx = (v.nx + L.bx - 1) / L.bx;
      L.nby = (v.ny + L.by - 1) / L.by;
      for (vector* w : {&weight_, &aggregate_}) Exec::resize(*w, cells_);
      for (vector* w : {&coarse_r_, &coarse_z_}) Exec::resize(*w, static_cast<std::size_t>(v.nz) * L.per_plane());
    }
    Exec::for_each(cells_, AggregateWeightK{v, sys.conductances(), L, Exec::data(aggregate_), Exec::data(weight_)});
    std::vector<double> aggregate, weight, q;
    Exec::download(aggregate_, aggregate);
    Exec::download(weight_, weight);
    const std::size_t n = static_cast<std::size_t>(v.nz) * L.per_plane();
    mass_.assign(n, 0.0);
    probed_.assign(n * kBand * materials_, 0.0);  // row a, column (neighbour offset code) * materials + m
    for (std::size_t c = 0; c < cells_; ++c) mass_[static_cast<std::size_t>(aggregate[c])] += weight[c];
    const std::size_t plane = static_cast<std::size_t>(v.nx) * v.ny;
    auto offset = [](int residue, int index) { return ((residue - index) % 3 + 4) % 3 - 1; };  // -1, 0, +1
    for (int rz = 0; rz < std::min(3, v.nz); ++rz)
      for (int ry = 0; ry < std::min(3, L.nby); ++ry)
        for (int rx = 0; rx < std::min(3, L.nbx); ++rx)
          for (int m = 0; m < materials_; ++m) {
            Exec::for_each(state_size_, CoarseProbeK{v, L, rx, ry, rz, m, cells_, Exec::data(p_)});
            apply_dot(sys, p_, q_);
            Exec::download(q_, q);
            for (std::size_t c = 0; c < cells_; ++c) {
              if (q[c] == 0.0) continue;
              const int k = static_cast<int>(c / plane), i = static_cast<int>(c % v.nx),
                        j = static_cast<int>((c / v.nx) % v.ny);
              const int ox = offset(rx, i / L.bx), oy = offset(ry, j / L.by), oz = offset(rz, k);
              const int code = (oz + 1) * 9 + (oy + 1) * 3 + (ox + 1);
              probed_[(static_cast<std::size_t>(aggregate[c]) * kBand + code) * materials_ + m] += weight[c] * q[c];
            }
          }
    coarse_dh_probe_ = dh_;
    ++counters_.coarse_builds;
  }

  void refactor_coarse() {
    const CoarseLayout& L = layout_;
    const std::size_t n = mass_.size(), M = static_cast<std::size_t>(materials_);
    const double ratio = dh_ / coarse_dh_probe_;
    std::vector<int> rows, columns;
    std::vector<double> values;
    for (std::size_t a = 0; a < n; ++a) {
      const long k = static_cast<long>(a / L.per_plane());
      const long block = static_cast<long>((a % L.per_plane()) / M);
      const long bi = block % L.nbx, bj = block / L.nbx;
      for (int code = 0; code < kBand; ++code) {
        const long oz = code / 9 - 1, oy = (code / 3) % 3 - 1, ox = code % 3 - 1;
        const long kb = k + oz, bjb = bj + oy, bib = bi + ox;
        if (kb < 0 || kb >= static_cast<long>(n / L.per_plane()) || bjb < 0 || bjb >= L.nby || bib < 0 || bib >= L.nbx)
          continue;
        for (std::size_t m = 0; m < M; ++m) {
          const double p = probed_[(a * kBand + code) * M + m];
          const std::size_t b =
              static_cast<std::size_t>(kb) * L.per_plane() + (static_cast<std::size_t>(bjb) * L.nbx + bib) * M + m;
          const double m0 = b == a ? mass_[a] : 0.0;
          const double value = m0 - ratio * (m0 - p);
          if (value == 0.0) continue;
          rows.push_back(static_cast<int>(a));
          columns.push_back(static_cast<int>(b));
          values.push_back(value);
        }
      }
    }
    coarse_.factorize(static_cast<int>(n), rows, columns, values);
    host_rc_.assign(n, 0.0);
    coarse_dh_ = dh_;
  }

  static constexpr int kBlockColumns = 4;         // lateral block of the coarse aggregates
  static constexpr bool kSplitMaterials = false;  // one aggregate per block, whatever its materials
  static constexpr int kBand = 27;                // neighbour offsets (x, y, z) in {-1, 0, 1}³

  std::size_t cells_, state_size_;
  double rtol_, atol_;
  int max_iterations_;
  KrylovPreconditioner preconditioner_;
  // The coarse correction (two_level): host factor, stored probe, per-cell aggregate and weight.
  bool coarse_active_ = false;
  int materials_ = 0;
  long coarse_version_ = -1, last_iterations_ = 0, baseline_iterations_ = -1;
  double coarse_dh_ = -1.0, coarse_dh_probe_ = 1.0;
  CoarseLayout layout_;
  std::vector<double> mass_, probed_, host_rc_, host_zc_;
  vector weight_, aggregate_, coarse_r_, coarse_z_;
  CoarseSolver coarse_;
  // The multigrid cycle (multigrid).
  bool multigrid_active_ = false;
  MultigridPreconditioner<Exec> multigrid_;
  double t_ = 0.0, dh_ = -1.0, film_weight_ = 0.0, film_inv_diagonal_ = 0.0;
  long version_ = -1;
  vector r_, z_, p_, q_, lower_, upper_, inv_pivot_;
  LinearCounters counters_;
};

}  // namespace poreflux
