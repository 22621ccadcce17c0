// The transport operator's launchable functors: each wraps one point-wise body from
// transport_K.hpp with the arrays it reads, so a backend launches it per cell, per column or
// once, without knowing what it computes.
#pragma once

#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/kernels/transport_K.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// dC/dt for every cell; launched over (i, j, k).
struct TransportRateK {
  GridView v;
  MaterialTable m;
  const double* x;   // state: cells, then scalar slots
  double* dxdt;
  PF_HD void operator()(int i, int j, int k) const {
    const double u_vehicle = x[cell_count(v) + kVehicleConcentration];
    dxdt[static_cast<std::size_t>(i) + static_cast<std::size_t>(v.nx) * (j + static_cast<std::size_t>(v.ny) * k)] =
        cell_rate(v, m, x, u_vehicle, i, j, k);
  }
};

// Gershgorin bound per cell, reduced with max; launched over cell indices.
struct GershgorinK {
  GridView v;
  MaterialTable m;
  PF_HD double operator()(std::size_t c) const {
    const int i = static_cast<int>(c % v.nx);
    const int j = static_cast<int>((c / v.nx) % v.ny);
    const int k = static_cast<int>(c / (static_cast<std::size_t>(v.nx) * v.ny));
    return gershgorin_row(v, m, i, j, k);
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
  const double* x;
  PF_HD BoundaryFlows operator()(std::size_t column) const {
    const int i = static_cast<int>(column % v.nx);
    const int j = static_cast<int>(column / v.nx);
    return {top_inflow(v, m, x, x[cell_count(v) + kVehicleConcentration], i, j), bottom_outflow(v, m, x, i, j)};
  }
};

struct SinkK {
  GridView v;
  MaterialTable m;
  const double* x;
  PF_HD SinkRates operator()(std::size_t c) const { return cell_sinks(v, m, x, c); }
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

// Gershgorin bound of the film's own row: the film's rate of exchange with the top cells,
// sum over columns of g (1 + 1/K_top) / film volume. Reduced with +.
struct FilmGershgorinK {
  GridView v;
  MaterialTable m;
  PF_HD double operator()(std::size_t column) const {
    if (!v.vehicle_contact) return 0.0;
    const int i = static_cast<int>(column % v.nx);
    const int j = static_cast<int>(column / v.nx);
    return top_conductance(v, m, i, j) * (1.0 + m.inv_partition[v.material[column]]);
  }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
