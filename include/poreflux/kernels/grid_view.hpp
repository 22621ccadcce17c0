// A light, copyable view of the grid that kernels read: raw pointers into backend memory.
// Pure data (no member functions), so every compiler sees one and the same definition.
#pragma once

#include <cstddef>
#include <cstdint>

namespace poreflux {

struct GridView {
  int nx = 1, ny = 1, nz = 1;
  const double* dx = nullptr;         // nx widths
  const double* dy = nullptr;         // ny widths
  const double* dz = nullptr;         // nz widths
  const double* x_measure = nullptr;  // nx: dx (cartesian) or (r_o² - r_i²)/2 (axisymmetric)
  const double* x_face = nullptr;     // nx + 1: 1 (cartesian) or face radius (axisymmetric)
  const std::uint8_t* material = nullptr;
  bool periodic_x = false, periodic_y = false;
  bool sink_bottom = true;
  // How much of the surface conductance the film presents, as the linear algebra assumes for
  // the current step (the rates read the film's own contact, FilmCoupling): 1 in contact, 0
  // sealed, between them a particulate dry deposit's coverage.
  double vehicle_contact = 1.0;
};

}  // namespace poreflux
