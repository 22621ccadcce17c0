// Mass balance to round-off on heterogeneous 3D problems, on every built backend, and the
// backends against the reference oracle on the same 3D case.
//
// The state keeps every compartment (film, degraded, receptor, systemic, removed), so the total
// amount is an invariant of the exact semi-discrete system: each RKC stage is an affine
// combination of states and rates whose amounts cancel. What remains is round-off.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <numeric>
#include <random>

#include "backend_fixture.hpp"

namespace poreflux::testing {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kMassTolerance = 1e-10;

// A smoothly varying but clearly non-uniform set of widths [cm] around `base`.
std::vector<double> wavy_widths(int n, double base, double amplitude, double phase) {
  std::vector<double> w(n);
  for (int i = 0; i < n; ++i) w[i] = base * (1.0 + amplitude * std::sin(1.7 * i + phase));
  return w;
}

// z widths: `top` [cm] at the surface growing geometrically 25-fold with depth (SC-like to
// dermis-like cells).
std::vector<double> graded_depths(int n, double top) {
  std::vector<double> w(n);
  for (int k = 0; k < n; ++k) w[k] = top * std::pow(25.0, static_cast<double>(k) / (n - 1));
  return w;
}

struct Variant {
  Geometry geometry = Geometry::cartesian;
  bool sink_bottom = true;
  bool initial_cells = false;
  int nx = 7, ny = 6, nz = 14;
  double top_cell_cm = 4e-4;
};

// Four materials with D spanning 4.5 orders of magnitude and K 0.6..5; a channel that closes into
// viable epidermis; degradation in the channel and VE, clearance in the dermis. The material of
// every cell is drawn at random (fixed seed), so every pair of materials meets on every axis;
// the top three planes are SC or channel only, so that the film lasts until the wipe.
DiscreteProblem heterogeneous(const Variant& v) {
  DiscreteProblem p;
  p.geometry = v.geometry;
  p.dx = wavy_widths(v.nx, 8e-4, 0.6, 0.3);
  if (v.geometry == Geometry::axisymmetric) {
    p.dy = {2.0 * kPi};
  } else {
    p.dy = wavy_widths(v.ny, 6e-4, 0.5, 1.1);
    p.periodic_x = true;  // and mirror y
  }
  p.dz = graded_depths(v.nz, v.top_cell_cm);
  p.materials = {
      {"channel", 9e-6, 1.0, 2e-5, 0.0, 2},  // aqueous; closes into viable epidermis
      {"stratum_corneum", 3e-10, 5.0, 0.0, 0.0, -1},
      {"viable_epidermis", 5e-7, 0.7, 3e-5, 0.0, -1},
      {"dermis", 2e-6, 0.6, 0.0, 4e-4, -1},
  };
  std::mt19937 rng(20240611u);
  p.material.resize(p.cell_count());
  for (std::size_t c = 0; c < p.cell_count(); ++c) {
    const bool top = c < static_cast<std::size_t>(3 * p.nx() * p.ny());
    const unsigned r = rng() % 4u;
    p.material[c] = static_cast<std::uint8_t>(top ? (r == 0 ? 0 : 1) : r);
  }
  p.layer_of_z.resize(p.nz());
  for (int k = 0; k < p.nz(); ++k) p.layer_of_z[k] = k < 3 ? 0 : (k < 8 ? 1 : 2);
  p.layer_names = {"stratum_corneum", "viable_epidermis", "dermis"};
  p.sink_bottom = v.sink_bottom;

  p.infinite_dose = false;
  p.vehicle_concentration = 1.5e5;  // 15 % w/v
  p.film_thickness_cm = 20e-4;      // 2 uL/cm2
  p.vehicle_degradation_per_s = 7e-6;
  p.closure_tau_s = 1800.0;

  if (v.initial_cells) {
    // Some cells start loaded (e.g. channels filled with formulation at t = 0).
    p.initial_concentration.assign(p.cell_count(), 0.0);
    for (std::size_t c = 0; c < p.cell_count(); ++c)
      if (p.material[c] == 0 || c % 5 == 0) p.initial_concentration[c] = 1e4 * (1.0 + (c % 7));
  }

  p.duration_s = 2.0 * 3600.0;
  for (int o = 1; o <= 16; ++o) p.output_times_s.push_back(p.duration_s * o / 16);
  p.wipe_time_s = 0.95 * 3600.0;  // mid-run, not on an output time
  p.rtol = 1e-5;                  // the product default; the balance does not depend on it
  p.atol = 1e-9 * p.vehicle_concentration;

  // The applied amount is the initial total: film plus whatever the cells start with.
  p.applied_ug = p.vehicle_concentration * p.film_thickness_cm * p.top_area_cm2();
  if (!p.initial_concentration.empty())
    for (int k = 0; k < p.nz(); ++k)
      for (int j = 0; j < p.ny(); ++j)
        for (int i = 0; i < p.nx(); ++i)
          p.applied_ug += p.initial_concentration[p.index(i, j, k)] * p.cell_volume(i, j, k);
  return p;
}

using MassBalance = BackendTest;

// Runs the problem, checks the balance at every output, and returns the worst relative error.
double check_balance(const DiscreteProblem& p, const std::vector<Snapshot>& snaps) {
  EXPECT_EQ(snaps.size(), p.output_times_s.size() + 1);
  // The initial total must be what the problem says was applied (else the check below is void).
  EXPECT_NEAR(total_amount(p, snaps.front().state), p.applied_ug, 1e-14 * p.applied_ug);
  double worst = 0.0;
  for (const Snapshot& s : snaps) {
    const double rel = std::fabs(total_amount(p, s.state) - p.applied_ug) / p.applied_ug;
    worst = std::max(worst, rel);
    EXPECT_LE(rel, kMassTolerance) << "t = " << s.t << " s";
  }
  return worst;
}

// The run must have moved mass into every compartment the problem feeds, or the balance is trivial.
void expect_compartments_used(const DiscreteProblem& p, const std::vector<Snapshot>& snaps) {
  const std::size_t n = p.cell_count();
  const std::vector<double>& last = snaps.back().state;
  EXPECT_GT(last[n + kRemoved], 1e-4 * p.applied_ug) << "the wipe removed (almost) nothing";
  EXPECT_EQ(last[n + kVehicleConcentration], 0.0) << "the film survived the wipe";
  EXPECT_GT(last[n + kDegraded], 1e-4 * p.applied_ug);
  if (p.sink_bottom) {
    EXPECT_GT(last[n + kReceptor], 1e-6 * p.applied_ug);
  } else {
    EXPECT_EQ(last[n + kReceptor], 0.0);
  }
  EXPECT_GT(last[n + kSystemic], 1e-6 * p.applied_ug);
  double cells = 0.0;
  for (std::size_t c = 0; c < n; ++c) cells += last[c];
  EXPECT_GT(cells, 0.0);
}

TEST_P(MassBalance, Heterogeneous3DSinkBottom) {
  Variant v;
  v.sink_bottom = true;
  const DiscreteProblem p = heterogeneous(v);
  SolverStats stats;
  const auto snaps = solve(p, &stats);
  const double worst = check_balance(p, snaps);
  expect_compartments_used(p, snaps);
  std::cout << "[ mass     ] " << GetParam() << " 3D sink bottom: max |total - applied| / applied = " << worst << " ("
            << stats.steps << " steps, max " << stats.max_stages << " stages)\n";
  RecordProperty("max_relative_mass_error", std::to_string(worst));
}

// Every time method of the registry (time_methods.hpp) closes the balance on the 3D problem
// with its wipe, to 1e-12 of the dose: each forms its new state from evaluated rates.
TEST_P(MassBalance, EveryTimeMethod) {
  Variant v;
  v.sink_bottom = true;
  for (const TimeMethod method : both_methods()) {
    SCOPED_TRACE(method_label(method));
    const DiscreteProblem p = with_method(heterogeneous(v), method);
    SolverStats stats;
    const auto snaps = solve(p, &stats);
    EXPECT_EQ(stats.method_name, time_method_name(method));
    const double worst = check_balance(p, snaps);
    expect_compartments_used(p, snaps);
    EXPECT_LE(worst, 1e-12);
    std::cout << "[ mass     ] " << GetParam() << " " << method_label(method) << ": max relative error = " << worst
              << " (" << stats.steps << " steps)\n";
  }
}

TEST_P(MassBalance, Heterogeneous3DNoFluxBottom) {
  Variant v;
  v.sink_bottom = false;
  const DiscreteProblem p = heterogeneous(v);
  const auto snaps = solve(p);
  const double worst = check_balance(p, snaps);
  expect_compartments_used(p, snaps);
  std::cout << "[ mass     ] " << GetParam() << " 3D no-flux bottom: max relative error = " << worst << '\n';
  RecordProperty("max_relative_mass_error", std::to_string(worst));
}

TEST_P(MassBalance, AxisymmetricGrid) {
  Variant v;
  v.geometry = Geometry::axisymmetric;
  v.nx = 10;
  v.ny = 1;
  const DiscreteProblem p = heterogeneous(v);
  ASSERT_NEAR(p.top_area_cm2(), kPi * std::pow(std::accumulate(p.dx.begin(), p.dx.end(), 0.0), 2), 1e-12);
  const auto snaps = solve(p);
  const double worst = check_balance(p, snaps);
  expect_compartments_used(p, snaps);
  std::cout << "[ mass     ] " << GetParam() << " axisymmetric: max relative error = " << worst << '\n';
  RecordProperty("max_relative_mass_error", std::to_string(worst));
}

TEST_P(MassBalance, InitialConcentrationInCells) {
  Variant v;
  v.initial_cells = true;
  v.sink_bottom = false;
  const DiscreteProblem p = heterogeneous(v);
  const double film = p.vehicle_concentration * p.film_thickness_cm * p.top_area_cm2();
  ASSERT_GT(p.applied_ug, 1.05 * film) << "the cells should hold a sizeable share of the initial amount";
  const auto snaps = solve(p);
  const double worst = check_balance(p, snaps);
  expect_compartments_used(p, snaps);
  std::cout << "[ mass     ] " << GetParam() << " initial cell load: max relative error = " << worst << '\n';
  RecordProperty("max_relative_mass_error", std::to_string(worst));
}

POREFLUX_INSTANTIATE_FOR_BACKENDS(MassBalance);

// --- Backends against the reference oracle -------------------------------------------------
//
// Two correct backends agree to round-off only while they take the same steps with the same
// stage counts. The RKC controller picks m = 1 + floor(sqrt(1 + 1.54 h rho)), a step function of
// h, and h follows an error estimate formed by cancellation (relative sensitivity ~ 1/rtol), so
// under adaptive control a 1e-16 difference in a reduction's summation order can flip a stage
// count and move the result by a fraction of the tolerance. (Measured: a 1e-15 relative change of
// the initial film moves the adaptive rtol 1e-6 result of the small case above by 2e-7.)
// The comparison therefore pins the step sequence as far as it can: output times every
// kPinnedStep seconds, which integrate_times never steps past, and tolerances so loose (rtol 0.05)
// that the error control rarely shortens a step and its round-off sensitivity (~1/rtol) is small.
// Most steps are then h = kPinnedStep, m is fixed by h and rho, and what is left to differ is how
// each backend sums and updates: round-off. Equal step, rejection and RHS counts confirm that
// both backends walked the same step sequence.

constexpr double kPinnedStep = 1.5;  // [s]

// Large enough (> 16384 cells) that the CPU backend takes its threaded paths, reductions included.
DiscreteProblem comparison_case() {
  Variant v;
  v.nx = 30;
  v.ny = 24;
  v.nz = 24;
  v.top_cell_cm = 5e-4;
  DiscreteProblem p = heterogeneous(v);
  p.closure_tau_s = 60.0;
  p.duration_s = 90.0;
  p.output_times_s.clear();
  const int steps = static_cast<int>(std::lround(p.duration_s / kPinnedStep));
  for (int s = 1; s <= steps; ++s) p.output_times_s.push_back(s * kPinnedStep);
  p.wipe_time_s = 45.25;  // between two output times: one shorter step before it
  p.initial_step_s = kPinnedStep;
  p.method =
      TimeMethod::rkc;  // the premise is RKC's pinned stage sequence (the implicit method has its own agreement test)
  p.rtol = 0.05;
  p.atol = 1e-3 * p.vehicle_concentration;
  return p;
}

// Keeps the states at a few times only (the run has hundreds of output times).
class SelectingSink : public SnapshotSink {
 public:
  explicit SelectingSink(std::vector<double> keep) : keep_(std::move(keep)) {}
  void record(double t, const std::vector<double>& state) override {
    if (std::find(keep_.begin(), keep_.end(), t) != keep_.end()) snapshots.push_back({t, state});
  }
  std::vector<Snapshot> snapshots;

 private:
  std::vector<double> keep_;
};

// max over the cells of |a - b| / max |b|, and over the compartments of |a - b| as an amount
// relative to the dose.
struct Difference {
  double cells = 0.0, scalars = 0.0;
};

Difference difference(const DiscreteProblem& p, const std::vector<double>& a, const std::vector<double>& b) {
  Difference d;
  const std::size_t n = p.cell_count();
  double scale = 0.0;
  for (std::size_t c = 0; c < n; ++c) scale = std::max(scale, std::fabs(b[c]));
  for (std::size_t c = 0; c < n; ++c) d.cells = std::max(d.cells, std::fabs(a[c] - b[c]) / scale);
  const double film_volume = p.film_thickness_cm * p.top_area_cm2();
  for (std::size_t s = 0; s < kScalarSlots; ++s) {
    const double weight = s == kVehicleConcentration ? film_volume : 1.0;  // as an amount
    d.scalars = std::max(d.scalars, weight * std::fabs(a[n + s] - b[n + s]) / p.applied_ug);
  }
  return d;
}

using BackendAgreement = BackendTest;

TEST_P(BackendAgreement, SameStateAsReferenceOnPinnedSteps) {
  if (GetParam() == "reference") GTEST_SKIP() << "the reference is the oracle";
  const DiscreteProblem p = comparison_case();
  ASSERT_GT(p.cell_count(), 16384u);
  const std::vector<double> keep{p.output_times_s[p.output_times_s.size() / 4], 45.0, 46.5, p.duration_s};
  SelectingSink sink(keep), ref_sink(keep);
  const SolverStats stats = backend->solve(p, sink, RunControl{});
  const SolverStats ref_stats = make_reference_backend()->solve(p, ref_sink, RunControl{});
  // The premise: the same step sequence on both, pinned, and stiff (many stages per step).
  EXPECT_EQ(stats.rejected_steps, ref_stats.rejected_steps);
  EXPECT_EQ(stats.steps, ref_stats.steps);
  EXPECT_EQ(stats.rhs_evaluations, ref_stats.rhs_evaluations);
  EXPECT_GT(ref_stats.max_stages, 5);
  ASSERT_EQ(sink.snapshots.size(), keep.size());
  ASSERT_EQ(ref_sink.snapshots.size(), keep.size());
  Difference worst;
  // Outputs are interpolated (Hermite): the h F term carries F's rounding, which differs between
  // backends by their summation order, times h rho <= 0.653 m^2 (RKC's stability bound). Per
  // unit of that amplification the agreement must stay at 1e-15.
  const double h_rho = 0.653 * ref_stats.max_stages * ref_stats.max_stages;
  const double tolerance = std::max(1e-12, 1e-15 * h_rho);
  for (std::size_t s = 0; s < keep.size(); ++s) {
    const Difference d = difference(p, sink.snapshots[s].state, ref_sink.snapshots[s].state);
    worst.cells = std::max(worst.cells, d.cells);
    worst.scalars = std::max(worst.scalars, d.scalars);
    EXPECT_LE(d.cells, tolerance) << "t = " << keep[s];
    EXPECT_LE(d.scalars, tolerance) << "t = " << keep[s];
  }
  // Something happened worth comparing: the wipe took a film that was still there.
  EXPECT_GT(ref_sink.snapshots.back().state[p.cell_count() + kRemoved], 1e-3 * p.applied_ug);
  std::cout << "[ agree    ] " << GetParam() << " vs reference, " << p.cell_count() << " cells, " << ref_stats.steps
            << " steps of up to " << ref_stats.max_stages << " stages: cells " << worst.cells << ", compartments "
            << worst.scalars << '\n';
  RecordProperty("max_relative_difference_cells", std::to_string(worst.cells));
  RecordProperty("max_relative_difference_compartments", std::to_string(worst.scalars));
}

POREFLUX_INSTANTIATE_FOR_BACKENDS(BackendAgreement);

}  // namespace
}  // namespace poreflux::testing
