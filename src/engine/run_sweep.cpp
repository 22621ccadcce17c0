#include "run_sweep.hpp"

#include <omp.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include "poreflux/backend.hpp"
#include "study/run_plan.hpp"

namespace poreflux {

std::string sweep_run_identity(const SweepSettings& settings) {
  return "poreflux " + settings.version + "; backend " + settings.backend + "; method " +
         (settings.method.empty() ? "config" : settings.method) + "; linear solver " +
         (settings.linear_solver.empty() ? "config" : settings.linear_solver);
}

int sweep_jobs(const SweepSettings& settings) { return settings.backend == "cuda" ? 1 : std::max(1, settings.jobs); }

StudyOutputs run_sweep_to_files(const StudyPlan& plan, const std::vector<std::size_t>& selected,
                                const SweepSettings& settings, const std::string& out_h5, const std::string& out_csv,
                                const SweepHooks& hooks) {
  PlanRunOptions run;
  run.parts_dir = out_h5 + ".parts";
  run.jobs = sweep_jobs(settings);
  run.force = settings.force;
  run.version = settings.version;
  run.run_identity = sweep_run_identity(settings);
  run.interrupt = hooks.interrupt;
  run.log = hooks.log;
  const std::string backend_name = settings.backend;
  run.make_backend = [backend_name]() { return make_backend(backend_name, nullptr); };
  // The threads this process may use: OMP_NUM_THREADS if set, else the CPUs of its affinity
  // mask (a Slurm allocation, taskset), as the OpenMP runtime reads them here, in the calling
  // thread; shared among the workers.
  const int threads = omp_get_max_threads();
  run.worker_setup = [threads](int workers) { omp_set_num_threads(std::max(1, threads / workers)); };
  run.adjust_study = [settings](Study& study) {
    study.numerics.backend = settings.backend;
    study.numerics.on_gpu = settings.backend == "cuda";
    study.numerics.allow_large = settings.allow_large;
    if (!settings.method.empty()) study.numerics.method = settings.method;
    if (!settings.linear_solver.empty()) study.numerics.linear_solver = settings.linear_solver;
  };
  run.on_time = hooks.on_time;
  run.on_case_end = hooks.on_case_end;
  check_case_grids(plan, selected, run);
  // Held until the parts are assembled and removed.
  std::optional<PartsFolderLock> lock;
  lock.emplace(run.parts_dir);
  run_plan(plan, selected, run, *lock);

  StudyFileSpec spec;
  spec.kind = settings.sharded ? "shard" : plan.kind == StudyKind::sweep ? "sweep" : "population";
  if (settings.sharded)
    spec.shard = std::to_string(settings.shard_index + 1) + "/" + std::to_string(settings.shard_count);
  spec.cases = selected;
  spec.link_baselines = !settings.sharded;
  for (std::size_t i : selected) {
    spec.sources[plan.cases[i].id] = {part_path(run.parts_dir, plan.cases[i].id), "/"};
    spec.sources[plan.cases[i].baseline_id] = {part_path(run.parts_dir, plan.cases[i].baseline_id), "/"};
  }
  spec.run_identity = run.run_identity;
  StudyOutputs outputs = write_study_h5(out_h5, plan, spec, settings.version);
  write_table_csv(out_csv, outputs.table);
  // Removed while still locked (Linux lets a locked file be unlinked), so no other run can
  // take the folder between the assembly and the removal.
  if (!settings.keep_parts) std::filesystem::remove_all(run.parts_dir);
  lock.reset();
  return outputs;
}

}  // namespace poreflux
