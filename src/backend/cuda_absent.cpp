// Linked when this build has no CUDA backend (no CUDA compiler at configure time).
#include "poreflux/backend.hpp"

namespace poreflux {

bool cuda_backend_built() { return false; }

bool cuda_device_available(std::string* why_not) {
  if (why_not)
    *why_not = "this poreflux was built without the CUDA backend (no CUDA compiler was found when it was configured)";
  return false;
}

std::unique_ptr<Backend> make_cuda_backend() {
  std::string why;
  cuda_device_available(&why);
  throw BackendUnavailable("--backend cuda: " + why);
}

}  // namespace poreflux
