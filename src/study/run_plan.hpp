// Runs the cases of a study plan (include/poreflux/sweep.hpp) into a folder of parts, one
// HDF5 file per finished case and per distinct intact baseline, each written to a temporary
// and renamed when complete. A part is the record that the case is done: a rerun (after a
// crash, Ctrl-C or SIGKILL) finds it and skips the case, so nothing finished is redone or lost.
// io/study_h5.hpp then assembles the parts into the study's file.
#pragma once

#include <csignal>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "poreflux/backend.hpp"
#include "poreflux/sweep.hpp"

namespace poreflux {

struct PlanRunOptions {
  std::string parts_dir;  // created if absent; holds plan.txt, lock, the parts
  int jobs = 1;           // cases run at once (threads); each gets its own backend
  bool force = false;     // discard parts made from a different base config
  // A new backend for one worker thread (called in that thread).
  std::function<std::unique_ptr<Backend>()> make_backend;
  // Called at the start of each worker thread with the number of workers running (at most
  // `jobs`, fewer when there are fewer runs to do), e.g. to share the cores among them.
  std::function<void(int workers)> worker_setup;
  // Applied to every case's study before it runs (command-line backend, method, limits).
  std::function<void(Study&)> adjust_study;
  std::string version;
  // What else decides a case's numbers besides its config: the program version and the
  // command line's backend, method and linear solver. A part made under another is run again.
  std::string run_identity;
  const volatile std::sig_atomic_t* interrupt = nullptr;
  std::ostream* log = nullptr;  // a line per case finished, with the ETA
  // With one job only: progress within a case (its id and scenario, simulated time, duration),
  // and a call when the case ends, before its line is logged (to end a progress line).
  std::function<void(const std::string&, double, double)> on_time;
  std::function<void()> on_case_end;
};

struct PlanRunReport {
  std::size_t cases_run = 0, cases_reused = 0;
  std::size_t baselines_run = 0, baselines_reused = 0;
};

// One process per parts folder (two would each redo the other's cases): an exclusive flock
// on DIR/lock, held while it lives. Hold it from the run to the assembly and removal of the
// folder. Throws OutputRefused when another process holds it or the lock cannot be taken.
class PartsFolderLock {
 public:
  explicit PartsFolderLock(const std::string& dir);  // creates the folder if needed
  ~PartsFolderLock();
  PartsFolderLock(const PartsFolderLock&) = delete;
  PartsFolderLock& operator=(const PartsFolderLock&) = delete;
  const std::string& dir() const { return dir_; }

 private:
  std::string dir_;
  int fd_ = -1;
};

// The cases of shard `index` (0-based) of `count`: every count-th case from index, so each
// shard gets a share of every region of a grid (neighbouring cases cost alike).
std::vector<std::size_t> shard_cases(const StudyPlan& plan, int index, int count);

// Where a case's or baseline's part lives.
std::string part_path(const std::string& parts_dir, const std::string& id);

// Builds every selected case's grids (without running them), so that a case beyond the size
// or run-time limits (model/grid_budget.hpp) stops the sweep before any case runs, named.
void check_case_grids(const StudyPlan& plan, const std::vector<std::size_t>& selected, const PlanRunOptions& options);

// Runs every selected case not already finished in `parts_dir`, and the intact baselines they
// need. Throws OutputRefused when the folder holds parts of a different base config (unless
// force) or another process is using it; Interrupted on a signal (finished parts stay).
PlanRunReport run_plan(const StudyPlan& plan, const std::vector<std::size_t>& selected, const PlanRunOptions& options,
                       const PartsFolderLock& lock);

}  // namespace poreflux
