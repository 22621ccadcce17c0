// The key declarations of each section of a study config (key_registry.hpp): one function per
// section, in files keys_<section>.cpp, or, for sections whose struct declares its keys beside
// its fields, the struct's keys() (declared_keys_of below).
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
std::vector<KeyDecl> protocol_keys();  // and [[protocol.application]]
std::vector<KeyDecl> treatment_keys();
std::vector<KeyDecl> study_plan_keys();  // [sweep], [population] and their entries (keys_study_plan.cpp)

const std::vector<BoundKey<ParameterModel>>& compound_model_bindings();  // [compound] keys of the ParameterModel
const std::vector<BoundKey<CompoundSpec>>& compound_bindings();          // a compound record's keys
const std::vector<BoundKey<VehicleSpec>>& vehicle_bindings();

// The keys of a section whose struct declares them beside its fields (Spec::keys(),
// poreflux/key_decl.hpp): [numerics], [output], [boundary], the plain keys of [skin] and a
// compound record's (CompoundSpec::keys(), with the pKa list added in keys_compound.cpp).
template <class Spec>
std::vector<KeyDecl> declared_keys_of() {
  return declarations_of(bindings_of<Spec>());
}
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


}  // namespace poreflux::config
