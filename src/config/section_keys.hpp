// The key declarations of each section of a study config (key_registry.hpp): one function per
// section, in files keys_<section>.cpp, or, for sections whose struct declares its keys beside
// its fields, the struct's keys() (declared_keys_of below).
// Internal header: only src/config may include it.
#pragma once

#include <algorithm>
#include <stdexcept>
#include <string>
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

// The keys of a section whose struct declares them beside its fields (Spec::keys(),
// poreflux/key_decl.hpp): [numerics], [output], [boundary], the plain keys of [skin], [vehicle],
// [protocol] (ProtocolSpec and FilmEnvironment), [treatment] and a compound record's
// (CompoundSpec::keys(), with the pKa list added in keys_compound.cpp).
template <class Spec>
std::vector<KeyDecl> declared_keys_of() {
  return declarations_of(bindings_of<Spec>());
}

// Lists the ruled keys `ruled` after the key `name` of `keys`: a section's keys in the order
// users meet them, the ruled ones among the plain ones its struct declares.
inline void insert_after(std::vector<KeyDecl>& keys, const std::string& name, std::vector<KeyDecl> ruled) {
  auto at = std::find_if(keys.begin(), keys.end(), [&](const KeyDecl& k) { return k.name == name; });
  if (at == keys.end()) throw std::logic_error("config key " + name + " is not declared: nothing to list after it");
  keys.insert(at + 1, ruled.begin(), ruled.end());
}

// A key of several forms whose number is still range-checked (a concentration, a time or
// "never"; keys_protocol.cpp).
KeyDecl with_number_range(KeyDecl decl, Dimension dimension, Bounds bounds);

}  // namespace poreflux::config
