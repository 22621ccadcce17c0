// poreflux export FILE.h5 --csv DIR: the result file as tidy CSV files (io/export_csv.hpp), for
// spreadsheets, R and pandas. Every file is planned and checked before the first is written
// (the rules of `run`'s outputs: an existing file needs --force), and each is written whole or
// not at all.
#include <sys/stat.h>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "commands.hpp"
#include "io/atomic_text_file.hpp"
#include "io/export_csv.hpp"
#include "io/h5_handles.hpp"
#include "io/output_paths.hpp"
#include "io/write_run_h5.hpp"
#include "poreflux/config.hpp"
#include "poreflux/h5_layout.hpp"

namespace poreflux::cli {
namespace {

namespace fs = std::filesystem;

constexpr const char* kSweepSchema = "poreflux-sweep-h5/1";

[[noreturn]] void bad_input(const std::string& file, const std::string& message) {
  throw ConfigError(file, 0, "", message);
}

// What a file holds, as CSV files; nothing is written yet.
std::vector<CsvFile> plan(const h5::File& file) {
  const h5::Group& root = file.root();
  const std::string expected =
      std::string("expected a poreflux result file (schema ") + kH5Schema + " or " + kSweepSchema + ")";
  if (!root.has_attr("schema")) bad_input(file.path(), "the root group has no 'schema' attribute; " + expected);
  const std::string schema = root.read_attr_string("schema");
  std::vector<CsvFile> files;
  try {
    if (schema == kH5Schema) {
      files = run_csv_files(root, "");
    } else if (schema == kSweepSchema) {
      if (root.exists(h5layout::kTable))
        files.push_back({"table.csv", "table", table_csv(root.open_group(h5layout::kTable))});
      if (root.exists(h5layout::kCases)) {
        const h5::Group cases = root.open_group(h5layout::kCases);
        for (const std::string& id : cases.children()) {
          std::vector<CsvFile> more = run_csv_files(cases.open_group(id), safe_file_name(id) + "/");
          for (CsvFile& f : more) f.what += " (case '" + id + "')";
          files.insert(files.end(), more.begin(), more.end());
        }
      }
      if (files.empty())
        bad_input(file.path(), std::string("a ") + kSweepSchema + " file with neither /table nor /cases");
    } else {
      bad_input(file.path(), "schema '" + schema + "'; " + expected);
    }
  } catch (const ConfigError&) {
    throw;
  } catch (const std::exception& e) {
    // A missing group or dataset, or columns of different lengths: say what the layout lacks.
    bad_input(file.path(), "not a complete " + schema + " file: " + e.what());
  }
  return files;
}

// DIR (and DIR/ID/ for the cases) made if missing; something else of that name is refused.
void make_folder(const fs::path& folder) {
  struct stat st {};
  if (::stat(folder.c_str(), &st) == 0) {
    if (!S_ISDIR(st.st_mode)) throw OutputRefused("output folder '" + folder.string() + "' exists and is not a folder");
    return;
  }
  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw OutputRefused("output folder '" + folder.string() + "' cannot be created: " + error.message());
}

}  // namespace

int export_command(const ExportOptions& options) {
  h5::File file = [&] {
    try {
      return h5::File::open_read(options.input);
    } catch (const std::runtime_error& e) {
      bad_input(options.input, std::string("cannot be read as HDF5 (") + e.what() + ")");
    }
  }();
  const std::vector<CsvFile> files = plan(file);

  const fs::path folder(options.csv_dir);
  std::vector<PlannedOutput> outputs;
  for (const CsvFile& f : files) {
    const fs::path path = folder / f.name;
    make_folder(path.parent_path());
    outputs.push_back({path.string(), f.what + " (CSV)"});
  }
  check_outputs(outputs, {options.input}, options.force, &std::cerr);
  for (std::size_t i = 0; i < files.size(); ++i) write_text_atomically(outputs[i].path, files[i].text);
  if (!options.quiet) std::cout << "wrote " << files.size() << " CSV files to " << folder.string() << '\n';
  return 0;
}

}  // namespace poreflux::cli
