// Point-wise bodies of the two-level preconditioner's coarse space (linear_solvers.hpp): one
// coarse unknown per (z plane k, lateral block of bx x by columns, material m), the constant
// over those cells. The z-line solve leaves the lateral coupling to the iteration; in an open channel
// that coupling is as strong as the vertical one, and its slow mode is the near-constant across
// the channel's cross-section at each depth, which these aggregates hold. Written once for
// every backend.
#pragma once

#include <cstdint>

#include "poreflux/kernels/transport_K.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// How cells map to coarse aggregates.
struct CoarseLayout {
  int bx = 1, by = 1;    // columns per block in x and y
  int nbx = 1, nby = 1;  // blocks per plane in x and y
  int materials = 1;
  PF_HD std::size_t per_plane() const { return static_cast<std::size_t>(nbx) * nby * materials; }
  PF_HD std::size_t aggregate(int i, int j, int k, int m) const {
    return static_cast<std::size_t>(k) * per_plane() + (static_cast<std::size_t>(j / by) * nbx + i / bx) * materials +
           (materials > 1 ? m : 0);
  }
};

// The material index of a cell (its largest value sizes the coarse space); reduced with max.
struct MaterialIndexK {
  const std::uint8_t* material;
  PF_HD double operator()(std::size_t c) const { return static_cast<double>(material[c]); }
};

// Per cell: its aggregate, and its weight V / K in the CG inner product.
struct AggregateWeightK {
  GridView v;
  Conductances g;
  CoarseLayout L;
  double* aggregate;
  double* weight;
  PF_HD void operator()(std::size_t c) const {
    const std::size_t plane = static_cast<std::size_t>(v.nx) * v.ny;
    const int k = static_cast<int>(c / plane);
    const int i = static_cast<int>(c % v.nx), j = static_cast<int>((c / v.nx) % v.ny);
    aggregate[c] = static_cast<double>(L.aggregate(i, j, k, v.material[c]));
    weight[c] = g.inv_k[c] / inverse_volume(g, i, j, k);
  }
};

// Probe vector for assembling the coarse operator: 1 on the cells of material m in every
// aggregate whose (block x, block y, plane) indices are congruent to (rx, ry, rz) mod 3, 0
// elsewhere (film and slots included). A cell's row then meets at most one probed aggregate
// (its own or a neighbour's), so 27 x materials products with B give every coarse entry.
struct CoarseProbeK {
  GridView v;
  CoarseLayout L;
  int rx, ry, rz, material;
  std::size_t cells;
  double* x;
  PF_HD void operator()(std::size_t c) const {
    if (c >= cells) {
      x[c] = 0.0;
      return;
    }
    const int k = static_cast<int>(c / (static_cast<std::size_t>(v.nx) * v.ny));
    const int i = static_cast<int>(c % v.nx), j = static_cast<int>((c / v.nx) % v.ny);
    x[c] =
        ((i / L.bx) % 3 == rx && (j / L.by) % 3 == ry && k % 3 == rz && (L.materials == 1 || v.material[c] == material))
            ? 1.0
            : 0.0;
  }
};

// rc = P^T W r, one z plane per call (each writes its own slice of rc); `aggregate` is
// AggregateWeightK's per-cell index (read, not recomputed: integer divisions per cell cost more
// than the rest of the sweep).
struct PlaneRestrictK {
  GridView v;
  CoarseLayout L;
  const double* aggregate;
  const double* weight;
  const double* r;
  double* rc;
  PF_HD void operator()(std::size_t k) const {
    const std::size_t plane = static_cast<std::size_t>(v.nx) * v.ny, first = plane * k;
    const std::size_t slice = L.per_plane();
    for (std::size_t a = k * slice; a < (k + 1) * slice; ++a) rc[a] = 0.0;
    for (std::size_t c = first; c < first + plane; ++c) rc[static_cast<std::size_t>(aggregate[c])] += weight[c] * r[c];
  }
};

// z += P zc: every cell takes its aggregate's coarse value.
struct ProlongAddK {
  const double* aggregate;
  const double* zc;
  double* z;
  PF_HD void operator()(std::size_t c) const { z[c] += zc[static_cast<std::size_t>(aggregate[c])]; }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
