// Point-wise bodies of the implicit integrator's linear algebra on the backend's vectors: the
// V/K-weighted inner product in which the operator is symmetric, and the z-line (tridiagonal
// per column) preconditioner of B = I - dh A. Written once for every backend.
//
// Unknowns: the cells (index i + nx (j + ny k)), then the film at index `cells`.
#pragma once

#include "poreflux/kernels/transport_K.hpp"
#include "poreflux/kernels/transport_functors_K.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// Fused conjugate-gradient updates (each saves one sweep over the vectors per iteration; at
// tens of thousands of cells a sweep costs more in start-up than in arithmetic).

// q = p - dh A p on one pencil's cells, returning the pencil's share of <p, q>_W: the rates
// (TransportRateK, written into q) and the update in one pass, so the operator product and its
// inner product are one parallel loop (TransportSystem::apply_stage_dot; the film's row follows
// once the boundary flows are summed). Launched over pencils, reduced with +.
struct StageApplyDotK {
  TransportRateK rates;  // rates.x = p, rates.dxdt = q
  double dh;
  PF_HD double operator()(std::size_t pencil) const {
    const GridView& v = rates.v;
    const Conductances& g = rates.g;
    const int j = static_cast<int>(pencil % v.ny), k = static_cast<int>(pencil / v.ny);
    rates.pencil(j, k);
    const std::size_t row = cell_index(v, 0, j, k);
    const double* p = rates.x;
    double* q = rates.dxdt;
    const double yz = 1.0 / (g.inv_dy[j] * g.inv_dz[k]);
    double s = 0.0;
    for (int i = 0; i < v.nx; ++i) {
      const std::size_t c = row + i;
      q[c] = p[c] - dh * q[c];
      s += p[c] * q[c] * g.inv_k[c] * yz / g.inv_x_measure[i];
    }
    return s;
  }
};

// The film's row of the same: q_f = p_f - dh (A p)_f, its share film_weight p_f q_f; launched once.
struct FilmApplyDotK {
  const double* p;
  double* q;
  std::size_t film;
  double dh, film_weight;
  PF_HD double operator()(std::size_t) const {
    q[film] = p[film] - dh * q[film];
    return film_weight * p[film] * q[film];
  }
};

// x += alpha p, r -= alpha q, returning sum ((r / (atol + rtol |y|))²) for the stopping test;
// launched over elements (cells, then the film).
struct CgUpdateK {
  double* x;
  double* r;
  const double* p;
  const double* q;
  const double* y;
  double alpha, rtol, atol;
  PF_HD double operator()(std::size_t i) const {
    x[i] += alpha * p[i];
    r[i] -= alpha * q[i];
    const double e = r[i] / (atol + rtol * (y[i] < 0.0 ? -y[i] : y[i]));
    return e * e;
  }
};

// The film's total conductance to the skin, sum over columns of g_top; reduced with +.
struct TopConductanceK {
  Conductances g;
  PF_HD double operator()(std::size_t column) const { return g.top[column]; }
};

// Thomas factorisation of the z-line blocks of B = I - dh A: per column (i, j), the tridiagonal
// of the column's own couplings (lateral faces and the film stay in the diagonal only).
// Stores, per cell, the sub-diagonal, the modified super-diagonal and 1 / pivot.
struct ColumnFactorK {
  GridView v;
  Conductances g;
  double dh;
  double* lower;
  double* upper_prime;
  double* inv_pivot;
  PF_HD void operator()(std::size_t column) const {
    const int i = static_cast<int>(column % v.nx), j = static_cast<int>(column / v.nx);
    int ip, im;
    x_neighbours<false>(v, i, ip, im);
    double up_prev = 0.0;
    for (int k = 0; k < v.nz; ++k) {
      const PencilNeighbours p = pencil_neighbours(v, g, j, k, linearised_contact(v));
      const std::size_t c = p.row + i;
      const double inv_vol = inverse_volume(g, i, j, k);
      const double diag = 1.0 + dh * (face_conductance_sum(g, p, i, im) * g.inv_k[c] * inv_vol + g.decay[c]);
      const double low = k > 0 ? -dh * p.gzm[i] * g.inv_k[p.zm + i] * inv_vol : 0.0;
      const double up = k + 1 < v.nz ? -dh * g.gz[c] * g.inv_k[p.zp + i] * inv_vol : 0.0;
      const double inv = 1.0 / (diag - low * up_prev);
      lower[c] = low;
      upper_prime[c] = up * inv;
      inv_pivot[c] = inv;
      up_prev = up * inv;
    }
  }
};

// z = P^-1 r with the factors of ColumnFactorK, per column, the film by its diagonal; returns
// the column's share of <r, z>_W (fused: the next CG coefficient needs it). Reduced with +.
struct ColumnSolveK {
  GridView v;
  Conductances g;
  const double* lower;
  const double* upper_prime;
  const double* inv_pivot;
  const double* r;
  double* z;
  double film_inv_diagonal, film_weight;
  PF_HD double operator()(std::size_t column) const {
    const std::size_t stride = static_cast<std::size_t>(v.nx) * v.ny;
    const int i = static_cast<int>(column % v.nx), j = static_cast<int>(column / v.nx);
    double prev = 0.0;
    for (int k = 0; k < v.nz; ++k) {
      const std::size_t c = column + stride * k;
      prev = (r[c] - lower[c] * prev) * inv_pivot[c];
      z[c] = prev;
    }
    double s = z[column + stride * (v.nz - 1)] * r[column + stride * (v.nz - 1)] *
               g.inv_k[column + stride * (v.nz - 1)] / inverse_volume(g, i, j, v.nz - 1);
    for (int k = v.nz - 2; k >= 0; --k) {
      const std::size_t c = column + stride * k;
      z[c] -= upper_prime[c] * z[c + stride];
      s += z[c] * r[c] * g.inv_k[c] / inverse_volume(g, i, j, k);
    }
    if (column == 0) {
      const std::size_t f = cell_count(v);
      z[f] = film_inv_diagonal * r[f];
      s += film_weight * z[f] * r[f];
    }
    return s;
  }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
