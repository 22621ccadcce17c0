#include <omp.h>
#include <thrust/version.h>

#include "cpu_exec.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/solver/bench_exec.hpp"
#include "poreflux/solver/run_transport.hpp"

namespace poreflux {
namespace {

class CpuBackend final : public Backend {
 public:
  std::string name() const override { return "cpu"; }
  std::string description() const override {
    return "Thrust " + std::to_string(THRUST_MAJOR_VERSION) + "." + std::to_string(THRUST_MINOR_VERSION) + " OpenMP, " +
           std::to_string(omp_get_max_threads()) + " threads";
  }
  SolverStats solve(const DiscreteProblem& problem, SnapshotSink& sink, const RunControl& control) override {
    return run_transport<cpu::CpuExec>(problem, sink, control);
  }
  BenchFigures bench(int nx, int ny, int nz, int repetitions) override {
    return bench_exec<cpu::CpuExec>(name(), nx, ny, nz, repetitions);
  }
};

}  // namespace

std::unique_ptr<Backend> make_cpu_backend() { return std::make_unique<CpuBackend>(); }

}  // namespace poreflux
