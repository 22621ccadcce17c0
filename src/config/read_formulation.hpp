// Readers of the formulation's keys (read_formulation.cpp): the vehicle's composition, and
// the protocol's applications, washes, occlusion and air. Schema: docs/CONFIG.md.
#pragma once

#include <optional>

#include "poreflux/study.hpp"
#include "table_reader.hpp"

namespace poreflux::config {

// [vehicle] composition = "preset" | { component = fraction, ... }, evaporation_rates = {...};
// nullopt when the vehicle has no composition (a film that keeps its volume).
std::optional<VehicleComposition> read_composition(TableReader& vehicle);

// [protocol] occluded, air_speed, relative_humidity, occlusion_sc_factor, repeat_every +
// applications or [[protocol.application]], wash_at + wash_efficiency (and wipe_at, read
// before). Fills `protocol`, whose duration is read already.
void read_schedule(TableReader& protocol_table, ProtocolSpec& protocol, const VehicleSpec& vehicle);

}  // namespace poreflux::config
