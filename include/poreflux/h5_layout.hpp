// The HDF5 layout in one place: the schemas and the names of the groups of a run file and of a
// study (sweep / population) file. Writers and readers (C++ and, through `poreflux layout
// --json`, tools/poreflux_plots.py) use these names; docs/CONFIG.md and docs/STUDIES.md
// describe what lies in each.
#pragma once

namespace poreflux::h5layout {

inline constexpr const char* kRunSchema = "poreflux-h5/1";
inline constexpr const char* kStudySchema = "poreflux-sweep-h5/1";

// Run file: /scenarios/<scenario>/<group>, each scenario with its own time_h.
inline constexpr const char* kScenarios = "scenarios";
inline constexpr const char* kTime = "time_h";          // output times [h]; repeated in each group indexed by time
inline constexpr const char* kAmounts = "amounts";      // one dataset per compartment [ug/cm2]
inline constexpr const char* kFractions = "fractions";  // one dataset per compartment [1 of the dose]
inline constexpr const char* kProfiles = "profiles";    // depth_um, concentration [time][depth]
inline constexpr const char* kGrid = "grid";            // the discrete problem
inline constexpr const char* kSummary = "summary";      // scalar_outputs() as attributes
inline constexpr const char* kFractionOfDose = "fraction_of_dose";  // under summary/: compartments at the end
inline constexpr const char* kOecdCategories = "oecd_categories";   // under summary/: oecd_categories() [ug/cm2]
inline constexpr const char* kFilm = "film";                        // one row per application
inline constexpr const char* kSolver = "solver";                    // solver statistics (attributes)
inline constexpr const char* kSlices = "slices";                    // treated scenarios: concentration pictures
inline constexpr const char* kParameters = "parameters";            // root: derived parameters table
inline constexpr const char* kConfig = "config";                    // root: the resolved TOML

// Study file: /cases/<id> and /baselines/<id> are run layouts; /table one row per case x scenario.
inline constexpr const char* kCases = "cases";
inline constexpr const char* kBaselines = "baselines";
inline constexpr const char* kTable = "table";
inline constexpr const char* kPopulation = "population";  // percentile bands, inputs, sensitivity

}  // namespace poreflux::h5layout
