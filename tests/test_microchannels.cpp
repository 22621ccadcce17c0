// Microchannel domains against MODEL.md §7.4 and against each other, on every built backend.
// Grids are kept coarse so the suite stays fast; the comparisons use identical resolution on
// both sides, so what they measure is the geometry, not the discretisation.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <optional>
#include <vector>

#include "model/build_problem.hpp"
#include "study/scenario_estimate.hpp"
#include "treated_study.hpp"

namespace poreflux::testing {
namespace {

constexpr double kPi = 3.14159265358979323846;

using Microchannels = BackendTest;

// A coarse variant of the small skin study, for the 3D comparisons.
Study coarse_study(double duration_h) {
  Study s = small_skin_study(duration_h);
  s.layers[0].max_cell_cm = 3e-4;
  s.layers[1].max_cell_cm = 10e-4;
  s.layers[2].max_cell_cm = 50e-4;
  s.treatment->wall_cell_cm = 10e-4;
  s.treatment->lateral_max_cell_cm = 10e-4;  // uniform lateral cells: the same in every domain
  return s;
}

// §7.4: steady flux through open channels in an impermeable layer, into a tissue below.
// Channel radius a, length L (the whole impermeable layer), diffusivity D, density n; the
// vehicle is well mixed (no access resistance above), so per channel the resistance is
// L / (pi a² D K_ch) + 1 / (4 a D_t K_t) (disk spreading), and the slab below adds H / (D_t K_t).
TEST_P(Microchannels, SteadyFluxThroughOpenChannelsMatchesPoreFormula) {
  Study s = small_skin_study(1.0);
  const double L = 20e-4, a = 25e-4, D = 1e-6, Dt = 1e-5, Kt = 1.0, H = 400e-4, n = 100.0;
  s.layers.resize(2);
  s.layers[0].thickness_cm = L;
  s.layers[0].diffusivity_cm2_s = Sourced{1e-16, "test"};  // impermeable
  s.layers[0].max_cell_cm = 2e-4;
  s.layers[1].thickness_cm = H;
  s.layers[1].diffusivity_cm2_s = Sourced{Dt, "test"};
  s.layers[1].partition = Sourced{Kt, "test"};
  s.layers[1].max_cell_cm = 10e-4;
  s.vehicle.mode = DoseMode::infinite;
  s.protocol.duration_s = 3600.0;  // H²/D_t = 160 s, R²/D_t = 320 s: steady well before the end
  s.protocol.output_times_s = {1800.0, 3600.0};
  s.treatment->channel_depth_cm = {L, "test"};
  s.treatment->channel_diameter_cm = {2 * a, "test"};
  s.treatment->density_per_cm2 = {n, "test"};
  s.treatment->channel_diffusivity_cm2_s = {D, "test"};
  s.treatment->wall_cell_cm = 1e-4;
  s.treatment->lateral_max_cell_cm = 40e-4;
  const DiscreteProblem p = model::build_axisymmetric_cell(s);
  const ScenarioResult r = run_problem(*backend, p);
  const double per_channel = L / (kPi * a * a * D * 1.0) + 1.0 / (4.0 * a * Dt * Kt);
  const double resistance = per_channel / n + H / (Dt * Kt);                         // per cm², in s/cm
  const double expected = s.vehicle.concentration_ug_per_cm3 / resistance * 3600.0;  // ug/cm²/h
  const double computed = r.flux_ug_per_cm2_h.back();
  std::cout << "pore formula " << expected << " ug/cm2/h, computed " << computed << " ("
            << 100.0 * (computed / expected - 1.0) << " %)\n";
  EXPECT_NEAR(computed, expected, 0.04 * expected);
  EXPECT_NEAR(r.flux_ug_per_cm2_h[1], computed, 1e-6 * computed);  // steady: the same flux at half time
}

// The premise of validate's 3D estimate (study/scenario_estimate.hpp): the 3D unit cell takes
// the steps of its axisymmetric twin (the same film, events and channel closure; here closing
// channels and a finite film), and its conjugate-gradient iterations per solve follow the
// twin's, so the twin's iterations stand for the 3D cell's work. Under `auto` this coarse cell
// is only mildly stiff: the 3D cell integrates with RKC, and so does the twin given the cell's
// linear solver (nothing to count).
TEST_P(Microchannels, UnitCellTakesItsAxisymmetricTwinsSteps) {
  Study s = coarse_study(0.5);
  s.treatment->closure_tau_s = {900.0, "test"};
  const ScenarioResult rkc = run_problem(*backend, model::build_unit_cell(s, true));
  EXPECT_EQ(rkc.solver.method_name, "rkc");
  EXPECT_FALSE(twin_krylov_iterations(s, *backend).has_value());
  s.numerics.method = "esdirk";  // auto's implicit choice at the default rtol
  const ScenarioResult cell = run_problem(*backend, model::build_unit_cell(s, true));
  DiscreteProblem twin_problem = model::build_axisymmetric_cell(s);
  twin_problem.linear_solver = LinearSolverKind::krylov;
  const ScenarioResult twin = run_problem(*backend, twin_problem);
  std::cout << "ESDIRK: 3D quarter cell " << cell.solver.linear_solves << " solves, " << cell.solver.linear_iterations
            << " CG iterations; axisymmetric twin " << twin.solver.linear_solves << " solves, "
            << twin.solver.linear_iterations << " CG iterations\n";
  ASSERT_GT(cell.solver.linear_solves, 0);
  EXPECT_NEAR(twin.solver.linear_solves, cell.solver.linear_solves, 0.1 * cell.solver.linear_solves);
  const double per_solve_ratio = (static_cast<double>(cell.solver.linear_iterations) / cell.solver.linear_solves) /
                                 (static_cast<double>(twin.solver.linear_iterations) / twin.solver.linear_solves);
  EXPECT_GT(per_solve_ratio, 0.8);  // the configs measured: 1.2-1.6
  EXPECT_LT(per_solve_ratio, 2.0);
  const std::optional<double> counted = twin_krylov_iterations(s, *backend);
  ASSERT_TRUE(counted.has_value());
  EXPECT_EQ(*counted, static_cast<double>(twin.solver.linear_iterations));
}

// The quarter cell and the full cell are the same problem (mirror symmetry is exact).
TEST_P(Microchannels, QuarterCellEqualsFullCell) {
  Study s = coarse_study(0.5);
  s.treatment->density_per_cm2 = {400.0, "test"};
  const ScenarioResult quarter = run_problem(*backend, model::build_unit_cell(s, true));
  const ScenarioResult full = run_problem(*backend, model::build_unit_cell(s, false));
  EXPECT_LT(relative_difference(quarter.summary.uptake_fraction, full.summary.uptake_fraction), 1e-6);
  EXPECT_LT(relative_difference(quarter.summary.cumulative_permeated_ug_per_cm2,
                                full.summary.cumulative_permeated_ug_per_cm2),
            1e-6);
}

// A unit cell stands for an N x N patch of identical channels.
TEST_P(Microchannels, UnitCellMatchesPatchOfIdenticalChannels) {
  Study s = coarse_study(0.5);
  s.treatment->density_per_cm2 = {1600.0, "test"};  // pitch 250 um: a small patch
  const double pitch = 1.0 / std::sqrt(1600.0);
  s.treatment->domain = DomainKind::patch;
  s.treatment->pattern = PatternKind::lattice;
  s.treatment->patch_width_cm = 3 * pitch;
  s.treatment->patch_length_cm = 3 * pitch;
  const ScenarioResult cell = run_problem(*backend, model::build_unit_cell(s, false));
  const ScenarioResult patch = run_problem(*backend, model::build_patch(s));
  std::cout << "uptake: unit cell " << cell.summary.uptake_fraction << ", 3x3 patch " << patch.summary.uptake_fraction
            << "\n";
  EXPECT_LT(relative_difference(cell.summary.uptake_fraction, patch.summary.uptake_fraction), 0.01);
  EXPECT_LT(
      relative_difference(cell.summary.cumulative_permeated_ug_per_cm2, patch.summary.cumulative_permeated_ug_per_cm2),
      0.01);
}

// The axisymmetric equal-area cell approximates a hexagonal lattice (whose cell is nearly round).
TEST_P(Microchannels, AxisymmetricCellMatchesHexagonalUnitCell) {
  Study s = coarse_study(0.5);
  s.treatment->lattice = Lattice::hexagonal;
  s.treatment->density_per_cm2 = {400.0, "test"};
  s.treatment->wall_cell_cm = 5e-4;
  s.treatment->lateral_max_cell_cm = 5e-4;
  const ScenarioResult hex = run_problem(*backend, model::build_unit_cell(s, true));
  const ScenarioResult axi = run_problem(*backend, model::build_axisymmetric_cell(s));
  std::cout << "uptake: hexagonal 3D " << hex.summary.uptake_fraction << ", axisymmetric "
            << axi.summary.uptake_fraction << "; permeated " << hex.summary.cumulative_permeated_ug_per_cm2 << " vs "
            << axi.summary.cumulative_permeated_ug_per_cm2 << "\n";
  EXPECT_LT(relative_difference(hex.summary.uptake_fraction, axi.summary.uptake_fraction), 0.03);
  EXPECT_LT(
      relative_difference(hex.summary.cumulative_permeated_ug_per_cm2, axi.summary.cumulative_permeated_ug_per_cm2),
      0.03);
}

// Closure at once (tau -> 0) with drained channels is intact skin; tau -> infinity is a
// channel that never closes.
TEST_P(Microchannels, ClosureLimits) {
  Study s = small_skin_study(1.0);
  s.treatment->formulation_filled = false;
  // Channel bottom on the VE/dermis interface, so the depth grid equals the intact one.
  s.treatment->channel_depth_cm = {75e-4, "test"};
  s.treatment->closure_tau_s = {0.0, "test"};
  const ScenarioResult intact = run_problem(*backend, model::build_intact_problem(s), "intact");
  const ScenarioResult closed = run_problem(*backend, model::build_axisymmetric_cell(s));
  EXPECT_LT(relative_difference(closed.summary.uptake_fraction, intact.summary.uptake_fraction), 1e-6);
  EXPECT_LT(relative_difference(closed.summary.cumulative_permeated_ug_per_cm2,
                                intact.summary.cumulative_permeated_ug_per_cm2),
            1e-6);

  s.treatment->closure_tau_s = {1e30, "test"};
  DiscreteProblem never = model::build_axisymmetric_cell(s);
  DiscreteProblem open = never;
  for (Material& m : open.materials) m.closes_into = -1;  // permanently open by construction
  const ScenarioResult a = run_problem(*backend, never);
  const ScenarioResult b = run_problem(*backend, open);
  EXPECT_LT(relative_difference(a.summary.uptake_fraction, b.summary.uptake_fraction), 1e-9);
  EXPECT_GT(a.summary.uptake_fraction, 1.5 * intact.summary.uptake_fraction);
}

// Deeper and denser channels deliver more; every treated case beats intact skin.
TEST_P(Microchannels, EnhancementGrowsWithDepthAndDensity) {
  Study s = small_skin_study(1.0);
  const double intact =
      run_problem(*backend, model::build_intact_problem(s), "intact").summary.dermal_delivery_fraction;
  double previous = intact;
  for (double depth_um : {30.0, 60.0, 120.0}) {
    s.treatment->channel_depth_cm = {depth_um * 1e-4, "test"};
    const double d = run_problem(*backend, model::build_axisymmetric_cell(s)).summary.dermal_delivery_fraction;
    EXPECT_GT(d, previous) << "depth " << depth_um << " um";
    previous = d;
  }
  s.treatment->channel_depth_cm = {60e-4, "test"};
  previous = intact;
  for (double density : {25.0, 100.0, 400.0}) {
    s.treatment->density_per_cm2 = {density, "test"};
    const double d = run_problem(*backend, model::build_axisymmetric_cell(s)).summary.dermal_delivery_fraction;
    EXPECT_GT(d, previous) << "density " << density << " /cm2";
    previous = d;
  }
}

// Mass closes on every geometry: square and hexagonal quarter cells, axisymmetric, and a
// roller patch with channels that overlap, with closure, degradation and a wipe.
TEST_P(Microchannels, MassBalanceOnEveryGeometry) {
  Study s = coarse_study(1.0);
  s.vehicle.degradation_per_s = 2e-5;
  s.layers[1].degradation_per_s = 1e-5;
  s.protocol.wipe_time_s = 1800.0;
  s.treatment->closure_tau_s = {1200.0, "test"};
  s.treatment->density_per_cm2 = {400.0, "test"};
  std::vector<DiscreteProblem> problems;
  problems.push_back(model::build_unit_cell(s, true));
  s.treatment->lattice = Lattice::hexagonal;
  problems.push_back(model::build_unit_cell(s, true));
  problems.push_back(model::build_axisymmetric_cell(s));
  s.treatment->domain = DomainKind::patch;
  s.treatment->pattern = PatternKind::roller;
  s.treatment->roller_needles = 192;
  s.treatment->roller_rows = 8;
  s.treatment->drum_diameter_cm = 0.2;  // a small drum keeps the patch small and the channels dense
  s.treatment->drum_width_cm = 0.2;
  s.treatment->passes = 2;
  s.treatment->jitter_cm = 20e-4;
  s.treatment->patch_width_cm = 0.1;
  s.treatment->patch_length_cm = 0.1;
  s.treatment->lateral_max_cell_cm = 10e-4;
  problems.push_back(model::build_patch(s));
  for (const DiscreteProblem& p : problems) {
    const ScenarioResult r = run_problem(*backend, p);
    EXPECT_LT(r.summary.mass_balance_error, 1e-10) << p.nx() << " x " << p.ny() << " x " << p.nz();
    EXPECT_GT(r.amounts_ug_per_cm2[1].back(), 0.0);  // the wipe removed something
  }
}

// [numerics] lateral_growth reaches the treated grid: read from the config, it bounds the ratio
// of neighbouring lateral cells (all but the two end cells, which take what is left of their
// stretch), and a gentler grade costs cells. Out of its range, the config is refused naming it.
TEST(LateralGrowth, ConfigKeySetsTheRatioOfNeighbouringCells) {
  Study s = small_skin_study(1.0);  // wall cells of 5 um growing to 40 um
  auto largest_interior_ratio = [](const std::vector<double>& dx) {
    double largest = 1.0;
    for (std::size_t i = 1; i + 2 < dx.size(); ++i)
      largest = std::max(largest, std::max(dx[i + 1] / dx[i], dx[i] / dx[i + 1]));
    return largest;
  };
  EXPECT_EQ(s.numerics.lateral_growth, 1.25);
  const DiscreteProblem usual = model::build_axisymmetric_cell(s);
  EXPECT_GT(largest_interior_ratio(usual.dx), 1.1 * (1.0 + 1e-9));

  const Study gentle =
      parse_study(set_config_key(s.resolved_toml, "t.toml", "numerics.lateral_growth", "1.1"), "t.toml");
  EXPECT_EQ(gentle.numerics.lateral_growth, 1.1);
  s.numerics = gentle.numerics;
  const DiscreteProblem fine = model::build_axisymmetric_cell(s);
  EXPECT_LE(largest_interior_ratio(fine.dx), 1.1 * (1.0 + 1e-9));
  EXPECT_GT(fine.dx.size(), usual.dx.size());

  try {
    parse_study(set_config_key(s.resolved_toml, "t.toml", "numerics.lateral_growth", "3"), "t.toml");
    ADD_FAILURE() << "a growth ratio of 3 was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key_path(), "numerics.lateral_growth") << e.what();
    EXPECT_NE(std::string(e.what()).find("[1.05, 2]"), std::string::npos) << e.what();
  }
}

POREFLUX_INSTANTIATE_FOR_PRODUCT_BACKENDS(Microchannels);

}  // namespace
}  // namespace poreflux::testing
