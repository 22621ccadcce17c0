// The key declarations of each section of a study config (key_registry.hpp): one function per
// section, in files keys_<section>.cpp. Sections read by the generic path also give their
// bindings (each key tied to the member it lands in).
// Internal header: only src/config may include it.
#pragma once

#include <vector>

#include "key_registry.hpp"
#include "poreflux/study.hpp"
#include "read_sections.hpp"

namespace poreflux::config {

std::vector<KeyDecl> top_level_keys();
std::vector<KeyDecl> compound_keys();
std::vector<KeyDecl> skin_keys();
std::vector<KeyDecl> calibration_keys();  // and [[calibration.factors]]
std::vector<KeyDecl> vehicle_keys();
std::vector<KeyDecl> layer_keys();
std::vector<KeyDecl> boundary_keys();
std::vector<KeyDecl> protocol_keys();  // and [[protocol.application]]
std::vector<KeyDecl> numerics_keys();
std::vector<KeyDecl> output_keys();
std::vector<KeyDecl> treatment_keys();

const std::vector<BoundKey<NumericsSpec>>& numerics_bindings();
const std::vector<BoundKey<OutputSpec>>& output_bindings();
const std::vector<BoundKey<BoundarySpec>>& boundary_bindings();
const std::vector<BoundKey<ParameterModel>>& skin_bindings();
const std::vector<BoundKey<ParameterModel>>& compound_model_bindings();  // [compound] keys of the ParameterModel
const std::vector<BoundKey<CompoundSpec>>& compound_bindings();          // a compound record's keys
const std::vector<BoundKey<VehicleSpec>>& vehicle_bindings();

}  // namespace poreflux::config
