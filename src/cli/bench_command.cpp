#include <cmath>
#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "poreflux/backend.hpp"

namespace poreflux::cli {

int bench_command(const BenchOptions& options) {
  std::string notice;
  const std::unique_ptr<Backend> backend = make_backend(options.backend, &notice);
  if (!notice.empty()) std::cerr << notice << '\n';
  const BenchFigures f = backend->bench(options.size[0], options.size[1], options.size[2], options.repetitions);
  const double stencil_vs_triad = f.stencil_GBps / f.triad_GBps;
  if (options.json) {
    using Json = nlohmann::ordered_json;
    auto number = [](double v) { return std::isfinite(v) ? Json(v) : Json(nullptr); };  // non-finite: null
    Json doc = Json::object();
    doc["backend"] = f.backend;
    doc["backend_description"] = backend->description();
    doc["nx"] = static_cast<long long>(f.nx);
    doc["ny"] = static_cast<long long>(f.ny);
    doc["nz"] = static_cast<long long>(f.nz);
    doc["cells"] = static_cast<long long>(f.nx) * f.ny * f.nz;
    doc["repetitions"] = static_cast<long long>(f.repetitions);
    doc["triad_GBps"] = number(f.triad_GBps);
    doc["stencil_Mcells_per_s"] = number(f.stencil_Mcells_per_s);
    doc["stencil_GBps"] = number(f.stencil_GBps);
    doc["stencil_fraction_of_triad"] = number(stencil_vs_triad);
    doc["rkc_stage_GBps"] = number(f.rkc_stage_GBps);
    doc["rkc_stage_Mcells_per_s"] = number(f.rkc_stage_Mcells_per_s);
    std::cout << doc.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
  } else {
    std::printf("backend %s (%s), grid %d x %d x %d, best of %d\n", f.backend.c_str(), backend->description().c_str(),
                f.nx, f.ny, f.nz, f.repetitions);
    std::printf("  triad (a = b + s c)       %8.2f GB/s\n", f.triad_GBps);
    std::printf("  transport operator        %8.1f Mcells/s  %8.2f GB/s (%.0f %% of triad; 17 B/cell minimum)\n",
                f.stencil_Mcells_per_s, f.stencil_GBps, 100.0 * stencil_vs_triad);
    std::printf("  one RKC stage             %8.1f Mcells/s  %8.2f GB/s\n", f.rkc_stage_Mcells_per_s, f.rkc_stage_GBps);
  }
  return 0;
}

}  // namespace poreflux::cli
