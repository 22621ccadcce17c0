#include "poreflux/backend.hpp"
#include "poreflux/solver/bench_exec.hpp"
#include "poreflux/solver/run_transport.hpp"
#include "serial_exec.hpp"

namespace poreflux {
namespace {

class ReferenceBackend final : public Backend {
 public:
  std::string name() const override { return "reference"; }
  std::string description() const override { return "serial reference loops (std::vector), the test oracle"; }
  SolverStats solve(const DiscreteProblem& problem, SnapshotSink& sink, const RunControl& control) override {
    return run_transport<reference::SerialExec>(problem, sink, control);
  }
  BenchFigures bench(int nx, int ny, int nz, int repetitions) override {
    return bench_exec<reference::SerialExec>(name(), nx, ny, nz, repetitions);
  }
};

}  // namespace

std::unique_ptr<Backend> make_reference_backend() { return std::make_unique<ReferenceBackend>(); }

}  // namespace poreflux
