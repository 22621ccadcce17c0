// One reader per config section: each takes the top-level table, reads its section's keys
// into the Study's structs (internal units, defaults filled), checks the values and rejects
// unknown keys in that section. Schema and defaults: docs/CONFIG.md.
#pragma once

#include <optional>
#include <vector>

#include "poreflux/library.hpp"
#include "poreflux/study.hpp"
#include "study_reader.hpp"
#include "table_reader.hpp"

namespace poreflux::config {

// [compound]: a library entry by name (with the config's values instead where given), or a
// compound defined inline; also the relation set and the user's library files (into `model`).
CompoundSpec read_compound(TableReader& root, ParameterModel& model);

// [skin] site = "...": the preset the layers come from; nullptr when there is no [skin].
const SkinSite* read_skin(TableReader& root, ParameterModel& model);

// [calibration] factors, from the table itself, the file it names (`from`) and `extra_file`
// (the --calibration option); empty when there are none.
// A study named by `from` is read and resolved (`resolve`) like the study itself.
std::vector<CalibrationFactor> read_calibration(TableReader& root, const std::string& extra_file,
                                                const StudyResolver& resolve);

// `path` as written in the config at `config_file`: relative paths are relative to its folder.
std::string relative_to_config(const std::string& config_file, const std::string& path);
VehicleSpec read_vehicle(TableReader& root);

// The bottom defaults to the site's setting (in vivo: clearance; in vitro: sink).
BoundarySpec read_boundary(TableReader& root, const SkinSite* site);

// Dermal clearance is only meaningful without a receptor sink, hence `bottom`.
// [[layer]] tables, or the site's layers when there are none; a layer may take its thickness
// from the site layer of the same name or role.
std::vector<LayerSpec> read_layers(TableReader& root, BottomBoundary bottom, const SkinSite* site);

// The optional microneedle [treatment]; nullopt when the section is absent (intact skin only).
// Read after the layers: the channel is checked against the skin's total and stratum corneum
// thickness. The channel diffusivity, when not given, is derived by the resolve step.
// After [protocol]: its occlusion switch sets the closure preset, and later needling sessions
// (repeat_at) must fall within its duration.
// A device written as users name it ("dermapen", "microneedle pen", "derma roller") is taken for
// the device it is, with a line in `notes` saying so.
std::optional<TreatmentSpec> read_treatment(TableReader& root, const std::vector<LayerSpec>& layers,
                                            const ProtocolSpec& protocol, std::vector<std::string>* notes = nullptr);

// After the vehicle: later applications default to its dose.
ProtocolSpec read_protocol(TableReader& root, VehicleSpec& vehicle);
NumericsSpec read_numerics(TableReader& root);
OutputSpec read_output(TableReader& root);

// More output times than this is almost surely a unit slip ("1 s" for "1 h").
constexpr std::size_t kMaxOutputTimes = 100000;

}  // namespace poreflux::config
