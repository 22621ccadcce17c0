// The human-readable summary printed after a run: the same numbers as the summary JSON.
#pragma once

#include <ostream>
#include <string>

#include "poreflux/results.hpp"
#include "poreflux/study.hpp"

namespace poreflux {

// What a formulator reads first, on one screen: what was applied, the first hours' events, the
// amounts over time, where the dose went, treated vs intact, the warnings. `verbose` adds the
// backend, the parameters with their sources, the film per application, every compartment and
// the solver statistics (RHS evaluations, Krylov iterations, ...), which the JSON and HDF5 hold
// either way.
void print_summary(std::ostream& out, const Study& study, const RunResult& run, bool verbose = false);

// The relation set, per-layer D, K (and clearance) with their sources, and the warnings.
void print_parameters(std::ostream& out, const Study& study);
void print_warnings(std::ostream& out, const Study& study);
// One line on the formulation: composition and its partition, air or occlusion, solubility,
// applications and washes.
void print_vehicle(std::ostream& out, const Study& study);
// One line per name read as another (a device synonym), and per amount given per mass of
// formulation ("10 % w/w", "2 mg/cm2") with what it became.
void print_conversions(std::ostream& out, const Study& study);

// "; domain axisymmetric by default (...)" when [treatment] named no domain and the lattice's
// cheap default was taken, with the keys that give the 3D unit cell and the patch; else "".
std::string default_domain_remark(const TreatmentSpec& treatment);

// Text from a config made safe for a terminal: control characters as \xNN escapes, the
// length capped (config errors quote values as written).
std::string printable(const std::string& text, std::size_t max_length = 4000);

// One number through a printf format ("%.3g"): the formatting every printed table shares.
std::string fmt(const char* format, double v);

}  // namespace poreflux
