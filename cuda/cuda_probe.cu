// Whether a CUDA device answers here. Kept apart from the solver so the factory can ask
// cheaply, and so "auto" can fall back to the CPU with the runtime's own reason.
#include <cuda_runtime.h>

#include <string>

#include "poreflux/backend.hpp"

namespace poreflux {

bool cuda_backend_built() { return true; }

bool cuda_device_available(std::string* why_not) {
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    if (why_not) *why_not = std::string("no CUDA device answered (") + cudaGetErrorString(status) + ")";
    cudaGetLastError();  // clear the sticky error so later calls start clean
    return false;
  }
  if (count == 0) {
    if (why_not) *why_not = "no CUDA device is visible";
    return false;
  }
  return true;
}

}  // namespace poreflux
