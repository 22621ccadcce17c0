// Point-wise bodies of the transport operator (MODEL.md §2), written once for every backend.
//
// State: C [ug/cm³] per cell. Fluxes use the activity u = C / K, which is continuous across
// material interfaces. Face conductance is the series combination of the two half cells,
// g = A / (h_a / (2 K_a D_a) + h_b / (2 K_b D_b)), so layered steady fluxes are exact and
// every face flux leaves one cell and enters another: mass is conserved to round-off.
//
// Conductances are computed once per coefficient change (conductance_K) and cached per cell:
// the operator then needs no division, which measured several times faster than recomputing
// six harmonic means per cell per evaluation.
#pragma once

#include <cmath>

#include "poreflux/kernels/grid_view.hpp"
#include "poreflux/kernels/platform_K.hpp"
#include "poreflux/problem.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

PF_HD inline std::size_t cell_count(const GridView& v) {
  return static_cast<std::size_t>(v.nx) * static_cast<std::size_t>(v.ny) * static_cast<std::size_t>(v.nz);
}

PF_HD inline std::size_t cell_index(const GridView& v, int i, int j, int k) {
  return static_cast<std::size_t>(i) + static_cast<std::size_t>(v.nx) * (j + static_cast<std::size_t>(v.ny) * k);
}

// Cached face conductances [cm³/s]: per cell, the face towards +x, +y and +z. At a mirror
// edge the +x/+y value is 0; at a periodic edge it couples to the opposite cell. The +z value
// of the bottom plane is the sink's conductance (0 without a sink). top holds, per column, the
// conductance between the vehicle and the top cell.
struct Conductances {
  double* gx = nullptr;
  double* gy = nullptr;
  double* gz = nullptr;
  double* top = nullptr;
  double* inv_k = nullptr;                // per cell 1/K, so the operator streams instead of gathering
  double* decay = nullptr;                // per cell k_deg + k_clear [1/s]
  double* clearance = nullptr;            // per cell k_clear [1/s] (the systemic part of decay)
  const double* inv_x_measure = nullptr;  // 1 / x_measure[i]
  const double* inv_dy = nullptr;
  const double* inv_dz = nullptr;
};

PF_HD inline double series_conductance(double area, double h_a, double r_a, double h_b, double r_b) {
  return area / (h_a * r_a + h_b * r_b);
}

// Fills the cached conductances of cell (i,j,k) from the material table.
PF_HD inline void conductance_K(const GridView& v, const MaterialTable& m, const Conductances& g, int i, int j, int k) {
  const std::size_t c = cell_index(v, i, j, k);
  const double r = m.half_resistance[v.material[c]];
  const double hx = v.dx[i], hy = v.dy[j], hz = v.dz[k];
  const double xm = v.x_measure[i];
  const bool x_edge = i == v.nx - 1, y_edge = j == v.ny - 1;
  const std::size_t nbx = x_edge ? c - (v.nx - 1) : c + 1;
  const std::size_t nby = y_edge ? c - static_cast<std::size_t>(v.nx) * (v.ny - 1) : c + v.nx;
  const int ix = x_edge ? 0 : i + 1, jy = y_edge ? 0 : j + 1;
  g.gx[c] = (!x_edge || (v.periodic_x && v.nx > 1))
                ? series_conductance(v.x_face[i + 1] * hy * hz, hx, r, v.dx[ix], m.half_resistance[v.material[nbx]])
                : 0.0;
  g.gy[c] = (!y_edge || (v.periodic_y && v.ny > 1))
                ? series_conductance(hx * hz, hy, r, v.dy[jy], m.half_resistance[v.material[nby]])
                : 0.0;
  const double z_area = xm * hy;
  if (k < v.nz - 1) {
    const std::size_t nbz = c + static_cast<std::size_t>(v.nx) * v.ny;
    g.gz[c] = series_conductance(z_area, hz, r, v.dz[k + 1], m.half_resistance[v.material[nbz]]);
  } else {
    g.gz[c] = v.sink_bottom ? z_area / (hz * r) : 0.0;
  }
  if (k == 0)
    g.top[i + static_cast<std::size_t>(v.nx) * j] = m.top_contact[v.material[c]] * z_area / (hz * r + m.top_resistance);
  const int mc = v.material[c];
  g.inv_k[c] = m.inv_partition[mc];
  g.decay[c] = m.degradation[mc] + m.clearance[mc];
  g.clearance[c] = m.clearance[mc];
}

// Where the six neighbours of the cells of one pencil (fixed j, k) are, written so that no
// branch depends on i: a neighbour across a mirror edge is a row whose stored conductance is 0,
// the sink below is a zero activity (weight 0) and the vehicle above is an added activity.
// Computed once per pencil on the CPU, once per cell on the GPU: the same arithmetic either way.
struct PencilNeighbours {
  std::size_t row;            // index of (0, j, k)
  std::size_t yp, ym;         // index of (0, j+1, k) and (0, j-1, k), wrapped
  std::size_t zp, zm;         // index of (0, j, k+1) and (0, j, k-1), or row at the bottom/top
  const double* gym;          // conductances of the -y faces (the +y faces of row j-1)
  const double* gzm;          // conductances of the -z faces: row k-1, or the vehicle's at the top
  double zp_weight;           // 1 inside, 0 at the bottom (the sink is activity 0)
  double zm_weight;           // 1 inside; at the top the film's contact (1, or 0 when sealed)
  double zm_activity_weight;  // 1 inside, 0 at the top (where the activity is the vehicle's)
  double zm_vehicle;          // activity added at the top: u_vehicle in contact, else 0
};

// What the film above the skin presents to the top cells at one instant: its activity and
// whether it touches them (0: the surface is sealed, e.g. nothing left after a wash).
struct FilmCoupling {
  double activity = 0.0;
  double contact = 1.0;
};

PF_HD inline PencilNeighbours pencil_neighbours(const GridView& v, const Conductances& g, int j, int k,
                                                FilmCoupling film) {
  const std::size_t sy = static_cast<std::size_t>(v.nx), sz = sy * v.ny;
  PencilNeighbours p;
  p.row = sy * j + sz * k;
  p.yp = sy * (j + 1 == v.ny ? 0 : j + 1) + sz * k;
  p.ym = sy * (j == 0 ? v.ny - 1 : j - 1) + sz * k;
  p.gym = g.gy + p.ym;
  const bool top = k == 0, bottom = k == v.nz - 1;
  p.zp = bottom ? p.row : p.row + sz;
  p.zm = top ? p.row : p.row - sz;
  p.gzm = top ? g.top + sy * j : g.gz + p.zm;
  p.zp_weight = bottom ? 0.0 : 1.0;
  p.zm_weight = top ? film.contact : 1.0;
  p.zm_activity_weight = top ? 0.0 : 1.0;
  p.zm_vehicle = top ? film.activity : 0.0;
  return p;
}

// The film as the linear algebra sees it (Gershgorin bound, z-line preconditioner): in contact
// or sealed as decided for the current step, its activity (a right-hand side) left out.
PF_HD inline FilmCoupling linearised_contact(const GridView& v) {
  FilmCoupling f;
  f.activity = 0.0;
  f.contact = v.vehicle_contact;
  return f;
}

// x neighbours of cell i in a pencil: wrapped at the ends (a mirror edge has conductance 0
// stored on its face). kInteriorX: the caller guarantees 0 < i < nx-1, so the indices stay
// affine in i and a CPU pencil loop vectorises.
template <bool kInteriorX>
PF_HD inline void x_neighbours(const GridView& v, int i, int& ip, int& im) {
  if (kInteriorX) {
    ip = i + 1;
    im = i - 1;
  } else {
    ip = i + 1 == v.nx ? 0 : i + 1;
    im = i == 0 ? v.nx - 1 : i - 1;
  }
}

PF_HD inline double inverse_volume(const Conductances& g, int i, int j, int k) {
  return g.inv_x_measure[i] * g.inv_dy[j] * g.inv_dz[k];
}

// dC/dt of cell i of a pencil (MODEL §2): the six face fluxes in activities, decay, all
// branch-free in i.
template <bool kInteriorX = false>
PF_HD inline double cell_rate(const GridView& v, const Conductances& g, const PencilNeighbours& p, const double* C,
                              int i, int j, int k) {
  int ip, im;
  x_neighbours<kInteriorX>(v, i, ip, im);
  const std::size_t c = p.row + i;
  const double* K1 = g.inv_k;
  const double u_c = C[c] * K1[c];
  double inflow =
      g.gx[c] * (C[p.row + ip] * K1[p.row + ip] - u_c) + g.gx[p.row + im] * (C[p.row + im] * K1[p.row + im] - u_c);
  inflow += g.gy[c] * (C[p.yp + i] * K1[p.yp + i] - u_c) + p.gym[i] * (C[p.ym + i] * K1[p.ym + i] - u_c);
  inflow += g.gz[c] * (p.zp_weight * C[p.zp + i] * K1[p.zp + i] - u_c);
  inflow += p.zm_weight * p.gzm[i] * (p.zm_activity_weight * C[p.zm + i] * K1[p.zm + i] + p.zm_vehicle - u_c);
  return inflow * inverse_volume(g, i, j, k) - g.decay[c] * C[c];
}

// Sum of the conductances of all faces of cell i of a pencil: the operator's diagonal is
// -(this sum) / (V K) - decay. The vehicle's face counts while the film is in contact.
PF_HD inline double face_conductance_sum(const Conductances& g, const PencilNeighbours& p, int i, int im) {
  const std::size_t c = p.row + i;
  return g.gx[c] + g.gx[p.row + im] + g.gy[c] + p.gym[i] + g.gz[c] + p.zm_weight * p.gzm[i];
}

// 1 / sqrt(V K) of cell c = (i, j, k): the scaling that makes the operator symmetric.
PF_HD inline double inv_sqrt_vk(const Conductances& g, std::size_t c, int i, int j, int k) {
  return std::sqrt(g.inv_k[c] * inverse_volume(g, i, j, k));
}

// Gershgorin row bound of the *symmetrised* operator S = W^1/2 A W^-1/2, W = V/K (similar to A,
// so it has A's eigenvalues): |S_cc| + sum |S_cn|, S_cn = g_cn / sqrt(V_c K_c V_n K_n). Every
// neighbour counts, the film included (film_inv_sqrt_v = 1/sqrt(V_film), 0 when the film is not
// a dynamic unknown): leaving the film out let the true spectral radius exceed the bound by
// 1.15x. On A itself the row sums weigh g/K_n, loose by the partition contrast; S is not.
PF_HD inline double gershgorin_row(const GridView& v, const Conductances& g, int i, int j, int k,
                                   double film_inv_sqrt_v) {
  const PencilNeighbours p = pencil_neighbours(v, g, j, k, linearised_contact(v));
  int ip, im;
  x_neighbours<false>(v, i, ip, im);
  const int jp = j + 1 == v.ny ? 0 : j + 1, jm = j == 0 ? v.ny - 1 : j - 1;
  const std::size_t c = p.row + i;
  const double s_c = inv_sqrt_vk(g, c, i, j, k);
  double off = g.gx[c] * inv_sqrt_vk(g, p.row + ip, ip, j, k) +
               g.gx[p.row + im] * inv_sqrt_vk(g, p.row + im, im, j, k) + g.gy[c] * inv_sqrt_vk(g, p.yp + i, i, jp, k) +
               p.gym[i] * inv_sqrt_vk(g, p.ym + i, i, jm, k);
  if (k + 1 < v.nz) off += g.gz[c] * inv_sqrt_vk(g, p.zp + i, i, j, k + 1);
  if (k > 0) off += p.gzm[i] * inv_sqrt_vk(g, p.zm + i, i, j, k - 1);
  else off += p.zm_weight * p.gzm[i] * film_inv_sqrt_v;
  return face_conductance_sum(g, p, i, im) * s_c * s_c + g.decay[c] + off * s_c;
}

// Amount per second entering the skin through the top face of column (i,j).
PF_HD inline double top_inflow(const GridView& v, const Conductances& g, const double* C, FilmCoupling film, int i,
                               int j) {
  const std::size_t c = cell_index(v, i, j, 0);
  return film.contact * g.top[c] * (film.activity - C[c] * g.inv_k[c]);
}

// Amount per second leaving through the bottom face of column (i,j) into the receptor.
PF_HD inline double bottom_outflow(const GridView& v, const Conductances& g, const double* C, int i, int j) {
  const std::size_t c = cell_index(v, i, j, v.nz - 1);
  return g.gz[c] * C[c] * g.inv_k[c];  // gz of the bottom plane is the sink's (0 without one)
}

// Amounts per second lost in one cell to degradation and to dermal clearance.
struct SinkRates {
  double degraded = 0.0;
  double cleared = 0.0;
  PF_HD SinkRates operator+(const SinkRates& o) const { return {degraded + o.degraded, cleared + o.cleared}; }
};

// Summed over one pencil (fixed j, k): reductions then run over pencils, with no per-cell index
// decoding, and the loop over i streams through the cached per-cell rates.
PF_HD inline SinkRates pencil_sinks(const GridView& v, const Conductances& g, const double* C, int j, int k) {
  const std::size_t row = cell_index(v, 0, j, k);
  const double dyz = v.dy[j] * v.dz[k];
  double lost = 0.0, cleared = 0.0;
#if defined(_OPENMP) && !defined(__CUDACC__)
#pragma omp simd reduction(+ : lost, cleared)
#endif
  for (int i = 0; i < v.nx; ++i) {
    const double amount = C[row + i] * v.x_measure[i];
    lost += g.decay[row + i] * amount;
    cleared += g.clearance[row + i] * amount;
  }
  return {(lost - cleared) * dyz, cleared * dyz};
}

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
