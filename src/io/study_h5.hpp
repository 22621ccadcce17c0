// The file of a study of many cases (schema "poreflux-sweep-h5/1", docs/STUDIES.md): every
// case's run as a group, the intact baselines they share, a tidy table with one row per case x
// scenario, and for a population the percentile bands over time and the sensitivity of the
// outputs to the sampled inputs (computed in src/population, written here). Assembled from the
// parts of a run (study/run_plan.hpp) or from shard files (`poreflux merge`), written to a
// temporary and renamed when complete.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "population/population_summary.hpp"
#include "poreflux/h5_layout.hpp"
#include "poreflux/sweep.hpp"

namespace poreflux {

inline constexpr const char* kStudyH5Schema = h5layout::kStudySchema;

// Where an object to copy in lives: a file and a group in it ("/" for a part's root).
struct H5Source {
  std::string file;
  std::string group;
};

struct StudyFileSpec {
  std::string kind;                         // "sweep" | "population" | "shard"
  std::string shard;                        // "2/8" for a shard file
  std::vector<std::size_t> cases;           // plan indices included, increasing
  std::map<std::string, H5Source> sources;  // case id or baseline id -> where its run lies
  // Link each case's scenarios/intact to its baseline's. Not in shard files: their cases are
  // copied again by merge, and a copy must hold its dimension scales within itself.
  bool link_baselines = true;
  std::string run_identity;  // program version and command-line choices (study/run_plan.hpp)
};

// A column of the results table: numbers or text, with its unit ("1" for fractions).
struct TableColumn {
  std::string name, units, description;
  bool text = false;
  std::vector<double> numbers;
  std::vector<std::string> texts;
};

struct StudyTable {
  std::vector<TableColumn> columns;
  std::vector<std::string> axes;       // the columns the plan varies
  std::vector<std::string> grid_axes;  // those of them that are [[sweep.axis]] axes
  std::size_t rows = 0;
  const TableColumn* find(const std::string& name) const;
};

struct StudyOutputs {
  StudyTable table;
  std::optional<PopulationSummary> population;
};

// Writes the study file at `path` and returns what it holds for the summary and the CSV.
StudyOutputs write_study_h5(const std::string& path, const StudyPlan& plan, const StudyFileSpec& spec,
                            const std::string& version);

// The table as CSV, units in the headers ("uptake_fraction [1]"), written atomically.
void write_table_csv(const std::string& path, const StudyTable& table);

// What a study file says of itself, for `poreflux merge`.
struct StudyFileInfo {
  std::string kind, shard, source_file, base_hash, plan_hash, run_identity;
  std::size_t planned_cases = 0;
  std::vector<std::string> case_ids;      // under /cases
  std::vector<std::string> baseline_ids;  // under /baselines
};
StudyFileInfo read_study_file_info(const std::string& path);

}  // namespace poreflux
