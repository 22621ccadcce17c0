#include <omp.h>

#include <thrust/version.h>
#include <algorithm>
#include <cstdlib>
#include <string>

#include "cpu_exec.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/solver/bench_exec.hpp"
#include "poreflux/solver/run_transport.hpp"
#include "thread_choice.hpp"

namespace poreflux {
namespace {

class CpuBackend final : public Backend {
 public:
  // OMP_NUM_THREADS set: as it says. Unset: the cores free of other work now (thread_choice.hpp).
  CpuBackend() : threads_(omp_get_max_threads()) {
    if (const char* pinned = std::getenv("OMP_NUM_THREADS"); pinned && *pinned) return;
    const int busy = cpu::busy_threads_now();
    if (busy <= 0) return;
    const int cores = omp_get_num_procs();
    const int chosen = cpu::threads_for(threads_, cores, busy);
    if (chosen < threads_)
      why_ = " (" + std::to_string(busy) + " other thread" + (busy == 1 ? "" : "s") + " running on " +
             std::to_string(cores) + " cores at the start; OMP_NUM_THREADS sets the count)";
    threads_ = chosen;
  }
  std::string name() const override { return "cpu"; }
  std::string description() const override {
    return "Thrust " + std::to_string(THRUST_MAJOR_VERSION) + "." + std::to_string(THRUST_MINOR_VERSION) + " OpenMP, " +
           std::to_string(threads_) + (threads_ == 1 ? " thread" : " threads") + why_;
  }
  SolverStats solve(const DiscreteProblem& problem, SnapshotSink& sink, const RunControl& control) override {
    // Never more than the caller allows (a sweep's worker sets its share before it solves). A
    // grid below CpuExec::kSerialBelow cells runs every loop serially anyway; one thread then
    // spares the vector fills Thrust parallelises the waking of a second thread that only spins
    // (the axisymmetric cell: 0.062 s against 0.071 s a process; docs/BENCHMARKS.md).
    const int before = omp_get_max_threads();
    omp_set_num_threads(problem.cell_count() < cpu::CpuExec::kSerialBelow ? 1 : std::min(threads_, before));
    struct Restore {
      int n;
      ~Restore() { omp_set_num_threads(n); }
    } restore{before};
    return run_transport<cpu::CpuExec>(problem, sink, control);
  }
  BenchFigures bench(int nx, int ny, int nz, int repetitions) override {
    return bench_exec<cpu::CpuExec>(name(), nx, ny, nz, repetitions);
  }

 private:
  int threads_;
  std::string why_;
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend() { return std::make_unique<CpuBackend>(); }

}  // namespace poreflux
