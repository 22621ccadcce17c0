// One test body, instantiated for every backend this build contains (the Kokkos way):
// TEST_P(BackendTest, ...) runs on reference, cpu and, when built, cuda. A CUDA instance
// without a device skips, visibly, with the runtime's reason.
#pragma once

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "poreflux/backend.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/problem.hpp"
#include "poreflux/time_methods.hpp"

namespace poreflux::testing {

struct Snapshot {
  double t;
  std::vector<double> state;
};

class CollectingSink : public SnapshotSink {
 public:
  void record(double t, const std::vector<double>& state) override { snapshots.push_back({t, state}); }
  std::vector<Snapshot> snapshots;
};

class BackendTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "cuda") {
      std::string why;
      if (!cuda_device_available(&why)) GTEST_SKIP() << "CUDA backend built but not run: " << why;
    }
    backend = make_backend(GetParam(), nullptr);
  }
  std::vector<Snapshot> solve(const DiscreteProblem& p, SolverStats* stats = nullptr) {
    CollectingSink sink;
    const SolverStats s = backend->solve(p, sink, RunControl{});
    if (stats) *stats = s;
    return sink.snapshots;
  }
  std::unique_ptr<Backend> backend;
};

// Every time integrator of the registry (time_methods.hpp), for tests that must hold under
// each (MODEL.md §8). (The name predates the third method; it means "all of them".)
inline const std::vector<TimeMethod>& both_methods() {
  static const std::vector<TimeMethod> methods = [] {
    std::vector<TimeMethod> all;
    for (const TimeMethodInfo& m : kTimeMethods) all.push_back(m.id);
    return all;
  }();
  return methods;
}
inline std::string method_label(TimeMethod m) { return std::string("method ") + time_method_name(m); }
inline DiscreteProblem with_method(DiscreteProblem p, TimeMethod m) {
  p.method = m;
  return p;
}

inline std::string backend_param_name(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

// The product backends only (cpu, cuda): for tests too heavy for the serial reference.
inline std::vector<std::string> product_backends() {
  std::vector<std::string> names;
  for (const std::string& b : built_backends())
    if (b != "reference") names.push_back(b);
  return names;
}

#define POREFLUX_INSTANTIATE_FOR_PRODUCT_BACKENDS(Suite)                                                         \
  INSTANTIATE_TEST_SUITE_P(ProductBackends, Suite, ::testing::ValuesIn(::poreflux::testing::product_backends()), \
                           ::poreflux::testing::backend_param_name)

#define POREFLUX_INSTANTIATE_FOR_BACKENDS(Suite)                                                  \
  INSTANTIATE_TEST_SUITE_P(AllBackends, Suite, ::testing::ValuesIn(::poreflux::built_backends()), \
                           ::poreflux::testing::backend_param_name)

// Total amount in the system [ug]: cells + film + every scalar compartment - supplied.
inline double total_amount(const DiscreteProblem& p, const std::vector<double>& x) {
  const std::vector<double> xm = p.x_measure();
  double sum = 0.0;
  for (int k = 0; k < p.nz(); ++k)
    for (int j = 0; j < p.ny(); ++j)
      for (int i = 0; i < p.nx(); ++i) sum += x[p.index(i, j, k)] * xm[i] * p.dy[j] * p.dz[k];
  const std::size_t n = p.cell_count();
  sum += x[n + kVehicleConcentration] * p.film_thickness_cm * p.top_area_cm2();
  sum += x[n + kDegraded] + x[n + kReceptor] + x[n + kSystemic] + x[n + kRemoved] + x[n + kEvaporated] -
         x[n + kSupplied] - x[n + kApplied];
  return sum;
}

// A single homogeneous membrane column (1 cm x 1 cm, so amounts are per cm²) over a sink.
inline DiscreteProblem membrane(double h_cm, double D, double K, double C0, int nz, bool infinite, double film_cm,
                                double duration_s, int outputs) {
  DiscreteProblem p;
  p.dx = {1.0};
  p.dy = {1.0};
  p.dz.assign(nz, h_cm / nz);
  p.materials = {{"membrane", D, K, 0.0, 0.0, -1}};
  p.material.assign(nz, 0);
  p.layer_of_z.assign(nz, 0);
  p.layer_names = {"stratum_corneum"};
  p.infinite_dose = infinite;
  p.vehicle_concentration = C0;
  p.film_thickness_cm = film_cm;
  p.applied_ug = C0 * film_cm;
  p.duration_s = duration_s;
  for (int o = 1; o <= outputs; ++o) p.output_times_s.push_back(duration_s * o / outputs);
  p.rtol = 1e-8;
  p.atol = 1e-12 * C0;
  return p;
}

}  // namespace poreflux::testing
