// The transport operator's launchable functors: each wraps one point-wise body from
// transport_K.hpp with the arrays it reads, so a backend launches it per cell, per column or
// once, without knowing what it computes.
#pragma once

#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/kernels/transport_K.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// Cached face conductances for the current coefficients; launched over (i, j, k).
struct ConductanceK {
  GridView v;
  MaterialTable m;
  Conductances g;
  PF_HD void operator()(int i, int j, int k) const { conductance_K(v, m, g, i, j, k); }
};

// The same for a list of cells only (those a closing channel touches); launched over the list.
struct ConductanceAtK {
  GridView v;
  MaterialTable m;
  Conductances g;
  const std::size_t* cells;
  PF_HD void operator()(std::size_t n) const {
    const std::size_t c = cells[n];
    const int i = static_cast<int>(c % v.nx);
    const int j = static_cast<int>((c / v.nx) % v.ny);
    const int k = static_cast<int>(c / (static_cast<std::size_t>(v.nx) * v.ny));
    conductance_K(v, m, g, i, j, k);
  }
};

// dC/dt for every cell; launched over (i, j, k).
struct TransportRateK {
  GridView v;
  Conductances g;
  const double* x;   // state: cells, then scalar slots
  double* dxdt;
  // The film's activity, read where it lives (device memory on a GPU: no host round trip per
  // evaluation). Loaded once into a local per pencil, so the interior loop still vectorises.
  const double* u_vehicle;
  // One cell (the GPU's thread per cell).
  PF_HD void operator()(int i, int j, int k) const {
    const PencilNeighbours p = pencil_neighbours(v, g, j, k, *u_vehicle);
    dxdt[p.row + i] = cell_rate(v, g, p, x, i, j, k);
  }
  // A whole pencil (the CPU's task): neighbours found once, a branch-free interior loop.
  PF_HD void pencil(int j, int k) const {
    const PencilNeighbours p = pencil_neighbours(v, g, j, k, *u_vehicle);
    const int nx = v.nx;
    if (nx < 3) {
      for (int i = 0; i < nx; ++i) dxdt[p.row + i] = cell_rate(v, g, p, x, i, j, k);
      return;
    }
    dxdt[p.row] = cell_rate(v, g, p, x, 0, j, k);
    double* out = dxdt + p.row;
    PF_SIMD
    for (int i = 1; i < nx - 1; ++i) out[i] = cell_rate<true>(v, g, p, x, i, j, k);
    dxdt[p.row + nx - 1] = cell_rate(v, g, p, x, nx - 1, j, k);
  }
};

// Gershgorin bound per cell, reduced with max; launched over cell indices.
struct GershgorinK {
  GridView v;
  MaterialTable m;
  Conductances g;
  double film_inv_sqrt_v;  // 1/sqrt(V_film); 0 when the film is not a dynamic unknown
  // Launched over pencils (j, k): the largest row bound along x.
  PF_HD double operator()(std::size_t pencil) const {
    const int j = static_cast<int>(pencil % v.ny), k = static_cast<int>(pencil / v.ny);
    double bound = 0.0;
    for (int i = 0; i < v.nx; ++i) {
      const double r = gershgorin_row(v, g, i, j, k, film_inv_sqrt_v);
      bound = r > bound ? r : bound;
    }
    return bound;
  }
};

// Net amount per second across the top (into skin) and bottom (into receptor) of one column,
// packed in one value pair so that a single reduction over columns yields both.
struct BoundaryFlows {
  double top_in = 0.0;
  double bottom_out = 0.0;
  PF_HD BoundaryFlows operator+(const BoundaryFlows& o) const { return {top_in + o.top_in, bottom_out + o.bottom_out}; }
};

struct BoundaryFlowK {
  GridView v;
  MaterialTable m;
  Conductances g;
  const double* x;
  PF_HD BoundaryFlows operator()(std::size_t column) const {
    const int i = static_cast<int>(column % v.nx);
    const int j = static_cast<int>(column / v.nx);
    return {top_inflow(v, g, x, x[cell_count(v) + kVehicleConcentration], i, j), bottom_outflow(v, g, x, i, j)};
  }
};

struct SinkK {
  GridView v;
  Conductances g;
  const double* x;
  // Launched over pencils (j, k).
  PF_HD SinkRates operator()(std::size_t pencil) const {
    return pencil_sinks(v, g, x, static_cast<int>(pencil % v.ny), static_cast<int>(pencil / v.ny));
  }
};

// Rates of the scalar slots, from the reduced boundary flows and sinks; launched once.
struct ScalarRatesK {
  const double* x;
  double* dxdt;
  std::size_t cells;
  BoundaryFlows flows;
  SinkRates sinks;
  double film_volume_cm3;      // h_v * top area
  double vehicle_degradation;  // k_deg in the film [1/s]
  bool infinite_dose;
  PF_HD void operator()(std::size_t) const {
    const double cv = x[cells + kVehicleConcentration];
    double* r = dxdt + cells;
    // An infinite dose holds C_v fixed: what enters the skin is drawn from the reservoir.
    const double film_loss = infinite_dose ? 0.0 : vehicle_degradation * cv * film_volume_cm3;
    r[kVehicleConcentration] = infinite_dose ? 0.0 : -(flows.top_in + film_loss) / film_volume_cm3;
    r[kDegraded] = sinks.degraded + film_loss;
    r[kReceptor] = flows.bottom_out;
    r[kSystemic] = sinks.cleared;
    r[kRemoved] = 0.0;
    r[kSupplied] = infinite_dose ? flows.top_in : 0.0;
  }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// Gershgorin bound of the film's own row of the symmetrised operator (see gershgorin_row):
// sum over columns of g (1/V_f + 1/sqrt(V_f V_top K_top)). Reduced with +.
struct FilmGershgorinK {
  GridView v;
  Conductances g;
  double film_inv_sqrt_v;
  PF_HD double operator()(std::size_t column) const {
    if (!v.vehicle_contact) return 0.0;
    const int i = static_cast<int>(column % v.nx), j = static_cast<int>(column / v.nx);
    return g.top[column] * film_inv_sqrt_v * (film_inv_sqrt_v + inv_sqrt_vk(g, column, i, j, 0));
  }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
