// A published measurement as the qualification suite holds it (data/measurements/README.md):
// the study as it was run, read into one resolved Study per distinct set of key changes, and
// the endpoints the paper reported, each in the paper's own category (MODEL.md §6). Plain data;
// the TOML is read in src/config/read_measurement.cpp.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "poreflux/study.hpp"
#include "study_reader.hpp"

namespace poreflux::qualify {

// The OECD TG 428 / SCCS categories an endpoint can be (endpoints.cpp says what each sums).
enum class Quantity {
  dislodgeable,
  stratum_corneum,
  epidermis,
  dermis,
  skin,
  receptor,
  absorbed,
  potentially_absorbable,
  uptake,
  flux,
  max_flux,
  kp,
};

// The quantity's name in files and tables, and the list of names (for messages).
const char* quantity_name(Quantity q);
const std::vector<Quantity>& all_quantities();

enum class MeasuredUnit { percent_of_dose, ug_per_cm2, ug_per_cm2_h, cm_per_h, ratio };
const char* unit_name(MeasuredUnit u);

struct Endpoint {
  std::string label;
  Quantity quantity = Quantity::absorbed;
  double time_s = 0.0;
  double measured = 0.0;         // in `unit`
  std::optional<double> spread;  // SD or half-range, in `unit`
  MeasuredUnit unit = MeasuredUnit::percent_of_dose;
  std::string scenario = "intact";  // "intact", "treated" or "treated/intact" (a ratio)
  std::string peer_predictions;     // other models' predictions, as the source gives them
  std::string set_text;             // the key changes, as written ("" for none)
  std::size_t run = 0;              // index into MeasurementCase::runs
  int line = 0;
};

// One study to run: the base study with one endpoint's key changes applied.
struct CaseRun {
  std::string set_text;
  Study study;
};

struct MeasurementCase {
  std::string file;
  std::string id;  // the file's stem
  std::string title;
  std::string reference, read, read_in, definition, note;
  std::vector<CaseRun> runs;
  std::vector<Endpoint> endpoints;
};

// Reads one measurement file; throws ConfigError naming file, line and key. `overrides` are
// "key.path=value" changes applied to every study of the file before it is read (the physics
// alternatives of `poreflux qualify --set`). `resolve` is the resolve step each run's study is
// given (src/study passes resolve_parameters: qualify::read_measurement_file,
// study/load_measurement.hpp, is what the layers above call).
MeasurementCase read_measurement(const std::string& path, const std::vector<std::string>& overrides,
                                 const config::StudyResolver& resolve);

}  // namespace poreflux::qualify
