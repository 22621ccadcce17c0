// Point-wise bodies of the multigrid preconditioner (solver/multigrid_preconditioner.hpp),
// written once for every backend.
//
// Every level is a structured nx x ny x nz grid (z never coarsened: the z-line smoother solves
// the stiff graded direction exactly) carrying the 7-point stencil of the *symmetric* form of the
// stage operator, S = W B = M + dh L with W = V/K: per cell its mass M (diagonal), the diagonal
// of L, and the couplings to the +x, +y and +z neighbours (S_cd = -dh a_cd). The symmetric form
// is what Galerkin coarsening P^T S P with piecewise-constant P keeps symmetric, and it splits
// into a dh-free mass and Laplacian, so a new step size only refactors the z lines.
//
// Coarse level l+1 aggregates 2 x 2 columns of level l in x and y (1 where the level has a single
// column in that direction), plane by plane; cell (i, j, k) of level l lies in coarse cell
// (i/2, j/2, k).
#pragma once

#include "poreflux/kernels/implicit_K.hpp"
#include "poreflux/kernels/transport_K.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// One level's stencil (dh-free parts) and the current step size.
struct LevelStencil {
  int nx, ny, nz;
  const double* mass;  // M_cc
  const double* lap;   // L_cc
  const double* ax;    // -L between c and c+1 (x); 0 on the last column
  const double* ay;    // -L between c and c+nx (y); 0 on the last row
  const double* az;    // -L between c and c+nx*ny (z); 0 on the bottom plane
  double dh;
  PF_HD std::size_t plane() const { return static_cast<std::size_t>(nx) * ny; }
  PF_HD double diagonal(std::size_t c) const { return mass[c] + dh * lap[c]; }
  // dh * sum of a_cd x_d over the lateral neighbours of c = (i, j, .) (the z-line's right side).
  PF_HD double lateral(const double* x, std::size_t c, int i, int j) const {
    double s = 0.0;
    if (i > 0) s += ax[c - 1] * x[c - 1];
    if (i + 1 < nx) s += ax[c] * x[c + 1];
    if (j > 0) s += ay[c - nx] * x[c - nx];
    if (j + 1 < ny) s += ay[c] * x[c + nx];
    return dh * s;
  }
  // (S x)_c for c = (i, j, k).
  PF_HD double apply(const double* x, std::size_t c, int i, int j, int k) const {
    double s = diagonal(c) * x[c] - lateral(x, c, i, j);
    if (k > 0) s -= dh * az[c - plane()] * x[c - plane()];
    if (k + 1 < nz) s -= dh * az[c] * x[c + plane()];
    return s;
  }
};

// The finest level's stencil from the cached conductances: S = W (I - dh A) with W = V/K. Its
// diagonal is exactly the one the z-line factor (ColumnFactorK) scales by W, the film's contact
// included; couplings across a periodic edge are left out of the stencil (their conductance stays
// in the diagonal, so S remains symmetric positive definite, only a weaker approximation).
struct FineStencilK {
  GridView v;
  Conductances g;
  double* mass;
  double* lap;
  double* ax;
  double* ay;
  double* az;
  PF_HD void operator()(std::size_t c) const {
    const std::size_t plane = static_cast<std::size_t>(v.nx) * v.ny;
    const int k = static_cast<int>(c / plane);
    const int i = static_cast<int>(c % v.nx), j = static_cast<int>((c / v.nx) % v.ny);
    const PencilNeighbours p = pencil_neighbours(v, g, j, k, linearised_contact(v));
    int ip, im;
    x_neighbours<false>(v, i, ip, im);
    const double inv_k = g.inv_k[c], volume = 1.0 / inverse_volume(g, i, j, k);
    mass[c] = inv_k * volume;
    lap[c] = face_conductance_sum(g, p, i, im) * inv_k * inv_k + g.decay[c] * inv_k * volume;
    ax[c] = i + 1 < v.nx ? g.gx[c] * inv_k * g.inv_k[c + 1] : 0.0;
    ay[c] = j + 1 < v.ny ? g.gy[c] * inv_k * g.inv_k[c + v.nx] : 0.0;
    az[c] = k + 1 < v.nz ? g.gz[c] * inv_k * g.inv_k[c + plane] : 0.0;
  }
};

// The children of coarse cell (I, J) along one direction of a fine level of n cells: [first, last].
PF_HD inline void children(int n, int I, int& first, int& last) {
  first = n > 1 ? 2 * I : I;
  last = first + 1 < n ? first + 1 : first;
}

// Coarse stencil = P^T S P (Galerkin), per coarse cell: masses and Laplacian diagonals add, each
// coupling inside the aggregate counts twice against the diagonal, couplings to the next
// aggregate add up.
struct CoarsenK {
  LevelStencil fine;  // dh unused
  int cnx, cny;
  double* mass;
  double* lap;
  double* ax;
  double* ay;
  double* az;
  PF_HD void operator()(std::size_t C) const {
    const std::size_t cplane = static_cast<std::size_t>(cnx) * cny;
    const int k = static_cast<int>(C / cplane);
    const int I = static_cast<int>(C % cnx), J = static_cast<int>((C / cnx) % cny);
    int i0, i1, j0, j1;
    children(fine.nx, I, i0, i1);
    children(fine.ny, J, j0, j1);
    double m = 0.0, l = 0.0, x = 0.0, y = 0.0, z = 0.0;
    for (int j = j0; j <= j1; ++j)
      for (int i = i0; i <= i1; ++i) {
        const std::size_t c = static_cast<std::size_t>(i) + static_cast<std::size_t>(fine.nx) * j + fine.plane() * k;
        m += fine.mass[c];
        l += fine.lap[c];
        z += fine.az[c];
        if (i < i1) l -= 2.0 * fine.ax[c];  // internal x coupling
        if (j < j1) l -= 2.0 * fine.ay[c];  // internal y coupling
        if (i == i1 && I + 1 < cnx) x += fine.ax[c];
        if (j == j1 && J + 1 < cny) y += fine.ay[c];
      }
    mass[C] = m;
    lap[C] = l;
    ax[C] = x;
    ay[C] = y;
    az[C] = z;
  }
};

// Cholesky-free Thomas factor of each z line of S: 1 / pivot per cell. Launched over columns.
struct LineFactorK {
  LevelStencil s;
  double* inv_pivot;
  PF_HD double operator()(std::size_t column) const {
    const std::size_t plane = s.plane();
    double prev = 0.0;  // e_{k-1}^2 / pivot_{k-1}
    for (int k = 0; k < s.nz; ++k) {
      const std::size_t c = column + plane * k;
      const double inv = 1.0 / (s.diagonal(c) - prev);
      inv_pivot[c] = inv;
      const double e = s.dh * s.az[c];
      prev = e * e * inv;
    }
    return 0.0;
  }
};

// The coarse level's correction as the smoother reads it: the value of cell (i, j, k)'s aggregate.
struct CoarseCorrection {
  const double* xc;  // nullptr: none
  int cnx;
  std::size_t cplane;
  PF_HD double at(int i, int j, int k) const {
    return xc[static_cast<std::size_t>(i >> 1) + static_cast<std::size_t>(cnx) * (j >> 1) + cplane * k];
  }
};

// One z-line Gauss-Seidel half sweep over the columns of one colour ((i + j) mod 2): each such
// column solves its line exactly with the current values of its lateral neighbours (all of the
// other colour, so the columns of a colour are independent). rhs = b, times `b_scale` per cell
// when given (the finest level's W r). Launched over columns, reduced with +.
//  - `zero_start`: x is taken as 0 (the neighbours are not read): a cycle's first half sweep.
//  - `coarse`: the neighbours are read as x + P xc. A line's own old value never enters its
//    solve, so prolongation followed by this half sweep and the other colour's equals this fused
//    form, which saves the separate sweep that would add P xc to every cell.
//  - `dot`: returns the column's share of <r, z>_W = sum b_scale b x (the finest level's last
//    half sweep; 0 otherwise), and column 0 sets the film's z by its diagonal (it stays out of
//    the hierarchy, as in the z-line solve).
struct LineRelaxK {
  LevelStencil s;
  const double* inv_pivot;
  const double* b;
  const double* b_scale;
  double* x;
  int colour;
  bool zero_start;
  CoarseCorrection coarse;
  bool dot;
  double film_inv_diagonal, film_weight;
  PF_HD double neighbours(std::size_t c, int i, int j, int k) const {
    if (!coarse.xc) return s.lateral(x, c, i, j);
    double t = 0.0;
    if (i > 0) t += s.ax[c - 1] * (x[c - 1] + coarse.at(i - 1, j, k));
    if (i + 1 < s.nx) t += s.ax[c] * (x[c + 1] + coarse.at(i + 1, j, k));
    if (j > 0) t += s.ay[c - s.nx] * (x[c - s.nx] + coarse.at(i, j - 1, k));
    if (j + 1 < s.ny) t += s.ay[c] * (x[c + s.nx] + coarse.at(i, j + 1, k));
    return s.dh * t;
  }
  // The forward elimination's step at cell c = (i, j, k) of a line: returns the new `prev`.
  PF_HD double forward(std::size_t c, int i, int j, int k, double prev) const {
    double rhs = b_scale ? b_scale[c] * b[c] : b[c];
    if (!zero_start) rhs += neighbours(c, i, j, k);
    // y_k = (rhs_k + dh az_{k-1} y_{k-1}) / pivot_k, evaluated as one multiply-add on y_{k-1}:
    // the chain from cell to cell is one dependent operation instead of two (the line solves
    // wait on it; the products with rhs and the coupling are off the chain).
    const double inv = inv_pivot[c];
    const double g = k > 0 ? s.dh * s.az[c - s.plane()] * inv : 0.0;
    prev = g * prev + rhs * inv;
    x[c] = prev;
    return prev;
  }
  // The back substitution's step at cell c of plane k; returns the cell's share of the dot.
  PF_HD double backward(std::size_t c, int k) const {
    if (k + 1 < s.nz) x[c] += s.dh * s.az[c] * inv_pivot[c] * x[c + s.plane()];
    return dot ? b_scale[c] * b[c] * x[c] : 0.0;
  }
  PF_HD double film_share(std::size_t column) const {
    if (!dot || column != 0) return 0.0;
    const std::size_t film = s.plane() * s.nz;
    x[film] = film_inv_diagonal * b[film];
    return film_weight * x[film] * b[film];
  }
  PF_HD double operator()(std::size_t column) const {
    const int i = static_cast<int>(column % s.nx), j = static_cast<int>(column / s.nx);
    if (((i + j) & 1) != colour) return 0.0;
    const std::size_t plane = s.plane();
    double prev = 0.0;
    for (int k = 0; k < s.nz; ++k) prev = forward(column + plane * k, i, j, k, prev);
    double share = 0.0;
    for (int k = s.nz - 1; k >= 0; --k) share += backward(column + plane * k, k);
    return share + film_share(column);
  }
  // The lines of this colour among the 2 kGroupLines columns of row j from i0 (even) on (fewer
  // at the row's end), solved together: their recurrences interleave plane by plane. Why: one
  // line's elimination is a chain of dependent multiply-adds whose loads stride a whole plane,
  // so a core waits on each cell in turn; independent chains keep several in flight, and the
  // lines' cells of a plane share their cache lines. Each line's arithmetic is the same as
  // operator()'s, in the same order, so x is the same to the bit (the dot's shares are summed
  // in another order). Four lines: 17 % off a one-thread run of the 3D cell against one line at
  // a time (8.07 -> 6.66 s); eight were no faster (6.73 s).
  static constexpr int kGroupLines = 4;
  PF_HD double group(int j, int i0) const {
    const std::size_t row = static_cast<std::size_t>(s.nx) * j;
    const int first = i0 + ((colour + j) & 1);
    const int end = i0 + 2 * kGroupLines < s.nx ? i0 + 2 * kGroupLines : s.nx;
    const int count = first < end ? (end - first + 1) / 2 : 0;
    switch (count) {
      case 4:
        return lines<4>(row, first, j);
      case 3:
        return lines<3>(row, first, j);
      case 2:
        return lines<2>(row, first, j);
      case 1:
        return lines<1>(row, first, j);
      default:
        return 0.0;
    }
  }
  template <int L>
  PF_HD double lines(std::size_t row, int first, int j) const {
    const std::size_t plane = s.plane();
    double prev[L] = {};
    for (int k = 0; k < s.nz; ++k) {
      PF_UNROLL_LINES
      for (int q = 0; q < L; ++q) {
        const int i = first + 2 * q;
        prev[q] = forward(row + i + plane * k, i, j, k, prev[q]);
      }
    }
    double share[L] = {};
    for (int k = s.nz - 1; k >= 0; --k) {
      PF_UNROLL_LINES
      for (int q = 0; q < L; ++q) share[q] += backward(row + first + 2 * q + plane * k, k);
    }
    double total = film_share(row + first);
    for (int q = 0; q < L; ++q) total += share[q];
    return total;
  }
};

// A half sweep over groups of 2 kGroupLines columns (LineRelaxK::group), the host's launch:
// group g is row g / per_row, columns from 2 kGroupLines (g mod per_row). Reduced with +.
struct LineGroupK {
  LineRelaxK relax;
  static constexpr int kColumns = 2 * LineRelaxK::kGroupLines;
  PF_HD static std::size_t groups(int nx, int ny) {
    return static_cast<std::size_t>((nx + kColumns - 1) / kColumns) * static_cast<std::size_t>(ny);
  }
  PF_HD double operator()(std::size_t g) const {
    const int per_row = (relax.s.nx + kColumns - 1) / kColumns;
    return relax.group(static_cast<int>(g / per_row), kColumns * static_cast<int>(g % per_row));
  }
};

// The conjugate-gradient update fused with the cycle's first half sweep on the finest level:
// per column, x += alpha p and r -= alpha q on its cells (column 0 also on the film, the last
// element), then, on colour-0 columns, the z-line solve from z = 0 on the updated r. That solve
// reads only its own column's r, so no other column's update has to be finished first: one
// parallel loop where the update and the half sweep made two. Returns the column's share of the
// stopping test's sum (CgUpdateK's). Launched over columns, reduced with +.
struct CgUpdateRelaxK {
  CgUpdateK update;
  LineRelaxK relax;  // colour 0, zero_start, no coarse correction, no dot
  PF_HD double operator()(std::size_t column) const {
    const std::size_t plane = relax.s.plane();
    double norm = 0.0;
    for (int k = 0; k < relax.s.nz; ++k) norm += update(column + plane * k);
    if (column == 0) norm += update(plane * relax.s.nz);
    relax(column);
    return norm;
  }
};

// CgUpdateRelaxK over a group of columns (LineGroupK's): the update on all of them, then the
// group's colour-0 lines solved together.
struct CgUpdateRelaxGroupK {
  CgUpdateK update;
  LineRelaxK relax;  // colour 0, zero_start, no coarse correction, no dot
  PF_HD double operator()(std::size_t g) const {
    const int nx = relax.s.nx, per_row = (nx + LineGroupK::kColumns - 1) / LineGroupK::kColumns;
    const int j = static_cast<int>(g / per_row), i0 = LineGroupK::kColumns * static_cast<int>(g % per_row);
    const int i1 = i0 + LineGroupK::kColumns < nx ? i0 + LineGroupK::kColumns : nx;
    const std::size_t plane = relax.s.plane(), row = static_cast<std::size_t>(nx) * j;
    double norm = 0.0;
    for (int k = 0; k < relax.s.nz; ++k)
      for (int i = i0; i < i1; ++i) norm += update(row + i + plane * k);
    if (row + i0 == 0) norm += update(plane * relax.s.nz);
    relax.group(j, i0);
    return norm;
  }
};

// rc = P^T (b - S x) after a pre-smoothing that ended with the colour-1 half sweep: those lines
// were just solved exactly, so their residual is 0 (to round-off) and only colour-0 cells are
// summed. Launched over coarse columns, reduced with + (returns 0).
struct ResidualRestrictK {
  LevelStencil s;
  const double* b;
  const double* b_scale;
  const double* x;
  int cnx, cny;
  double* rc;
  PF_HD double residual(std::size_t c, int i, int j, int k) const {
    return (b_scale ? b_scale[c] * b[c] : b[c]) - s.apply(x, c, i, j, k);
  }
  PF_HD double operator()(std::size_t coarse_column) const {
    const std::size_t cplane = static_cast<std::size_t>(cnx) * cny;
    const int I = static_cast<int>(coarse_column % cnx), J = static_cast<int>(coarse_column / cnx);
    int i0, i1, j0, j1;
    children(s.nx, I, i0, i1);
    children(s.ny, J, j0, j1);
    for (int k = 0; k < s.nz; ++k) {
      double sum = 0.0;
      for (int j = j0; j <= j1; ++j)
        for (int i = i0 + ((i0 + j) & 1); i <= i1; i += 2) {
          const std::size_t c = static_cast<std::size_t>(i) + static_cast<std::size_t>(s.nx) * j + s.plane() * k;
          sum += residual(c, i, j, k);
        }
      rc[coarse_column + cplane * k] = sum;
    }
    return 0.0;
  }
};

// ResidualRestrictK's sums, the host's launch: one item per coarse row J of plane k (items in
// memory order), which walks its two fine rows along x. Why: launched over coarse columns, each
// item strides through every plane for 2 x 2 cells at a time, and on one core that kernel took
// 20 % of the 3D quarter cell's run (perf), more than the full operator product; along the rows
// the loads are contiguous. Each coarse cell receives its fine row j0's cell, then j1's, as in
// ResidualRestrictK, so rc is the same to the bit. Reduced with + (returns 0).
struct ResidualRestrictRowsK : ResidualRestrictK {
  PF_HD double operator()(std::size_t item) const {
    const int k = static_cast<int>(item / cny), J = static_cast<int>(item % cny);
    double* out = rc + static_cast<std::size_t>(cnx) * cny * k + static_cast<std::size_t>(cnx) * J;
    for (int I = 0; I < cnx; ++I) out[I] = 0.0;
    int j0, j1;
    children(s.ny, J, j0, j1);
    for (int j = j0; j <= j1; ++j) {
      const std::size_t row = static_cast<std::size_t>(s.nx) * j + s.plane() * k;
      // colour-0 cells of row j: i = j mod 2, +2, ...; each lands in coarse column i / 2
      for (int i = j & 1; i < s.nx; i += 2) {
        const std::size_t c = row + static_cast<std::size_t>(i);
        out[i >> 1] += residual(c, i, j, k);
      }
    }
    return 0.0;
  }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
