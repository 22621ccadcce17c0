// The multigrid's test block, shared by tests/test_multigrid.cpp and the multigrid benchmarks in
// bench/ (multigrid_cycle.cpp, multigrid_vs_boomeramg.cpp: compiled with -Itests).
#pragma once

#include <cstdlib>

#include "poreflux/problem.hpp"

namespace poreflux::testing {

// A 3D block with mirror walls (the multigrid's case): a thin stratum corneum of K = 5 over
// viable epidermis, and an aqueous channel 10^4x more diffusive through both, on a graded grid
// of odd lateral sizes (so aggregates of one column occur at the edges).
inline DiscreteProblem channel_block(int nx, int ny, int nz) {
  DiscreteProblem p;
  for (int i = 0; i < nx; ++i) p.dx.push_back((i == nx / 2 ? 1.0 : 2.0 + 0.5 * std::abs(i - nx / 2)) * 1e-4);
  for (int j = 0; j < ny; ++j) p.dy.push_back((j == ny / 2 ? 1.0 : 2.5 + 0.3 * std::abs(j - ny / 2)) * 1e-4);
  for (int k = 0; k < nz; ++k) p.dz.push_back(k < 3 ? 0.5e-4 : (1.0 + 0.6 * (k - 3)) * 1e-4);
  p.materials = {{"sc", 1e-10, 5.0, 0, 0, -1}, {"ve", 1e-6, 0.8, 1e-5, 0, -1}, {"channel", 9e-6, 1.0, 0, 0, 0}};
  p.material.resize(p.cell_count());
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i)
        p.material[p.index(i, j, k)] =
            (std::abs(i - nx / 2) <= 1 && std::abs(j - ny / 2) <= 1 && k < nz / 2) ? 2 : (k < 3 ? 0 : 1);
  p.layer_of_z.assign(nz, 1);
  for (int k = 0; k < 3; ++k) p.layer_of_z[k] = 0;
  p.layer_names = {"stratum_corneum", "viable_epidermis"};
  p.vehicle_concentration = 1000.0;
  p.film_thickness_cm = 5e-4;
  p.applied_ug = p.vehicle_concentration * p.film_thickness_cm * p.top_area_cm2();
  p.duration_s = 600.0;
  p.output_times_s = {300.0, 600.0};
  p.rtol = 1e-8;
  p.atol = 1e-12 * p.vehicle_concentration;
  return p;
}

}  // namespace poreflux::testing
