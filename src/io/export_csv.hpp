// The CSV files `poreflux export` makes from a result file (docs/CONFIG.md, "Output files"):
// per scenario of a run layout (a run file's root, or a /cases/<id>/ group of a sweep file)
// SCENARIO_timeseries.csv, SCENARIO_profiles.csv (long format), SCENARIO_summary.csv and
// SCENARIO_film.csv, plus parameters.csv; and table.csv from a sweep file's /table group.
// Only the text is made here; the command checks and writes the files.
#pragma once

#include <string>
#include <vector>

namespace poreflux {

namespace h5 {
class Group;
}

struct CsvFile {
  std::string name;  // relative to the export folder, e.g. "treated_timeseries.csv" or "case1/parameters.csv"
  std::string what;  // for messages: "time series of 'treated'"
  std::string text;
};

// `folder` ("" or "ID/") is put before every name. Throws std::runtime_error (HDF5) when a
// dataset or group the layout promises is missing.
std::vector<CsvFile> run_csv_files(const h5::Group& run, const std::string& folder);

// The columns of a /table group (one 1-D dataset each, numbers or strings, with `units`), in
// the order of the group's `columns` attribute (names joined by newlines), else by name.
std::string table_csv(const h5::Group& table);

// A scenario or case name as a file name: characters other than letters, digits, '-', '_' and
// '.' become '_', and a leading '.' too (no hidden files, no "..").
std::string safe_file_name(const std::string& name);

}  // namespace poreflux
