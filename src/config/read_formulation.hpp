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
void read_schedule(TableReader& protocol_table, ProtocolSpec& protocol, VehicleSpec& vehicle);

// [vehicle] density = "1.02 g/mL", else the composition's (volume-weighted mean of its
// components' densities, data/vehicles.toml); nullopt when neither is given.
std::optional<Sourced> read_density(TableReader& vehicle, const std::optional<VehicleComposition>& composition);

// A concentration as formulators write it: per volume ("150 mg/mL", "15 % w/v") or per mass
// ("10 % w/w", "10 wt%", "100 mg/g", "500 ppm"), the latter times `density`; ug/cm3. A per-mass
// value without a density, or a unit that is neither, is refused naming the accepted units and
// the conversion. The conversion, when one was made, is added to `conversions` in words.
std::optional<double> read_concentration(TableReader& table, std::string_view key, const Bounds& bounds,
                                         const std::optional<Sourced>& density, std::vector<std::string>* conversions);

// The applied film from formulation_per_area (mg of formulation per cm2) divided by `density`;
// cm. nullopt when the key is absent; refused, saying how to give the density, when it is unknown.
std::optional<double> read_formulation_per_area(TableReader& table, const std::optional<Sourced>& density,
                                                std::vector<std::string>* conversions);

}  // namespace poreflux::config
