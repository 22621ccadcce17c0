// The transport operator's coefficients as plain host arrays, in the layout the kernels cache
// them (kernels/transport_K.hpp, Conductances): what a host-side sparse direct solver
// assembles its matrix from. Free of Thrust, CUDA and Eigen.
#pragma once

#include <vector>

namespace poreflux {

struct HostOperator {
  int nx = 1, ny = 1, nz = 1;
  bool periodic_x = false, periodic_y = false;
  bool vehicle_contact = true;   // false after a wipe
  bool film_unknown = true;      // finite dose: the film concentration is an unknown
  double film_volume_cm3 = 0.0;
  double film_decay_per_s = 0.0;
  // Per cell (index i + nx (j + ny k)): conductances of the +x, +y, +z faces [cm³/s] (the +z
  // face of the bottom plane is the sink's), 1/K, k_deg + k_clear [1/s], volume [cm³].
  std::vector<double> gx, gy, gz, inv_k, decay, volume;
  std::vector<double> top;       // per column: film-to-top-cell conductance [cm³/s]
};

}  // namespace poreflux
