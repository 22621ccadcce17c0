#include <cstdio>
#include <iostream>

#include "commands.hpp"
#include "poreflux/backend.hpp"
#include "study/json_writer.hpp"

namespace poreflux::cli {

int bench_command(const BenchOptions& options) {
  std::string notice;
  const std::unique_ptr<Backend> backend = make_backend(options.backend, &notice);
  if (!notice.empty()) std::cerr << notice << '\n';
  const BenchFigures f = backend->bench(options.size[0], options.size[1], options.size[2], options.repetitions);
  const double stencil_vs_triad = f.stencil_GBps / f.triad_GBps;
  if (options.json) {
    JsonWriter w;
    w.begin_object();
    w.field("backend", f.backend);
    w.field("backend_description", backend->description());
    w.field("nx", static_cast<long long>(f.nx));
    w.field("ny", static_cast<long long>(f.ny));
    w.field("nz", static_cast<long long>(f.nz));
    w.field("cells", static_cast<long long>(f.nx) * f.ny * f.nz);
    w.field("repetitions", static_cast<long long>(f.repetitions));
    w.field("triad_GBps", f.triad_GBps);
    w.field("stencil_Mcells_per_s", f.stencil_Mcells_per_s);
    w.field("stencil_GBps", f.stencil_GBps);
    w.field("stencil_fraction_of_triad", stencil_vs_triad);
    w.field("rkc_stage_GBps", f.rkc_stage_GBps);
    w.field("rkc_stage_Mcells_per_s", f.rkc_stage_Mcells_per_s);
    w.end_object();
    std::cout << w.str();
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
