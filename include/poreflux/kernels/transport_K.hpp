// Point-wise bodies of the transport operator (MODEL.md §2), written once for every backend.
//
// State: C [ug/cm³] per cell. Fluxes use the activity u = C / K, which is continuous across
// material interfaces. Face conductance is the series combination of the two half cells,
// g = A / (h_a / (2 K_a D_a) + h_b / (2 K_b D_b)), so layered steady fluxes are exact and
// every face flux leaves one cell and enters another: mass is conserved to round-off.
#pragma once

#include "poreflux/kernels/grid_view.hpp"
#include "poreflux/kernels/platform_K.hpp"
#include "poreflux/problem.hpp"

namespace poreflux {
inline namespace PF_KERNEL_ABI {

PF_HD inline std::size_t cell_count(const GridView& v) {
  return static_cast<std::size_t>(v.nx) * static_cast<std::size_t>(v.ny) * static_cast<std::size_t>(v.nz);
}

// Conductance-weighted activity difference across one face: g * (u_n - u_c), and g itself.
struct FaceTerm {
  double flux;   // into the centre cell [ug/s]
  double g;      // conductance [cm³/s]
};

PF_HD inline FaceTerm face_term(double area, double h_c, double r_c, double u_c,
                                double h_n, double r_n, double u_n) {
  const double g = area / (h_c * r_c + h_n * r_n);
  return {g * (u_n - u_c), g};
}

// Conductance between the top cell of a column and the well-mixed vehicle (no film resistance).
PF_HD inline double top_conductance(const GridView& v, const MaterialTable& m, int i, int j) {
  const std::size_t c = static_cast<std::size_t>(i) + static_cast<std::size_t>(v.nx) * j;
  const double area = v.x_measure[i] * v.dy[j];
  return area / (v.dz[0] * m.half_resistance[v.material[c]]);
}

PF_HD inline double bottom_conductance(const GridView& v, const MaterialTable& m, int i, int j) {
  const std::size_t c = static_cast<std::size_t>(i) + static_cast<std::size_t>(v.nx) * (j + static_cast<std::size_t>(v.ny) * (v.nz - 1));
  const double area = v.x_measure[i] * v.dy[j];
  return area / (v.dz[v.nz - 1] * m.half_resistance[v.material[c]]);
}

// Visits the six faces of cell (i,j,k) and calls visit(neighbour_index, area, h_c, h_n) for each
// interior (or periodic) face; boundary faces are left to the caller. One traversal serves the
// operator and the Gershgorin bound, so the two can never disagree about the stencil.
template <class Visit>
PF_HD inline void for_each_face(const GridView& v, int i, int j, int k, Visit&& visit) {
  const std::size_t sx = 1, sy = static_cast<std::size_t>(v.nx), sz = sy * v.ny;
  const std::size_t c = i * sx + j * sy + k * sz;
  const double hx = v.dx[i], hy = v.dy[j], hz = v.dz[k];
  const double xm = v.x_measure[i];
  // x faces (radial in axisymmetric grids): area = face measure * dy * dz.
  if (i > 0) visit(c - sx, v.x_face[i] * hy * hz, hx, v.dx[i - 1]);
  else if (v.periodic_x && v.nx > 1) visit(c + (v.nx - 1) * sx, v.x_face[0] * hy * hz, hx, v.dx[v.nx - 1]);
  if (i < v.nx - 1) visit(c + sx, v.x_face[i + 1] * hy * hz, hx, v.dx[i + 1]);
  else if (v.periodic_x && v.nx > 1) visit(c - (v.nx - 1) * sx, v.x_face[v.nx] * hy * hz, hx, v.dx[0]);
  // y faces.
  if (j > 0) visit(c - sy, hx * hz, hy, v.dy[j - 1]);
  else if (v.periodic_y && v.ny > 1) visit(c + (v.ny - 1) * sy, hx * hz, hy, v.dy[v.ny - 1]);
  if (j < v.ny - 1) visit(c + sy, hx * hz, hy, v.dy[j + 1]);
  else if (v.periodic_y && v.ny > 1) visit(c - (v.ny - 1) * sy, hx * hz, hy, v.dy[0]);
  // z faces: area = x measure * dy.
  if (k > 0) visit(c - sz, xm * hy, hz, v.dz[k - 1]);
  if (k < v.nz - 1) visit(c + sz, xm * hy, hz, v.dz[k + 1]);
}

// dC/dt of one cell. u_vehicle is the vehicle's activity (its concentration, K_vehicle = 1).
PF_HD inline double cell_rate(const GridView& v, const MaterialTable& m, const double* C,
                              double u_vehicle, int i, int j, int k) {
  const std::size_t c = static_cast<std::size_t>(i) + static_cast<std::size_t>(v.nx) * (j + static_cast<std::size_t>(v.ny) * k);
  const int mc = v.material[c];
  const double r_c = m.half_resistance[mc];
  const double u_c = C[c] * m.inv_partition[mc];
  double inflow = 0.0;
  for_each_face(v, i, j, k, [&](std::size_t n, double area, double h_c, double h_n) {
    const int mn = v.material[n];
    inflow += face_term(area, h_c, r_c, u_c, h_n, m.half_resistance[mn], C[n] * m.inv_partition[mn]).flux;
  });
  if (k == 0 && v.vehicle_contact) inflow += top_conductance(v, m, i, j) * (u_vehicle - u_c);
  if (k == v.nz - 1 && v.sink_bottom) inflow -= bottom_conductance(v, m, i, j) * u_c;
  const double volume = v.x_measure[i] * v.dy[j] * v.dz[k];
  return inflow / volume - (m.degradation[mc] + m.clearance[mc]) * C[c];
}

// Gershgorin row bound of the operator at cell c: |diagonal| + sum |off-diagonal|.
PF_HD inline double gershgorin_row(const GridView& v, const MaterialTable& m, int i, int j, int k) {
  const std::size_t c = static_cast<std::size_t>(i) + static_cast<std::size_t>(v.nx) * (j + static_cast<std::size_t>(v.ny) * k);
  const int mc = v.material[c];
  const double r_c = m.half_resistance[mc];
  double diag = 0.0, off = 0.0;
  for_each_face(v, i, j, k, [&](std::size_t n, double area, double h_c, double h_n) {
    const int mn = v.material[n];
    const double g = area / (h_c * r_c + h_n * m.half_resistance[mn]);
    diag += g * m.inv_partition[mc];
    off += g * m.inv_partition[mn];
  });
  if (k == 0 && v.vehicle_contact) diag += top_conductance(v, m, i, j) * m.inv_partition[mc];
  if (k == v.nz - 1 && v.sink_bottom) diag += bottom_conductance(v, m, i, j) * m.inv_partition[mc];
  const double volume = v.x_measure[i] * v.dy[j] * v.dz[k];
  return (diag + off) / volume + m.degradation[mc] + m.clearance[mc];
}

// Amount per second entering the skin through the top face of column (i,j).
PF_HD inline double top_inflow(const GridView& v, const MaterialTable& m, const double* C,
                               double u_vehicle, int i, int j) {
  if (!v.vehicle_contact) return 0.0;
  const std::size_t c = static_cast<std::size_t>(i) + static_cast<std::size_t>(v.nx) * j;
  return top_conductance(v, m, i, j) * (u_vehicle - C[c] * m.inv_partition[v.material[c]]);
}

// Amount per second leaving through the bottom face of column (i,j) into the receptor.
PF_HD inline double bottom_outflow(const GridView& v, const MaterialTable& m, const double* C, int i, int j) {
  if (!v.sink_bottom) return 0.0;
  const std::size_t c = static_cast<std::size_t>(i) + static_cast<std::size_t>(v.nx) * (j + static_cast<std::size_t>(v.ny) * (v.nz - 1));
  return bottom_conductance(v, m, i, j) * C[c] * m.inv_partition[v.material[c]];
}

// Amounts per second lost in one cell to degradation and to dermal clearance.
struct SinkRates {
  double degraded = 0.0;
  double cleared = 0.0;
  PF_HD SinkRates operator+(const SinkRates& o) const { return {degraded + o.degraded, cleared + o.cleared}; }
};

PF_HD inline SinkRates cell_sinks(const GridView& v, const MaterialTable& m, const double* C, std::size_t c) {
  const int i = static_cast<int>(c % v.nx);
  const int j = static_cast<int>((c / v.nx) % v.ny);
  const int k = static_cast<int>(c / (static_cast<std::size_t>(v.nx) * v.ny));
  const double amount = C[c] * v.x_measure[i] * v.dy[j] * v.dz[k];
  const int mc = v.material[c];
  return {m.degradation[mc] * amount, m.clearance[mc] * amount};
}

}  // namespace PF_KERNEL_ABI
}  // namespace poreflux
