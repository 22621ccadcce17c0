// The multigrid preconditioner of the Krylov solver (linear_solvers.hpp, KrylovPreconditioner::
// multigrid): geometric multigrid on the structured grid with z-line Gauss-Seidel smoothing and
// lateral 2 x 2 semi-coarsening, Galerkin coarse operators, a symmetric cycle.
//
// Why this shape: the grid is graded in z (0.5 um stratum corneum under 40 um dermis) and the
// diffusivities differ by 10^5 between the stratum corneum and the open channels; a z-line solve
// removes the stiff vertical coupling exactly, so only the lateral directions are coarsened, and
// z stays fine on every level (the smoother keeps handling it). Piecewise-constant aggregation
// of 2 x 2 columns keeps every coarse operator a 7-point stencil of the same kind, built from the
// finer one point-wise (kernels/multigrid_K.hpp, no probing, no second discretisation), down to
// a single column whose z-line solve is exact: no host solve at all, so the whole cycle runs on
// the backend's vectors (the CUDA path gets it).
//
// Symmetry: it works on S = W B (W = V/K, in which B is symmetric). Pre-smoothing is one red-
// black z-line Gauss-Seidel sweep (red columns, then black), post-smoothing its adjoint (black,
// then red); the coarse correction is the same cycle one level down (a V-cycle: a W-cycle, two
// coarse visits, selectable below, saves 5-6 % of the iterations and costs ~1.5x the seconds on
// the 3D cell and its refinements: its coarse levels run serially; docs/BENCHMARKS.md). The error
// propagator E = G* (I - P Bc P^T S) G (G: the pre-smoother, G* its S-adjoint; Bc: the coarse
// cycle, SPD by induction from the exact coarsest solve) is S-self-adjoint, and
// x^T S E x <= |G x|_S^2 < |x|_S^2 because Gauss-Seidel contracts in the S norm of an SPD S; so
// E's eigenvalues lie below 1 and M^-1 = cycle(W r) is W-symmetric positive definite: CG keeps
// its guarantees, its stopping test and hence the mass balance.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "poreflux/kernels/multigrid_K.hpp"

namespace poreflux {

template <class Exec>
class MultigridPreconditioner {
 public:
  using vector = typename Exec::vector;

  // The cycle's shape, for benchmarks (bench/iterations_vs_grid.py; docs/BENCHMARKS.md "Krylov
  // preconditioners against the grid"): POREFLUX_MULTIGRID_CYCLE = "v" (default) or "w" (every
  // coarse level but the exact single column visited twice: x = B b, then x += B (b - A x),
  // which is SPD again, so the cycle stays symmetric); POREFLUX_MULTIGRID_SWEEPS = smoothing
  // sweeps before and after the coarse correction (default: kSweepsOnLargeGrids from
  // kLargeGridCells cells of the finest level on, 1 below; the post-smoothing is the adjoint of
  // the pre-smoothing either way); POREFLUX_MULTIGRID_GROUPED = 1 or 0: a half sweep's lines solved
  // kGroupLines at a time (LineRelaxK::group; the default where vectors are in host memory) or
  // one per column (always on the GPU, a column per thread) — the same z either way.
  //
  // Why the default depends on the size: a second sweep cuts the iterations per solve by ~36 %
  // at every size and costs ~1.5x per iteration, a trade that loses 7 % on the 29.5 k-cell 3D
  // cell, breaks even at 168 k and wins 5 % at 423 k cells (above ~150 k cells each iteration is
  // memory-bound, so the operator product and the Krylov vectors a saved iteration avoids cost
  // more than the sweep it adds), and keeps the iterations per solve at 9.6 / 11.1 where one
  // sweep needs 15.1 / 17.0 (docs/BENCHMARKS.md, "Cycle variants"; measured idle, ESDIRK steps).
  // The threshold sits between the sizes measured on either side of the break-even (69 k: +2 %;
  // 168 k: equal).
  static constexpr std::size_t kLargeGridCells = 100000;
  static constexpr int kSweepsOnLargeGrids = 2;

  MultigridPreconditioner() {
    if (const char* c = std::getenv("POREFLUX_MULTIGRID_CYCLE"); c && *c) {
      const std::string t = c;
      if (t != "v" && t != "w")
        throw std::invalid_argument("environment variable POREFLUX_MULTIGRID_CYCLE: expected \"v\" or \"w\"; got \"" +
                                    t + "\"");
      coarse_visits_ = t == "w" ? 2 : 1;
    }
    if (const char* c = std::getenv("POREFLUX_MULTIGRID_GROUPED"); c && *c) {
      const std::string t = c;
      if (t != "0" && t != "1")
        throw std::invalid_argument("environment variable POREFLUX_MULTIGRID_GROUPED: expected 0 or 1; got \"" + t +
                                    "\"");
      grouped_lines_ = Exec::kHostMemory && t == "1";
    }
    if (const char* c = std::getenv("POREFLUX_MULTIGRID_SWEEPS"); c && *c) {
      const int n = std::atoi(c);
      if (n < 1 || n > 4)
        throw std::invalid_argument(
            "environment variable POREFLUX_MULTIGRID_SWEEPS: expected an integer from 1 to 4; got \"" + std::string(c) +
            "\"");
      sweeps_ = n;
      sweeps_from_environment_ = true;
    }
  }

  // The finest level's stencil from the system's current conductances (every coefficient
  // change, like the z-line factor: one sweep).
  template <class Sys>
  void update_fine(Sys& sys) {
    const GridView v = sys.view();
    if (levels_.empty()) {
      allocate(v.nx, v.ny, v.nz);
      if (!sweeps_from_environment_ && levels_[0].cells() >= kLargeGridCells) sweeps_ = kSweepsOnLargeGrids;
    }
    Level& f = levels_[0];
    Exec::for_each(cell_count(v), FineStencilK{v, sys.conductances(), Exec::data(f.mass), Exec::data(f.lap),
                                               Exec::data(f.ax), Exec::data(f.ay), Exec::data(f.az)});
  }

  // Galerkin coarse stencils of every level from the one above (cheap: 1/3 of a sweep in all).
  void coarsen() {
    for (std::size_t l = 0; l + 1 < levels_.size(); ++l) {
      Level &f = levels_[l], &c = levels_[l + 1];
      Exec::for_each(c.cells(), CoarsenK{stencil(f, 0.0), c.nx, c.ny, Exec::data(c.mass), Exec::data(c.lap),
                                         Exec::data(c.ax), Exec::data(c.ay), Exec::data(c.az)});
    }
    ++builds_;
  }

  // The z-line factors of every level for step size dh.
  void factor(double dh) {
    dh_ = dh;
    for (Level& l : levels_) for_columns(l, LineFactorK{stencil(l, dh), Exec::data(l.inv_pivot)});
  }

  // z = M^-1 r on the cells (the cycle on S z = W r), the film by its diagonal; returns <r, z>_W.
  double apply(const vector& r, vector& z, double film_inv_diagonal, double film_weight) {
    film_inv_diagonal_ = film_inv_diagonal;
    film_weight_ = film_weight;
    return cycle(0, Exec::data(r), Exec::data(levels_[0].mass), Exec::data(z));
  }

  // The same cycle with the conjugate-gradient update of r (and x) fused into its first half
  // sweep (CgUpdateRelaxK): `update` is applied to every cell and the film, then z = M^-1 r
  // follows only if `stop(sum)` of the update's summed stopping-test terms is false. Returns
  // that sum and, through rz, <r, z>_W (untouched when stopped; z is then partly written).
  template <class Stop>
  double update_apply(const CgUpdateK& update, const vector& r, vector& z, double film_inv_diagonal, double film_weight,
                      const Stop& stop, double& rz) {
    film_inv_diagonal_ = film_inv_diagonal;
    film_weight_ = film_weight;
    Level& l = levels_[0];
    const double* b = Exec::data(r);
    const double* b_scale = Exec::data(l.mass);
    double* x = Exec::data(z);
    const LineRelaxK first{stencil(l, dh_),
                           Exec::data(l.inv_pivot),
                           b,
                           b_scale,
                           x,
                           0,
                           true,
                           CoarseCorrection{nullptr, 1, 1},
                           false,
                           0.0,
                           0.0};
    double norm = 0.0;
    if constexpr (Exec::kHostMemory) {
      if (grouped_lines_)
        norm = Exec::sum(LineGroupK::groups(l.nx, l.ny), CgUpdateRelaxGroupK{update, first}, 0.0,
                         static_cast<std::size_t>(LineGroupK::kColumns * l.nz));
    }
    if (!grouped_lines_)
      norm = Exec::sum(l.columns(), CgUpdateRelaxK{update, first}, 0.0, static_cast<std::size_t>(l.nz));
    if (stop(norm)) return norm;
    rz = levels_.size() == 1 ? relax(l, b, b_scale, x, 0, true, nullptr, true) : cycle_after_first(0, b, b_scale, x);
    return norm;
  }

  bool ready() const { return !levels_.empty() && dh_ > 0.0; }
  std::size_t level_count() const { return levels_.size(); }
  long builds() const { return builds_; }
  int sweeps() const { return sweeps_; }

 private:
  struct Level {
    int nx, ny, nz;
    vector mass, lap, ax, ay, az, inv_pivot;
    vector b, x;  // right side and solution (coarse levels; the finest uses CG's r and z)
    std::size_t columns() const { return static_cast<std::size_t>(nx) * ny; }
    std::size_t cells() const { return columns() * nz; }
  };

  // Levels halve nx and ny (rounding up) until one column is left. The vector of levels is
  // reserved first: growing it would copy the levels already made (Level's move may throw, so
  // std::vector copies on reallocation), and the finest level's copy alone is 6 vectors of the
  // grid, transient but counted in the peak RSS (heaptrack on a 781 k-cell patch: 6.7 of its 48
  // doubles per cell; docs/BENCHMARKS.md).
  void allocate(int nx, int ny, int nz) {
    std::size_t count = 1;
    for (int x = nx, y = ny; x > 1 || y > 1; x = (x + 1) / 2, y = (y + 1) / 2) ++count;
    levels_.reserve(count);
    for (;;) {
      Level l;
      l.nx = nx;
      l.ny = ny;
      l.nz = nz;
      for (vector* w : {&l.mass, &l.lap, &l.ax, &l.ay, &l.az, &l.inv_pivot}) Exec::resize(*w, l.cells());
      if (!levels_.empty())
        for (vector* w : {&l.b, &l.x}) Exec::resize(*w, l.cells());
      levels_.push_back(std::move(l));
      if (nx == 1 && ny == 1) break;
      nx = (nx + 1) / 2;
      ny = (ny + 1) / 2;
    }
  }

  static LevelStencil stencil(const Level& l, double dh) {
    return LevelStencil{
        l.nx, l.ny, l.nz, Exec::data(l.mass), Exec::data(l.lap), Exec::data(l.ax), Exec::data(l.ay), Exec::data(l.az),
        dh};
  }

  // A column kernel through the backend's reduction, whose `work` hint schedules by the cells
  // a column stands for (a plain for_each would count columns and run a few hundred serially).
  template <class F>
  static void for_columns(const Level& l, const F& f) {
    Exec::sum(l.columns(), f, 0.0, static_cast<std::size_t>(l.nz));
  }

  double relax(Level& l, const double* b, const double* b_scale, double* x, int colour, bool zero_start,
               const Level* coarse = nullptr, bool dot = false) {
    const CoarseCorrection correction{coarse ? Exec::data(coarse->x) : nullptr, coarse ? coarse->nx : 1,
                                      coarse ? coarse->columns() : 1};
    const LineRelaxK half{stencil(l, dh_),
                          Exec::data(l.inv_pivot),
                          b,
                          b_scale,
                          x,
                          colour,
                          zero_start,
                          correction,
                          dot,
                          film_inv_diagonal_,
                          film_weight_};
    // Host memory: lines in groups solved together (LineRelaxK::group); the GPU: a column per
    // thread (the grouped kernels are not even compiled for it).
    if constexpr (Exec::kHostMemory) {
      if (grouped_lines_)
        return Exec::sum(LineGroupK::groups(l.nx, l.ny), LineGroupK{half}, 0.0,
                         static_cast<std::size_t>(LineGroupK::kColumns * l.nz));
    }
    return Exec::sum(l.columns(), half, 0.0, static_cast<std::size_t>(l.nz));
  }

  // c.b = P^T (b - S x) on level l (host: along rows, ResidualRestrictRowsK; the GPU: a coarse
  // column per thread, whose loads coalesce across threads).
  void restrict_residual(const Level& l, Level& c, const double* b, const double* b_scale, const double* x) const {
    if constexpr (Exec::kHostMemory) {
      Exec::sum(static_cast<std::size_t>(c.ny) * c.nz,
                ResidualRestrictRowsK{{stencil(l, dh_), b, b_scale, x, c.nx, c.ny, Exec::data(c.b)}}, 0.0,
                static_cast<std::size_t>(2 * l.nx));
    } else {
      Exec::sum(c.columns(), ResidualRestrictK{stencil(l, dh_), b, b_scale, x, c.nx, c.ny, Exec::data(c.b)}, 0.0,
                static_cast<std::size_t>(4 * l.nz));
    }
  }

  // x = cycle(b) on level `at` (b scaled per cell by b_scale when given), from x = 0 (or from
  // the x it holds when !zero_start: one more iteration of the same cycle, the W-cycle's second
  // visit). Returns <r, z>_W on the finest level (its last half sweep sums it), 0 elsewhere.
  double cycle(std::size_t at, const double* b, const double* b_scale, double* x, bool zero_start = true) {
    Level& l = levels_[at];
    const bool finest = at == 0;
    if (at + 1 == levels_.size())  // one column: its z-line solve is exact
      return relax(l, b, b_scale, x, 0, true, nullptr, finest);
    relax(l, b, b_scale, x, 0, zero_start);  // pre-smoothing: red, then black
    return cycle_after_first(at, b, b_scale, x);
  }

  // The cycle from its second half sweep on (the first, red, done).
  double cycle_after_first(std::size_t at, const double* b, const double* b_scale, double* x) {
    Level& l = levels_[at];
    const bool finest = at == 0;
    relax(l, b, b_scale, x, 1, false);
    for (int s = 1; s < sweeps_; ++s) {  // further pre-smoothing sweeps: red, black
      relax(l, b, b_scale, x, 0, false);
      relax(l, b, b_scale, x, 1, false);
    }
    Level& c = levels_[at + 1];
    restrict_residual(l, c, b, b_scale, x);
    cycle(at + 1, Exec::data(c.b), nullptr, Exec::data(c.x));
    // The W-cycle's second coarse visit (pointless on the single column, solved exactly).
    if (at + 2 < levels_.size())
      for (int v = 1; v < coarse_visits_; ++v) cycle(at + 1, Exec::data(c.b), nullptr, Exec::data(c.x), false);
    // Post-smoothing, the adjoint: black (reading x + P xc), then red; each line is final after
    // its half sweep, so the last pair returns its share of <r, z>_W on the finest level.
    for (int s = 1; s < sweeps_; ++s) {
      relax(l, b, b_scale, x, 1, false, s == 1 ? &c : nullptr);
      relax(l, b, b_scale, x, 0, false);
    }
    const double black = relax(l, b, b_scale, x, 1, false, sweeps_ == 1 ? &c : nullptr, finest);
    return black + relax(l, b, b_scale, x, 0, false, nullptr, finest);
  }

  std::vector<Level> levels_;
  double dh_ = -1.0, film_inv_diagonal_ = 0.0, film_weight_ = 0.0;
  long builds_ = 0;
  int coarse_visits_ = 1, sweeps_ = 1;
  bool sweeps_from_environment_ = false;
  bool grouped_lines_ = Exec::kHostMemory;  // never set on the GPU (the environment is read only where it applies)
};

}  // namespace poreflux
