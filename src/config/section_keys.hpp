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

const std::vector<BoundKey<ProtocolSpec>>& protocol_bindings();
const std::vector<BoundKey<FilmEnvironment>>& protocol_environment_bindings();
const std::vector<BoundKey<TreatmentSpec>>& treatment_bindings();
// A bound key whose absence means something other than its struct's value ("required",
// "automatic"): the docs say that instead of the member's initial value.
template <class Spec>
BoundKey<Spec> absent_means(BoundKey<Spec> key, std::string what) {
  key.decl.no_default(std::move(what));
  return key;
}
// Shared by keys of [protocol] and [treatment] (keys_protocol.cpp).
Bounds time_in_study();                                                       // when an event of the study may happen
KeyDecl with_number_range(KeyDecl decl, Dimension dimension, Bounds bounds);  // of a key of several forms

const std::vector<BoundKey<NumericsSpec>>& numerics_bindings();
const std::vector<BoundKey<OutputSpec>>& output_bindings();
const std::vector<BoundKey<BoundarySpec>>& boundary_bindings();
const std::vector<BoundKey<ParameterModel>>& skin_bindings();

}  // namespace poreflux::config
