#include <cuda_runtime.h>

#include "cuda_exec.cuh"
#include "poreflux/backend.hpp"
#include "poreflux/solver/bench_exec.hpp"
#include "poreflux/solver/run_transport.hpp"

namespace poreflux {
namespace {

class CudaBackend final : public Backend {
 public:
  std::string name() const override { return "cuda"; }
  std::string description() const override {
    cudaDeviceProp prop{};
    int device = 0;
    cuda_backend::check_cuda(cudaGetDevice(&device), "cudaGetDevice");
    cuda_backend::check_cuda(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    return std::string(prop.name) + ", compute capability " + std::to_string(prop.major) + "." +
           std::to_string(prop.minor) + ", " + std::to_string(prop.totalGlobalMem >> 20) + " MiB";
  }
  SolverStats solve(const DiscreteProblem& problem, SnapshotSink& sink, const RunControl& control) override {
    return run_transport<cuda_backend::CudaExec>(problem, sink, control);
  }
  BenchFigures bench(int nx, int ny, int nz, int repetitions) override {
    return bench_exec<cuda_backend::CudaExec>(name(), nx, ny, nz, repetitions);
  }
};

}  // namespace

std::unique_ptr<Backend> make_cuda_backend() {
  std::string why;
  if (!cuda_device_available(&why)) throw BackendUnavailable("--backend cuda: " + why);
  return std::make_unique<CudaBackend>();
}

}  // namespace poreflux
