// poreflux command line: run | sweep | merge | export | validate | bench | compounds | calibrate | qualify |
// layout | config-keys, and --version.
//
// Exit codes: 0 success; 1 run-time failure (solver, I/O); 2 bad config, usage or output path;
// 3 requested backend unavailable; 4 calibration not identifiable; 130 interrupted (SIGINT);
// 143 terminated (SIGTERM). Nothing is written on failure (docs/CONFIG.md, "Output files").
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <new>

#include "commands.hpp"
#include "io/output_paths.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/config.hpp"
#include "poreflux/time_methods.hpp"
#include "poreflux/version.hpp"
#include "study/layout_json.hpp"
#include "study/print_summary.hpp"

namespace {

// The first SIGINT or SIGTERM asks the run to stop (it is checked at every operator
// evaluation, so within a fraction of a second) and to leave nothing half-written; a second one
// exits at once, after removing the temporary file being written, if any.
volatile std::sig_atomic_t g_signal = 0;
extern "C" void on_signal(int sig) {
  if (g_signal != 0) {
    poreflux::remove_registered_temporary_from_signal_handler();
    _exit(128 + sig);
  }
  g_signal = sig;
}

using namespace poreflux;

// Every subcommand's options, filled by CLI11, and the subcommand objects that say which ran.
struct CommandLine {
  // Declared first: the add_*_command steps of the constructor register on it.
  CLI::App app{"poreflux: how much of a topical active gets into intact and microneedle-treated skin"};
  cli::RunOptions run;
  CLI::App* run_cmd = nullptr;
  cli::CompoundsOptions compounds;
  CLI::App* compounds_cmd = nullptr;
  cli::CalibrateOptions calibrate;
  CLI::App* calibrate_cmd = nullptr;
  std::string validate_config;
  bool validate_allow_large = false;
  CLI::App* validate_cmd = nullptr;
  cli::BenchOptions bench;
  CLI::App* bench_cmd = nullptr;
  cli::SweepOptions sweep;
  CLI::App* sweep_cmd = nullptr;
  cli::MergeOptions merge;
  CLI::App* merge_cmd = nullptr;
  cli::ExportOptions export_options;
  CLI::App* export_cmd = nullptr;
  cli::QualifyOptions qualify;
  CLI::App* qualify_cmd = nullptr;
  bool layout_json_flag = false;
  CLI::App* layout_cmd = nullptr;
  cli::ConfigKeysOptions config_keys;
  CLI::App* config_keys_cmd = nullptr;

  CommandLine() {
    add_run_command();
    add_compounds_command();
    add_calibrate_command();
    add_validate_command();
    add_bench_command();
    add_sweep_command();
    add_merge_command();
    add_export_command();
    add_qualify_command();
    add_layout_command();
    add_config_keys_command();
  }


  void add_run_command() {
    run_cmd = app.add_subcommand("run", "Run a study config and write OUT.h5 (and optionally a summary JSON)");
    run_cmd->add_option("config", run.config, "Study config (TOML)")->required()->check(CLI::ExistingFile);
    run_cmd->add_option("-o,--output", run.output, "HDF5 results file (default: [output] file, else <config stem>.h5)");
    run_cmd->add_option("--backend", run.backend, "Compute backend (default: the config's numerics.backend, else auto)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda", "reference"}));
    run_cmd->add_option("--method", run.method, "Time integrator (default: the config's numerics.method, else auto)")
        ->check(CLI::IsMember(time_method_choices()));
    run_cmd
        ->add_option("--linear-solver", run.linear_solver,
                     "Linear solver of the implicit stages (default: the config's numerics.linear_solver, else auto)")
        ->check(CLI::IsMember({"auto", "direct", "krylov"}));
    run_cmd->add_option("--summary-json", run.summary_json, "Also write the summary (schema poreflux-summary/1) here");
    run_cmd->add_flag("-q,--quiet", run.quiet, "No progress and no printed summary");
    run_cmd->add_flag(
        "-v,--verbose", run.verbose,
        "Also print the backend's details, each parameter's source, the film per application and the solver "
        "statistics (RHS evaluations, Krylov iterations, ...; always in the summary JSON and HDF5)");
    run_cmd->add_flag("--force", run.force,
                      "Replace the output files if they exist (otherwise an existing file is refused)");
    run_cmd->add_flag("--allow-large", run.allow_large,
                      "Run grids beyond the memory and run-time limits (docs/CONFIG.md)");
    run_cmd
        ->add_option("--calibration", run.calibration,
                     "Apply the [calibration] factors of a study written by 'poreflux calibrate'")
        ->check(CLI::ExistingFile);
  }

  void add_compounds_command() {
    compounds_cmd =
        app.add_subcommand("compounds", "List the compound library, or show what is derived for one compound");
    compounds_cmd->add_option("name", compounds.name, "Compound name or alias (omit to list the library)");
    compounds_cmd->add_option("--site", compounds.site, "Skin site preset for the layer thicknesses (default forearm)");
    compounds_cmd->add_option("--ph", compounds.ph, "Vehicle pH (default: 7)")->check(CLI::Range(0.0, 14.0));
    compounds_cmd->add_option("--relations", compounds.relations, "SC relation set")
        ->check(CLI::IsMember({"potts_guy", "kasting"}));
    compounds_cmd->add_option("--library", compounds.library, "Extra compound library file(s), searched first")
        ->check(CLI::ExistingFile);
  }

  void add_calibrate_command() {
    calibrate_cmd =
        app.add_subcommand("calibrate", "Fit multiplicative factors of a study's parameters to measured data");
    calibrate_cmd->add_option("study", calibrate.study, "Study config (TOML), usually intact skin")
        ->required()
        ->check(CLI::ExistingFile);
    calibrate_cmd
        ->add_option("--ivpt", calibrate.ivpt_csv,
                     "CSV with time_h, Q_ug_per_cm2[, sd_ug_per_cm2]: cumulative permeated")
        ->check(CLI::ExistingFile);
    calibrate_cmd->add_option(
        "--measure", calibrate.measures,
        "A measured figure, e.g. uptake=0.05@24h (fraction of dose; also dermal_delivery, permeated_ug_per_cm2)");
    calibrate_cmd
        ->add_option("--fit", calibrate.factors,
                     "Factors to fit (1 or 2), e.g. stratum_corneum.diffusivity stratum_corneum.partition")
        ->expected(1, 2);
    calibrate_cmd->add_option("-o,--output", calibrate.output,
                              "Calibrated study to write (default <study stem>_calibrated.toml)");
    calibrate_cmd->add_flag("--force", calibrate.force, "Replace the calibrated study if it exists");
    calibrate_cmd->add_option("--backend", calibrate.backend, "Backend for the fitting runs")
        ->check(CLI::IsMember({"auto", "cpu", "cuda", "reference"}));
  }

  void add_validate_command() {
    validate_cmd = app.add_subcommand("validate", "Check a study config and show the grid it makes; runs nothing");
    validate_cmd->add_option("config", validate_config, "Study config (TOML)")->required()->check(CLI::ExistingFile);
    validate_cmd->add_flag("--allow-large", validate_allow_large, "Accept grids beyond the memory and run-time limits");
  }

  void add_bench_command() {
    bench_cmd = app.add_subcommand("bench", "Measure triad bandwidth, stencil and RKC-stage throughput");
    bench_cmd->add_flag("--json", bench.json, "Print the figures as JSON");
    bench_cmd->add_option("--backend", bench.backend, "Backend to measure")
        ->check(CLI::IsMember({"auto", "cpu", "cuda", "reference"}));
    bench_cmd->add_option("--size", bench.size, "Grid nx ny nz, each 1 to 4096")
        ->expected(3)
        ->check(CLI::Range(1, 4096));
    bench_cmd->add_option("--repetitions", bench.repetitions, "Timed repetitions (best is reported)")
        ->check(CLI::Range(1, 10000));
  }

  void add_sweep_command() {
    sweep_cmd = app.add_subcommand(
        "sweep",
        "Run the cases of a [sweep] or [population] study (resumable) into one HDF5 and a CSV (docs/STUDIES.md)");
    sweep_cmd->add_option("config", sweep.config, "Study config (TOML) with a [sweep] or [population] table")
        ->required()
        ->check(CLI::ExistingFile);
    sweep_cmd->add_option("-o,--output", sweep.output,
                          "HDF5 results (default <config stem>.h5; a shard: <stem>.shard-K-of-N.h5)");
    sweep_cmd->add_option("--csv", sweep.csv, "Results table (default: the output with .csv)");
    sweep_cmd->add_option("-j,--jobs", sweep.jobs, "Cases run at once on the CPU (the cores are shared among them)")
        ->check(CLI::Range(1, 256));
    sweep_cmd->add_option("--shard", sweep.shard,
                          "Run only shard K of N (K/N, 1 <= K <= N), e.g. one per Slurm array task");
    sweep_cmd->add_option("--backend", sweep.backend, "Compute backend (default: the config's, else auto)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda", "reference"}));
    sweep_cmd->add_option("--method", sweep.method, "Time integrator")->check(CLI::IsMember(time_method_choices()));
    sweep_cmd->add_option("--linear-solver", sweep.linear_solver, "Linear solver of the implicit stages")
        ->check(CLI::IsMember({"auto", "direct", "krylov"}));
    sweep_cmd->add_flag("-q,--quiet", sweep.quiet, "No progress and no printed table");
    sweep_cmd->add_flag("-v,--verbose", sweep.verbose, "Also say why no GPU was used and the backend's details");
    sweep_cmd->add_flag("--force", sweep.force,
                        "Replace existing outputs; discard finished cases of a different config");
    sweep_cmd->add_flag("--keep-parts", sweep.keep_parts,
                        "Keep the folder of finished cases (OUT.parts) after assembling");
    sweep_cmd->add_flag("--allow-large", sweep.allow_large, "Run grids beyond the memory and run-time limits");
  }

  void add_merge_command() {
    merge_cmd = app.add_subcommand("merge", "Combine the shard files of one sweep into one HDF5 and CSV");
    merge_cmd->add_option("shards", merge.shards, "Shard files written by `poreflux sweep --shard K/N`")
        ->required()
        ->check(CLI::ExistingFile);
    merge_cmd->add_option("-o,--output", merge.output, "Merged HDF5 results")->required();
    merge_cmd->add_option("--csv", merge.csv, "Results table (default: the output with .csv)");
    merge_cmd->add_option("--config", merge.config, "The sweep config (default: the path the shards recorded)")
        ->check(CLI::ExistingFile);
    merge_cmd->add_flag("--force", merge.force, "Replace existing outputs");
    merge_cmd->add_flag("-q,--quiet", merge.quiet, "No printed table");
  }

  void add_export_command() {
    export_cmd =
        app.add_subcommand("export", "Write a result file's series, profiles, summaries and parameters as CSV files");
    export_cmd->add_option("file", export_options.input, "Result file (HDF5) of run, sweep or population")
        ->required()
        ->check(CLI::ExistingFile);
    export_cmd->add_option("--csv", export_options.csv_dir, "Folder for the CSV files (made if missing)")->required();
    export_cmd->add_flag("--force", export_options.force, "Replace CSV files that exist");
    export_cmd->add_flag("-q,--quiet", export_options.quiet, "Do not list what was written");
  }

  void add_qualify_command() {
    qualify_cmd = app.add_subcommand("qualify",
                                     "Run the measurement files of the qualification suite and score predicted against "
                                     "measured (docs/VALIDATION.md)");
    qualify_cmd->add_option("cases", qualify.cases,
                            "Measurement files or folders (default: data/measurements/ of the source tree)");
    qualify_cmd->add_option("-o,--output", qualify.output_dir,
                            "Folder for qualification.csv, .md and .png (made if missing)");
    qualify_cmd->add_option("--set", qualify.overrides,
                            "Change a key in every study, e.g. --set skin.hydration=full (repeatable)");
    qualify_cmd
        ->add_option("--baseline", qualify.baseline,
                     "Fail (exit 1) when an endpoint's fold error is worse than recorded here")
        ->check(CLI::ExistingFile);
    qualify_cmd->add_option("--write-baseline", qualify.write_baseline,
                            "Record every endpoint's fold error here (the ratchet)");
    qualify_cmd->add_option("--backend", qualify.backend, "Compute backend (default cpu)")
        ->check(CLI::IsMember({"auto", "cpu", "cuda", "reference"}));
    qualify_cmd->add_flag("-q,--quiet", qualify.quiet, "No progress lines");
  }

  void add_layout_command() {
    layout_cmd = app.add_subcommand(
        "layout", "Print the reported outputs (names, units, labels), the compartments and the HDF5 group names");
    layout_cmd->add_flag("--json", layout_json_flag, "As JSON (the only format; tools/poreflux_plots.py reads it)")
        ->required();
  }

  void add_config_keys_command() {
    config_keys_cmd = app.add_subcommand("config-keys", "List every config key: type, unit, range, default, doc");
    config_keys_cmd->add_flag("--markdown", config_keys.markdown, "Print the key tables of docs/CONFIG.md");
    config_keys_cmd->add_flag("--fuzz-dict", config_keys.fuzz_dict,
                              "Print the generated lines of tools/fuzz/config.dict");
  }

  // Runs the subcommand given; `signal` is the SIGINT/SIGTERM flag a run polls.
  int run_chosen(volatile std::sig_atomic_t* signal) {
    const bool terminal = isatty(STDERR_FILENO) != 0;
    if (*run_cmd) return cli::run_command(run, terminal, signal);
    if (*sweep_cmd) return cli::sweep_command(sweep, terminal, signal);
    if (*merge_cmd) return cli::merge_command(merge);
    if (*validate_cmd) return cli::validate_command(validate_config, validate_allow_large);
    if (*bench_cmd) return cli::bench_command(bench);
    if (*compounds_cmd) return cli::compounds_command(compounds);
    if (*calibrate_cmd) return cli::calibrate_command(calibrate);
    if (*export_cmd) return cli::export_command(export_options);
    if (*qualify_cmd) return cli::qualify_command(qualify, signal);
    if (*layout_cmd) return std::cout << layout_json(), 0;
    if (*config_keys_cmd) return cli::config_keys_command(config_keys);
    return 2;
  }
};

// The exit code and message of the exception being handled (the exit codes above).
int report_failure(volatile std::sig_atomic_t signal) {
  try {
    throw;
  } catch (const ConfigError& e) {
    std::cerr << "poreflux: config error: " << printable(e.what()) << '\n';
    return 2;
  } catch (const OutputRefused& e) {
    std::cerr << "poreflux: " << printable(e.what()) << '\n';
    return 2;
  } catch (const BackendUnavailable& e) {
    std::cerr << "poreflux: " << e.what() << "\n  (use --backend cpu, or --backend auto to fall back to the CPU)\n";
    return 3;
  } catch (const Interrupted&) {
    const int sig = signal != 0 ? signal : SIGINT;
    std::cerr << "\nporeflux: " << (sig == SIGTERM ? "terminated" : "interrupted") << "; no results were written\n";
    return 128 + sig;
  } catch (const std::bad_alloc&) {
    std::cerr << "poreflux: error: out of memory; `poreflux validate` shows the grid's size and memory, and the keys "
                 "that set it (each layer's max_cell, [treatment] wall_cell, lateral_max_cell, patch_width/length)\n";
    return 1;
  } catch (const std::filesystem::filesystem_error& e) {
    std::cerr << "poreflux: error: " << e.code().message() << ": '" << printable(e.path1().string()) << "'"
              << (e.path2().empty() ? "" : " -> '" + printable(e.path2().string()) + "'") << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "poreflux: error: " << printable(e.what()) << '\n';
    return 1;
  }
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine command_line;
  command_line.app.set_version_flag("--version", std::string("poreflux ") + poreflux::kVersion);
  command_line.app.require_subcommand(1);
  try {
    command_line.app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = command_line.app.exit(e);
    return code == 0 ? 0 : 2;
  }

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  try {
    return command_line.run_chosen(&g_signal);
  } catch (...) {
    return report_failure(g_signal);
  }
}
