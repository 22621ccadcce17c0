// One reader per config section: each takes the top-level table, reads its section's keys
// into the Study's structs (internal units, defaults filled), checks the values and rejects
// unknown keys in that section. Schema and defaults: docs/CONFIG.md.
#pragma once

#include <optional>
#include <vector>

#include "poreflux/study.hpp"
#include "table_reader.hpp"

namespace poreflux::config {

CompoundSpec read_compound(TableReader& root);
VehicleSpec read_vehicle(TableReader& root);

struct BoundarySpec {
  BottomBoundary bottom = BottomBoundary::sink;
  LateralBoundary lateral = LateralBoundary::mirror;
};
BoundarySpec read_boundary(TableReader& root);

// Dermal clearance is only meaningful without a receptor sink, hence `bottom`.
std::vector<LayerSpec> read_layers(TableReader& root, BottomBoundary bottom);

// The optional microneedle [treatment]; nullopt when the section is absent (intact skin only).
// Read after the layers and the compound: the channel is checked against the skin's total and
// stratum corneum thickness, and its diffusivity defaults from the molecular weight.
std::optional<TreatmentSpec> read_treatment(TableReader& root, const std::vector<LayerSpec>& layers,
                                            const CompoundSpec& compound);

ProtocolSpec read_protocol(TableReader& root);
NumericsSpec read_numerics(TableReader& root);
OutputSpec read_output(TableReader& root);

// More output times than this is almost surely a unit slip ("1 s" for "1 h").
constexpr std::size_t kMaxOutputTimes = 100000;

}  // namespace poreflux::config
