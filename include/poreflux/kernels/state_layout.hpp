// Layout of the state vector: one concentration per cell, then the scalar compartments.
// Keeping the scalar compartments in the state makes every RK stage update them with the
// same affine combination as the cells, so the mass balance closes to round-off.
#pragma once

#include <cstddef>

namespace poreflux {

enum StateSlot : std::size_t {
  kVehicleConcentration = 0,  // s [ug/cm³]: the film's active (dissolved + deposit) / V_ref (film.hpp)
  kDegraded,                  // [ug] lost to first-order degradation (film and tissue)
  kReceptor,                  // [ug] through the bottom sink (in vitro)
  kSystemic,                  // [ug] removed by dermal clearance (in vivo)
  kRemoved,                   // [ug] wiped off with the film
  kSupplied,                  // [ug] drawn from an infinite-dose reservoir
  kEvaporated,                // [ug] of the active evaporated from the film
  kApplied,                   // [ug] applied after t = 0 (repeated applications)
  kScalarSlots
};

}  // namespace poreflux
