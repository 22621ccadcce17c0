// Point-wise bodies of the two-level preconditioner's coarse space (linear_solvers.hpp): one
// coarse unknown per (z plane k, material m), the constant over that plane's cells of that
// material. The z-line solve leaves the lateral coupling to the iteration; in an open channel
// that coupling is as strong as the vertical one, and its slow mode is the near-constant across
// the channel's cross-section at each depth, which these aggregates hold. Written once for
// every backend.
#pragma once

#include <cstdint>

#include "poreflux/kernels/transport_K.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// The material index of a cell (its largest value sizes the coarse space); reduced with max.
struct MaterialIndexK {
  const std::uint8_t* material;
  PF_HD double operator()(std::size_t c) const { return static_cast<double>(material[c]); }
};

// Per cell: its aggregate k * materials + m, and its weight V / K in the CG inner product.
struct AggregateWeightK {
  GridView v;
  Conductances g;
  int materials;
  double* aggregate;
  double* weight;
  PF_HD void operator()(std::size_t c) const {
    const std::size_t plane = static_cast<std::size_t>(v.nx) * v.ny;
    const int k = static_cast<int>(c / plane);
    const int i = static_cast<int>(c % v.nx), j = static_cast<int>((c / v.nx) % v.ny);
    aggregate[c] = static_cast<double>(k * materials + v.material[c]);
    weight[c] = g.inv_k[c] / inverse_volume(g, i, j, k);
  }
};

// Probe vector for assembling the coarse operator: 1 on the cells of material m in every plane
// k with k mod 3 = residue, 0 elsewhere (film and slots included). A cell's row then meets at
// most one probed aggregate (its own plane or a z neighbour's), so 3 x materials products with
// B give every coarse entry.
struct CoarseProbeK {
  GridView v;
  int residue, material;
  std::size_t cells;
  double* x;
  PF_HD void operator()(std::size_t c) const {
    if (c >= cells) {
      x[c] = 0.0;
      return;
    }
    const int k = static_cast<int>(c / (static_cast<std::size_t>(v.nx) * v.ny));
    x[c] = (k % 3 == residue && v.material[c] == material) ? 1.0 : 0.0;
  }
};

// rc = P^T W r, one z plane per call: rc[k * materials + m] = sum of weight r over the plane's
// cells of material m.
struct PlaneRestrictK {
  GridView v;
  int materials;
  const double* weight;
  const double* r;
  double* rc;
  PF_HD void operator()(std::size_t k) const {
    const std::size_t plane = static_cast<std::size_t>(v.nx) * v.ny, first = plane * k;
    double* out = rc + k * static_cast<std::size_t>(materials);
    for (int m = 0; m < materials; ++m) out[m] = 0.0;
    for (std::size_t c = first; c < first + plane; ++c) out[v.material[c]] += weight[c] * r[c];
  }
};

// z += P zc: every cell takes its aggregate's coarse value.
struct ProlongAddK {
  GridView v;
  int materials;
  const double* zc;
  double* z;
  PF_HD void operator()(std::size_t c) const {
    const std::size_t k = c / (static_cast<std::size_t>(v.nx) * v.ny);
    z[c] += zc[k * static_cast<std::size_t>(materials) + v.material[c]];
  }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
