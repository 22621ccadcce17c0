// Layout of the state vector: one concentration per cell, then the scalar compartments.
// Keeping the scalar compartments in the state makes every RK stage update them with the
// same affine combination as the cells, so the mass balance closes to round-off.
#pragma once

#include <cstddef>

namespace poreflux {

enum StateSlot : std::size_t {
  kVehicleConcentration = 0,  // C_v [ug/cm³] of the well-mixed film
  kDegraded,                  // [ug] lost to first-order degradation (film and tissue)
  kReceptor,                  // [ug] through the bottom sink (in vitro)
  kSystemic,                  // [ug] removed by dermal clearance (in vivo)
  kRemoved,                   // [ug] wiped off with the film
  kSupplied,                  // [ug] drawn from an infinite-dose reservoir
  kScalarSlots
};

}  // namespace poreflux
