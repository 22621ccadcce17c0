// One multigrid cycle (MultigridPreconditioner::apply, the host's grouped line solves) on the
// channel block of tests/channel_block.hpp at the 3D quarter cell's size (22 x 22 x 61 =
// 29 524 cells; other sizes: NX NZ as arguments): the best of 30 batches of 50 cycles, in
// microseconds and nanoseconds per cell, and a weighted sum of z (a changed sum: a changed
// cycle). Why a program of its own: whole runs of the 3D cell vary by up to 1.6x on this shared
// machine from minute to minute, which hides a kernel change of a few per cent; the best of many
// short batches of two builds run alternately, compared pair by pair, hides less of it
// (docs/BENCHMARKS.md, "The multigrid cycle's kernels"). Not part of the build; after a
// build, from the repository root:
//
//   g++ -std=c++17 -O3 -march=native -DNDEBUG -Iinclude -Isrc -Itests -Ibuild/generated \
//     -isystem /usr/include/eigen3 bench/multigrid_cycle.cpp -o build/multigrid_cycle \
//     build/libporeflux_solver.a build/libporeflux_reference.a build/libporeflux_solver.a \
//     build/libporeflux_model.a build/libporeflux_types.a && build/multigrid_cycle [NX NZ]
//
// (Compile a second copy with -I pointing at an older include/ to compare the two.)
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

#include "backend/serial_exec.hpp"
#include "channel_block.hpp"
#include "poreflux/solver/multigrid_preconditioner.hpp"
#include "poreflux/solver/transport_system.hpp"

namespace poreflux::bench {
namespace {

using Exec = reference::SerialExec;
using State = std::vector<double>;

using testing::channel_block;  // tests/channel_block.hpp

int run(int nx, int nz) {
  const DiscreteProblem p = channel_block(nx, nx, nz);
  TransportSystem<Exec> system(p);
  system.set_time(0.0);
  const std::size_t full = system.state_size(), cells = system.cells();
  std::mt19937 random(23);
  std::uniform_real_distribution<double> uniform(-1.0, 1.0);
  State r(full, 0.0), z(full, 0.0);
  for (std::size_t i = 0; i <= cells; ++i) r[i] = uniform(random);
  MultigridPreconditioner<Exec> mg;
  mg.update_fine(system);
  mg.coarsen();
  mg.factor(30.0);  // dh = 30 s, as tests/test_multigrid.cpp: the channel's lateral coupling dominates its lines
  constexpr int kBatches = 30, kCycles = 50;
  double best = 1e300;
  for (int batch = 0; batch < kBatches; ++batch) {
    const auto start = std::chrono::steady_clock::now();
    for (int c = 0; c < kCycles; ++c) mg.apply(r, z, 0.5, 2.0);
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / kCycles;
    if (s < best) best = s;
  }
  double checksum = 0.0;
  for (std::size_t i = 0; i < cells; ++i) checksum += z[i] * static_cast<double>(1 + i % 7);
  std::printf("%d x %d x %d cells (%zu), %zu levels: one cycle %.1f us, %.2f ns per cell; checksum of z %.17g\n", nx,
              nx, nz, cells, mg.level_count(), best * 1e6, best * 1e9 / static_cast<double>(cells), checksum);
  return 0;
}

}  // namespace
}  // namespace poreflux::bench

int main(int argc, char** argv) {
  const int nx = argc > 1 ? std::atoi(argv[1]) : 22, nz = argc > 2 ? std::atoi(argv[2]) : 61;
  if (nx < 1 || nz < 1 || nx > 2048 || nz > 2048) {
    std::fprintf(stderr, "usage: multigrid_cycle [NX NZ], each 1 to 2048 (default 22 61)\n");
    return 2;
  }
  return poreflux::bench::run(nx, nz);
}
