#include <stdexcept>

#include "poreflux/backend.hpp"

namespace poreflux {

std::vector<std::string> built_backends() {
  std::vector<std::string> names{"reference", "cpu"};
  if (cuda_backend_built()) names.push_back("cuda");
  return names;
}

std::unique_ptr<Backend> make_backend(const std::string& which, std::string* notice, std::string* detail) {
  if (which == "cpu") return make_cpu_backend();
  if (which == "reference") return make_reference_backend();
  if (which == "cuda") {
    std::string why;
    if (!cuda_device_available(&why)) throw BackendUnavailable("--backend cuda: " + why);
    return make_cuda_backend();
  }
  if (which == "auto") {
    std::string why;
    if (cuda_device_available(&why)) {
      if (notice) *notice = "running on the GPU (CUDA)";
      return make_cuda_backend();
    }
    // The usual case on a laptop, not an error: said in one neutral line; the runtime's own
    // reason ("CUDA driver version is insufficient ...") only for those who ask (--verbose).
    if (notice) *notice = "running on the CPU; no GPU found";
    if (detail) *detail = "backend auto: " + why;
    return make_cpu_backend();
  }
  throw std::invalid_argument("unknown backend '" + which + "'; valid: auto, cpu, cuda, reference");
}

}  // namespace poreflux
