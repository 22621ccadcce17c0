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

// How the film couples to the skin at one evaluation (film_coupling): the full relation for
// the rates, or its linearisation about the current step's regime for the implicit stages.
enum FilmMode : int {
  kFilmReservoir = 0,        // infinite dose: the activity is the slot itself (K_f = 1), held
  kFilmFree = 1,             // dissolved up to saturation, then a deposit at a_sat; sealed when empty
  kFilmLinearDissolved = 2,  // Jacobian while dissolved: a = s / K_f
  kFilmLinearHeld = 3,       // Jacobian while saturated or sealed: a does not depend on s
};

// MODEL.md §3: a film with liquid (inv_capacity > 0) holds the active dissolved, a = s / K_f,
// up to the saturation activity (the tolerated supersaturation); beyond it the excess is a
// deposit beside a liquid held at that activity. With no liquid left, a dry deposit presents the
// solid's own activity, the solubility, while it lasts; a film with neither liquid nor deposit
// touches nothing.
// A dry particulate deposit presents its activity over the part of the surface it covers:
// deposit_scale (0..1, 1 for a liquid film or a deposit in full contact) scales it.
PF_HD inline FilmCoupling film_coupling(double s, double inv_capacity, double saturation, double solubility, int mode,
                                        double contact, double deposit_scale = 1.0) {
  FilmCoupling f;
  if (mode == kFilmReservoir) {
    f.activity = s;
  } else if (mode == kFilmLinearDissolved) {
    f.activity = s * inv_capacity;
  } else if (mode == kFilmLinearHeld) {
    f.activity = 0.0;
    f.contact = contact;
  } else if (inv_capacity > 0.0 && s * inv_capacity < saturation) {
    f.activity = s * inv_capacity;
  } else if (s > 0.0) {
    f.activity = deposit_scale * (inv_capacity > 0.0 ? saturation : solubility);
  } else {
    f.contact = 0.0;
  }
  return f;
}

// Evaluates film_coupling on the state's film slot where the state lives (device memory on a
// GPU: the rate kernels read the result there, with no host round trip); launched once.
struct FilmCouplingK {
  const double* film_slot;
  double* out;          // [activity, contact]
  double inv_capacity;  // 1 / K_f; 0 when the film holds no liquid
  double saturation;    // a_sat (may be +inf)
  double solubility;    // S, the activity of a dry deposit (<= a_sat)
  int mode;
  double contact;        // kFilmLinearHeld: the contact of the step's regime
  double deposit_scale;  // kFilmFree: a particulate deposit's coverage (film_coupling)
  PF_HD void operator()(std::size_t) const {
    const FilmCoupling f =
        film_coupling(*film_slot, inv_capacity, saturation, solubility, mode, contact, deposit_scale);
    out[0] = f.activity;
    out[1] = f.contact;
  }
};

PF_HD inline FilmCoupling load_film(const double* film) {
  FilmCoupling f;
  f.activity = film[0];
  f.contact = film[1];
  return f;
}

// dC/dt for every cell; launched over (i, j, k).
struct TransportRateK {
  GridView v;
  Conductances g;
  const double* x;  // state: cells, then scalar slots
  double* dxdt;
  // The film's coupling [activity, contact] (FilmCouplingK), read where it lives. Loaded once
  // into locals per pencil, so the interior loop still vectorises.
  const double* film;
  // One cell (the GPU's thread per cell).
  PF_HD void operator()(int i, int j, int k) const {
    const PencilNeighbours p = pencil_neighbours(v, g, j, k, load_film(film));
    dxdt[p.row + i] = cell_rate(v, g, p, x, i, j, k);
  }
  // A whole pencil (the CPU's task): neighbours found once, a branch-free interior loop.
  PF_HD void pencil(int j, int k) const {
    const PencilNeighbours p = pencil_neighbours(v, g, j, k, load_film(film));
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
  const double* film;  // [activity, contact]
  PF_HD BoundaryFlows operator()(std::size_t column) const {
    const int i = static_cast<int>(column % v.nx);
    const int j = static_cast<int>(column / v.nx);
    return {top_inflow(v, g, x, load_film(film), i, j), bottom_outflow(v, g, x, i, j)};
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
// The film loses what enters the skin, its dissolved part's degradation (k_deg x dissolved
// amount, K_f V_ref a) and the active's evaporation (proportional to its activity).
struct ScalarRatesK {
  const double* x;
  double* dxdt;
  std::size_t cells;
  BoundaryFlows flows;
  SinkRates sinks;
  const double* film;             // [activity, contact]
  double film_volume_cm3;         // V_ref: the film slot is amount / V_ref
  double dissolved_capacity_cm3;  // K_f V_ref: dissolved amount per unit of activity
  double vehicle_degradation;     // k_deg in the film [1/s]
  double evaporation_cm3_s;       // the active's evaporation per unit of activity [cm³/s]
  bool reservoir;                 // infinite dose: what enters the skin is drawn from a reservoir
  bool film_held;                 // the film's slot does not move (reservoir; a held linearisation)
  PF_HD void operator()(std::size_t) const {
    const double a = film[0];
    double* r = dxdt + cells;
    const double degraded = reservoir ? 0.0 : vehicle_degradation * dissolved_capacity_cm3 * a;
    const double evaporated = reservoir ? 0.0 : evaporation_cm3_s * a;
    r[kVehicleConcentration] = film_held ? 0.0 : -(flows.top_in + degraded + evaporated) / film_volume_cm3;
    r[kDegraded] = sinks.degraded + degraded;
    r[kReceptor] = flows.bottom_out;
    r[kSystemic] = sinks.cleared;
    r[kRemoved] = 0.0;
    r[kSupplied] = reservoir ? flows.top_in : 0.0;
    r[kEvaporated] = evaporated;
    r[kApplied] = 0.0;
  }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux

namespace poreflux {
inline namespace PF_KERNEL_ABI {

// Gershgorin bound of the film's own row of the symmetrised operator (see gershgorin_row):
// sum over columns of g (1/(V_f K_f) + 1/sqrt(V_f K_f V_top K_top)), film_inv_sqrt_v being
// 1/sqrt(V_f K_f). Reduced with +.
struct FilmGershgorinK {
  GridView v;
  Conductances g;
  double film_inv_sqrt_v;
  PF_HD double operator()(std::size_t column) const {
    if (!(v.vehicle_contact > 0.0)) return 0.0;
    const int i = static_cast<int>(column % v.nx), j = static_cast<int>(column / v.nx);
    return g.top[column] * film_inv_sqrt_v * (film_inv_sqrt_v + inv_sqrt_vk(g, column, i, j, 0));
  }
};

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
