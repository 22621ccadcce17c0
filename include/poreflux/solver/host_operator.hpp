// The transport operator's coefficients as plain host arrays, in the layout the kernels cache
// them (kernels/transport_K.hpp, Conductances): what a host-side sparse direct solver
// assembles its matrix from. Free of Thrust, CUDA and Eigen.
#pragma once

#include <vector>

namespace poreflux {

struct HostOperator {
  int nx = 1, ny = 1, nz = 1;
  bool periodic_x = false, periodic_y = false;
  double vehicle_contact = 1.0;        // share of the surface conductance the film presents (0 after a wipe)
  bool film_unknown = true;            // the film is dissolved: its slot is an unknown
  bool film_drives_cells = false;      // held film whose slot is the activity (an infinite dose)
  double film_volume_cm3 = 0.0;        // V_ref
  double film_inverse_capacity = 1.0;  // 1 / K_f (film.hpp): the film is a cell of partition K_f
  double film_decay_per_s = 0.0;
  // Per cell (index i + nx (j + ny k)): conductances of the +x, +y, +z faces [cm³/s] (the +z
  // face of the bottom plane is the sink's), 1/K, k_deg + k_clear [1/s], volume [cm³].
  std::vector<double> gx, gy, gz, inv_k, decay, volume;
  std::vector<double> top;  // per column: film-to-top-cell conductance [cm³/s]
};

}  // namespace poreflux
