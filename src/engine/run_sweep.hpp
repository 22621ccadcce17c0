// A sweep or population from its plan to its files: every selected case run into OUT.parts
// (resumable, study/run_plan.hpp), the parts assembled into OUT (HDF5) and the table's CSV
// (io/study_h5.hpp), the parts folder removed. Shared by `poreflux sweep` and the Python
// module, which add only how they report progress.
#pragma once

#include <csignal>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "io/study_h5.hpp"
#include "poreflux/sweep.hpp"

namespace poreflux {

struct SweepSettings {
  std::string backend = "cpu";        // a backend make_backend accepts; resolved ("cpu", "cuda")
  std::string method, linear_solver;  // "": the config's
  int jobs = 1;                       // cases at once on the CPU; one on the cuda backend
  bool allow_large = false;
  bool force = false;       // replace outputs; discard parts of a different base config
  bool keep_parts = false;  // keep OUT.parts after assembling
  int shard_index = 0, shard_count = 1;
  bool sharded = false;  // a shard file (no baseline links; merged later)
  std::string version;
};

struct SweepHooks {
  const volatile std::sig_atomic_t* interrupt = nullptr;
  std::ostream* log = nullptr;  // a line per case finished
  // With one job only: progress within a case, and a call when a case ends (PlanRunOptions).
  std::function<void(const std::string&, double, double)> on_time;
  std::function<void()> on_case_end;
};

// The program and the choices that decide a case's numbers besides its config.
std::string sweep_run_identity(const SweepSettings& settings);

// The jobs a sweep runs at once: one GPU runs one case at a time.
int sweep_jobs(const SweepSettings& settings);

// Runs and assembles; throws ConfigError (a case's grid beyond the limits), OutputRefused
// (parts folder in use or of another config), Interrupted (finished parts stay for a rerun).
// The caller checks the outputs (io/output_paths.hpp) first.
StudyOutputs run_sweep_to_files(const StudyPlan& plan, const std::vector<std::size_t>& selected,
                                const SweepSettings& settings, const std::string& out_h5, const std::string& out_csv,
                                const SweepHooks& hooks);

}  // namespace poreflux
