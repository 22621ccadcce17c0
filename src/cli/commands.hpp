// The subcommands behind the CLI; each returns the process exit code and throws the errors
// main() maps to exit codes (ConfigError, BackendUnavailable, Interrupted, std::exception).
#pragma once

#include <csignal>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace poreflux::cli {

struct RunOptions {
  std::string config, output, backend, summary_json, calibration, method, linear_solver;
  bool quiet = false;
  bool verbose = false;      // the backend's details, parameters' sources, solver statistics
  bool force = false;        // replace existing result files
  bool allow_large = false;  // lift the size and run-time limits
};

struct BenchOptions {
  bool json = false;
  std::string backend = "auto";
  std::vector<int> size{128, 128, 64};
  int repetitions = 5;
};

int run_command(const RunOptions& options, bool stderr_is_terminal, const volatile std::sig_atomic_t* interrupt);
int validate_command(const std::string& config, bool allow_large);
int bench_command(const BenchOptions& options);

struct CompoundsOptions {
  std::string name, site, relations = "potts_guy";
  std::vector<std::string> library;
  std::optional<double> ph;
};
int compounds_command(const CompoundsOptions& options);

struct CalibrateOptions {
  std::string study, ivpt_csv, output;
  std::vector<std::string> measures;  // "uptake=0.05@24h"
  std::vector<std::string> factors{"stratum_corneum.diffusivity"};
  std::string backend = "cpu";
  bool force = false;  // replace an existing calibrated study
};
int calibrate_command(const CalibrateOptions& options);

struct SweepOptions {
  std::string config, output, csv, shard, backend, method, linear_solver;
  int jobs = 1;
  bool quiet = false;
  bool verbose = false;     // why no GPU was used, and the backend's details
  bool force = false;       // replace outputs; discard parts of a different base config
  bool keep_parts = false;  // keep the folder of finished cases after assembling
  bool allow_large = false;
};
int sweep_command(const SweepOptions& options, bool stderr_is_terminal, const volatile std::sig_atomic_t* interrupt);

struct MergeOptions {
  std::vector<std::string> shards;
  std::string output, csv, config;
  bool force = false;
  bool quiet = false;
};
int merge_command(const MergeOptions& options);

struct ExportOptions {
  std::string input, csv_dir;
  bool force = false;  // replace existing CSV files
  bool quiet = false;
};
int export_command(const ExportOptions& options);

struct QualifyOptions {
  std::vector<std::string> cases;      // measurement files or folders; none: data/measurements/
  std::vector<std::string> overrides;  // "skin.hydration=partial": applied to every study
  std::string output_dir, baseline, write_baseline, backend = "cpu";
  bool quiet = false;
};
int qualify_command(const QualifyOptions& options, const volatile std::sig_atomic_t* interrupt);

// `poreflux config-keys`: the declared config keys; --markdown: docs/CONFIG.md's key tables;
// --fuzz-dict: the generated lines of tools/fuzz/config.dict.
struct ConfigKeysOptions {
  bool markdown = false;
  bool fuzz_dict = false;
};
int config_keys_command(const ConfigKeysOptions& options);

}  // namespace poreflux::cli

namespace poreflux {
struct StudyOutputs;
namespace cli {
// The results table (and a population's bands and sensitivity) as the commands print them.
void print_study_outputs(std::ostream& out, const StudyOutputs& outputs);
}  // namespace cli
}  // namespace poreflux
