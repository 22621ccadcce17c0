// The formulation on the skin (MODEL.md §3, docs/VEHICLES.md): evaporation against its analytic
// solution, a non-volatile active kept while the solvent leaves, dissolved + deposit = dose, a
// saturated deposit driving the skin as Crank's infinite dose at the saturation activity, repeated
// dosing as the exact superposition of single doses, washes removing their fraction, and the
// mass balance of all of it, under both integrators. Then the config: presets, compositions,
// schedules and the errors for bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "backend_fixture.hpp"
#include "config_error_expect.hpp"
#include "exact_solutions.hpp"
#include "model/build_problem.hpp"
#include "poreflux/config.hpp"
#include "treated_study.hpp"
#include "vehicle/film_composition.hpp"
#include "vehicle/film_history_builder.hpp"

namespace poreflux::testing {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

VehicleComponent component(const std::string& name) {
  const VehicleComponent* c = find_vehicle_component(name);
  EXPECT_NE(c, nullptr) << name;
  return *c;
}

VehicleComposition pure(const std::string& name, std::optional<double> given_rate_cm_s = std::nullopt) {
  VehicleComposition c;
  c.components = {component(name)};
  c.components[0].given_evaporation_cm_s = given_rate_cm_s;
  c.volume_fractions = {1.0};
  return c;
}

vehicle::FilmPlan plan_for(const VehicleComposition& composition, double thickness_cm, double duration_s) {
  vehicle::FilmPlan plan;
  plan.composition = composition;
  plan.reference_thickness_cm = thickness_cm;
  plan.duration_s = duration_s;
  plan.saturation_activity = kInf;
  plan.solubility_activity = kInf;
  return plan;
}

// ---- Evaporation ----------------------------------------------------------------------------

// A pure volatile film with a given thinning rate E: V(t) = V0 - E t until t = V0 / E, and dry
// (1 % left) at 0.99 V0 / E.
TEST(Evaporation, PureFilmWithGivenRateThinsLinearly) {
  const double h0 = 2e-3, rate = 20e-3 / 3600.0;  // 2 uL/cm2 at 20 uL/cm2/h: gone in 6 min
  const FilmHistory h = vehicle::build_film_history(plan_for(pure("ethanol", rate), h0, 3600.0));
  ASSERT_EQ(h.segments.size(), 1u);
  for (double t : {0.0, 30.0, 100.0, 250.0, 359.0, 361.0, 1000.0}) {
    const double exact = std::max(0.0, 1.0 - rate * t / h0);
    EXPECT_NEAR(h.volume_ratio(0, t), exact, 1e-7) << "t = " << t;
    EXPECT_NEAR(h.capacity(0, t), exact, 1e-7) << "t = " << t;  // one component: capacity follows volume
  }
  EXPECT_NEAR(h.segments[0].dry_from_s, 0.99 * h0 / rate, 1e-4);
}

// A pure water film by the mass-transfer relation evaporates at the constant rate
// E = k M (P_vp - RH P_room) / (R T rho), k = 0.0048 u^(7/9) d^(-1/9) Sc^(-2/3) m/s.
TEST(Evaporation, PureWaterFilmMatchesTheMassTransferRelation) {
  const VehicleComponent w = component("water");
  FilmEnvironment env;
  const double u = env.air_speed_cm_s / 100.0, sc = 0.16 / w.air_diffusivity_cm2_s;
  const double k_cm_s = 100.0 * 0.0048 * std::pow(u, 7.0 / 9.0) * std::pow(0.05, -1.0 / 9.0) * std::pow(sc, -2.0 / 3.0);
  const double flux = k_cm_s * 18.015 * (4757.0 - 0.5 * 2642.0) / (8.314462618 * 305.15) * 1e-6;  // g/cm2/s
  const double rate = flux / w.density_g_per_cm3;
  EXPECT_NEAR(vehicle::evaporation_rates({w}, {1e-3}, env)[0], -rate, 1e-12 * rate);
  // About 20 mg/cm2/h (Gajjar 2013 bench air): a 2 uL/cm2 film dries in minutes.
  EXPECT_GT(flux * 3600.0 * 1e3, 15.0);
  EXPECT_LT(flux * 3600.0 * 1e3, 30.0);
  const double h0 = 2e-3;
  const FilmHistory h = vehicle::build_film_history(plan_for(pure("water"), h0, 3600.0));
  for (double t : {60.0, 200.0, 0.5 * h0 / rate})
    EXPECT_NEAR(h.volume_ratio(0, t), 1.0 - rate * t / h0, 1e-7) << "t = " << t;
  EXPECT_NEAR(h.segments[0].dry_from_s, 0.99 * h0 / rate, 1e-3);
}

TEST(Evaporation, OccludedFilmKeepsItsVolume) {
  vehicle::FilmPlan plan = plan_for(pure("water"), 2e-3, 3600.0);
  plan.environment.occluded = true;
  const FilmHistory h = vehicle::build_film_history(plan);
  EXPECT_EQ(h.volume_ratio(0, 3600.0), 1.0);
  EXPECT_FALSE(std::isfinite(h.segments[0].dry_from_s));
}

// Raoult within a phase: ethanol leaves first from a hydroalcoholic film; glycerol stays.
TEST(Evaporation, MixtureLosesItsVolatilesAndKeepsItsResidue) {
  VehicleComposition c;
  c.components = {component("water"), component("ethanol"), component("glycerol")};
  c.volume_fractions = {0.45, 0.45, 0.10};
  const double h0 = 5e-3;
  const FilmHistory h = vehicle::build_film_history(plan_for(c, h0, 6.0 * 3600.0));
  EXPECT_NEAR(h.volume_ratio(0, 6.0 * 3600.0), 0.10, 0.01);  // the glycerol (and the water it holds)
  EXPECT_LT(h.segments[0].dry_from_s, 3600.0);
  for (std::size_t k = 1; k < h.segments[0].t_s.size(); ++k)
    EXPECT_LE(h.segments[0].volume_ratio[k], h.segments[0].volume_ratio[k - 1] + 1e-12);
}

// The vehicle/water partition: log-linear cosolvency in the aqueous phase, Collander for oil.
TEST(VehiclePartition, FollowsTheCompositionRelations) {
  const double log_kow = 2.0;
  VehicleComposition c;
  c.components = {component("water"), component("ethanol")};
  c.volume_fractions = {0.6, 0.4};
  const VehicleComponent e = component("ethanol");
  EXPECT_NEAR(vehicle::vehicle_water_partition(c, log_kow, 1.0),
              std::pow(10.0, 0.4 * (e.cosolvency_slope * log_kow + e.cosolvency_intercept)), 1e-12);
  VehicleComposition cream;
  cream.components = {component("water"), component("triglyceride_oil")};
  cream.volume_fractions = {0.8, 0.2};
  EXPECT_NEAR(vehicle::vehicle_water_partition(cream, log_kow, 1.0), 0.8 + 0.2 * 100.0, 1e-9);
  EXPECT_NEAR(vehicle::vehicle_water_partition(cream, log_kow, 0.5), 0.8 + 0.2 * 50.0, 1e-9);  // ions stay in water
}

// ---- The film on the skin -------------------------------------------------------------------

// A membrane that takes up almost nothing: what the film holds stays in the film.
DiscreteProblem sealed_membrane(double C0, double film_cm, double duration_s) {
  DiscreteProblem p = membrane(15e-4, 1e-20, 1.0, C0, 10, false, film_cm, duration_s, 12);
  p.atol = 1e-12 * C0;
  return p;
}

class FilmOnSkin : public BackendTest {};

// The solvent leaves, the active stays: dissolved + deposit = dose at every output, the deposit
// appears once the shrinking film reaches the solubility, and the dissolved part then holds
// exactly its solubility in what is left.
TEST_P(FilmOnSkin, ActiveStaysWhileTheSolventLeavesAndPrecipitates) {
  const double C0 = 1000.0, h0 = 2e-3, rate = 20e-3 / 3600.0, S = 4000.0;
  for (TimeMethod m : both_methods()) {
    DiscreteProblem p = with_method(sealed_membrane(C0, h0, 600.0), m);
    VehicleComposition c;
    c.components = {component("ethanol"), component("glycerol")};
    c.components[0].given_evaporation_cm_s = rate;
    c.components[1].cosolvency_slope = c.components[1].cosolvency_intercept = 0.0;  // glycerol holds it like ethanol
    c.components[0].cosolvency_slope = c.components[0].cosolvency_intercept = 0.0;
    c.volume_fractions = {0.9, 0.1};
    vehicle::FilmPlan plan = plan_for(c, h0, p.duration_s);
    plan.saturation_activity = plan.solubility_activity = S;
    p.film = vehicle::build_film_history(plan);
    const ScenarioResult r = run_problem(*backend, p, "intact");
    const double dose = C0 * h0;
    bool saw_deposit = false;
    for (std::size_t t = 0; t < r.times_s.size(); ++t) {
      const double dissolved = r.amounts_ug_per_cm2[0][t], deposit = r.amounts_ug_per_cm2[9][t];
      EXPECT_NEAR(dissolved + deposit, dose, 1e-8 * dose) << method_label(m) << " t = " << r.times_s[t];
      const double volume = r.film_volume_uL_per_cm2[t] * 1e-3;
      if (deposit > 1e-9 * dose) {
        saw_deposit = true;
        EXPECT_NEAR(dissolved / volume, S, 1e-6 * S) << "a deposit sits beside a saturated solution";
      } else {
        EXPECT_LE(dissolved / volume, S * (1.0 + 1e-9));
      }
    }
    EXPECT_TRUE(saw_deposit) << "the film shrinks to 10 % and the active is 2.5x over solubility there";
    EXPECT_LT(r.summary.mass_balance_error, 1e-10) << method_label(m);
    ASSERT_EQ(r.applications.size(), 1u);
    EXPECT_NEAR(*r.applications[0].max_degree_of_saturation, 1.0, 1e-9);
    // Saturation when the film's capacity has shrunk to C0 / S (bisection on the history).
    double lo = 0.0, hi = p.duration_s;
    for (int i = 0; i < 60; ++i) {
      const double mid = 0.5 * (lo + hi);
      (p.film.capacity(0, mid) > C0 / S ? lo : hi) = mid;
    }
    EXPECT_NEAR(*r.applications[0].saturated_after_h * 3600.0, lo, 0.01 * lo) << method_label(m);
  }
}

// A film held far above its solubility (a suspension that keeps its volume) over a membrane
// with a sink is Crank's infinite dose at the saturation activity, while the deposit lasts.
TEST_P(FilmOnSkin, SaturatedDepositDrivesLikeAnInfiniteDoseAtSaturation) {
  const double h = 20e-4, D = 1e-8, K = 2.0, S = 100.0;
  const double tau_end = 1.5, duration = tau_end * h * h / D;
  for (TimeMethod m : both_methods()) {
    DiscreteProblem p = with_method(membrane(h, D, K, 50.0 * S, 200, false, 10e-4, duration, 10), m);
    vehicle::FilmPlan plan;
    plan.reference_thickness_cm = 10e-4;
    plan.duration_s = duration;
    plan.saturation_activity = plan.solubility_activity = S;
    p.film = vehicle::build_film_history(plan);
    CollectingSink sink;
    backend->solve(p, sink, RunControl{});
    for (const Snapshot& snap : sink.snapshots) {
      if (snap.t == 0.0) continue;
      const double q = snap.state[p.cell_count() + kReceptor];
      const double exact = K * S * h * exact::crank_infinite_dose_q(D * snap.t / (h * h));
      EXPECT_NEAR(q, exact, 2e-3 * exact + 1e-9) << method_label(m) << " t = " << snap.t;
    }
    const std::vector<double>& last = sink.snapshots.back().state;
    EXPECT_GT(last[p.cell_count() + kVehicleConcentration] * 10e-4, S * 10e-4) << "the deposit is not used up";
  }
}

// Repeated dosing on a linear problem (a film that keeps its volume, no solubility limit):
// doses A at 0 and B at 6 h give exactly the sum of A alone (B a placebo of the same volume)
// and B alone (A a placebo), at every output and in every compartment.
TEST_P(FilmOnSkin, RepeatedDosingIsTheSuperpositionOfSingleDoses) {
  const double duration = 12.0 * 3600.0, h0 = 20e-4;
  auto problem = [&](double first, double second) {
    DiscreteProblem p = membrane(15e-4, 5e-10, 1.5, first, 30, false, h0, duration, 12);
    p.atol = 1e-6;
    p.rtol = 1e-9;
    p.applied_ug = first * h0;
    vehicle::FilmPlan plan;
    plan.reference_thickness_cm = h0;
    plan.duration_s = duration;
    plan.saturation_activity = plan.solubility_activity = kInf;
    plan.applications = {{6.0 * 3600.0, second, h0}};
    plan.washes = {{9.0 * 3600.0, 0.5}};
    p.film = vehicle::build_film_history(plan);
    return p;
  };
  for (TimeMethod m : both_methods()) {
    const auto both = solve(with_method(problem(1000.0, 400.0), m));
    const auto first = solve(with_method(problem(1000.0, 0.0), m));
    const auto second = solve(with_method(problem(0.0, 400.0), m));
    ASSERT_EQ(both.size(), first.size());
    ASSERT_EQ(both.size(), second.size());
    for (std::size_t t = 0; t < both.size(); ++t)
      for (std::size_t i = 0; i < both[t].state.size(); ++i) {
        const double sum = first[t].state[i] + second[t].state[i];
        EXPECT_NEAR(both[t].state[i], sum, 1e-6 * (1000.0 + std::fabs(sum)))
            << method_label(m) << " t = " << both[t].t << " entry " << i;
      }
  }
}

// A wash removes its fraction of what is on the surface, and nothing else.
TEST_P(FilmOnSkin, WashRemovesTheStatedFraction) {
  const double wash_at = 2.0 * 3600.0, efficiency = 0.7;
  DiscreteProblem p = membrane(15e-4, 5e-10, 1.5, 1000.0, 30, false, 20e-4, 4.0 * 3600.0, 4);
  vehicle::FilmPlan plan;
  plan.reference_thickness_cm = 20e-4;
  plan.duration_s = p.duration_s;
  plan.saturation_activity = plan.solubility_activity = kInf;
  plan.washes = {{wash_at, efficiency}};
  p.film = vehicle::build_film_history(plan);
  const ScenarioResult r = run_problem(*backend, p, "intact");
  ASSERT_EQ(r.times_s[2], wash_at);  // recorded just before the wash
  const double film_before = r.amounts_ug_per_cm2[0][2] + r.amounts_ug_per_cm2[9][2];
  EXPECT_EQ(r.amounts_ug_per_cm2[1][2], 0.0);
  EXPECT_NEAR(r.amounts_ug_per_cm2[1][3], efficiency * film_before, 1e-12 * film_before);
  EXPECT_NEAR(r.amounts_ug_per_cm2[1][4], efficiency * film_before, 1e-12 * film_before);
  EXPECT_NEAR(r.film_volume_uL_per_cm2[3], (1.0 - efficiency) * 2.0, 1e-12);
  EXPECT_LT(r.summary.mass_balance_error, 1e-10);
}

// A volatile active leaves through the air in proportion to its activity: on a sealed skin the
// film decays as exp(-E t / h), E the evaporation coefficient and h the film thickness.
TEST_P(FilmOnSkin, VolatileActiveEvaporatesExponentiallyFromASealedSkin) {
  const double C0 = 1000.0, h = 20e-4, E = 2e-7;  // E/h = 1e-4 /s
  DiscreteProblem p = sealed_membrane(C0, h, 3600.0);
  vehicle::FilmPlan plan;
  plan.reference_thickness_cm = h;
  plan.duration_s = p.duration_s;
  plan.saturation_activity = plan.solubility_activity = 5000.0;
  plan.active_evaporation_cm_per_s = E;
  p.film = vehicle::build_film_history(plan);
  for (TimeMethod m : both_methods()) {
    const ScenarioResult r = run_problem(*backend, with_method(p, m), "intact");
    for (std::size_t t = 1; t < r.times_s.size(); ++t) {
      const double exact = C0 * h * (1.0 - std::exp(-E * r.times_s[t] / h));
      EXPECT_NEAR(r.amounts_ug_per_cm2[8][t], exact, 1e-6 * C0 * h) << method_label(m) << " t = " << r.times_s[t];
    }
    EXPECT_LT(r.summary.mass_balance_error, 1e-10) << method_label(m);
  }
}

POREFLUX_INSTANTIATE_FOR_BACKENDS(FilmOnSkin);

// A dried film stops feeding open channels; the part that has closed is skin under the residue.
TEST(FilmOnChannels, DriedFilmClosesTheOpenPartOfChannelMouths) {
  DiscreteProblem p;
  p.materials = {{"stratum_corneum", 1e-10, 1.0, 0.0, 0.0, -1}, {"channel", 1e-5, 1.0, 0.0, 0.0, 0}};
  p.closure_tau_s = 3600.0;
  const double t = 1800.0, f = std::exp(-0.5);
  EXPECT_EQ(p.coefficients_at(t, true).top_contact[1], 1.0);
  EXPECT_NEAR(p.coefficients_at(t, false).top_contact[1], 1.0 - f, 1e-15);
  EXPECT_EQ(p.coefficients_at(t, false).top_contact[0], 1.0);
}

// A drying aqueous film over microchannels (axisymmetric cell): the film dries, its active is
// left as a deposit, the channels stop being fed; both integrators agree and the balance closes.
TEST(FilmOnChannels, DryingFilmOverChannelsAgreesAcrossMethodsAndCloses) {
  Study s = small_skin_study(2.0);
  VehicleComposition c;
  c.components = {component("water"), component("glycerol")};
  c.volume_fractions = {0.95, 0.05};
  s.vehicle.composition = c;
  s.vehicle.solubility_ug_per_cm3 = Sourced{200e3, "test"};
  s.treatment->closure_tau_s = {1800.0, "test"};
  s.treatment->domain = DomainKind::axisymmetric;
  auto backend = make_backend("cpu", nullptr);
  std::vector<ScenarioResult> results;
  for (TimeMethod m : both_methods()) {
    DiscreteProblem p = model::build_axisymmetric_cell(s);
    ASSERT_LT(p.film.segments[0].dry_from_s, 3600.0) << "10 uL/cm2 of water dries within the hour";
    p.method = m;
    results.push_back(run_problem(*backend, p));
    const ScenarioResult& r = results.back();
    EXPECT_LT(r.summary.mass_balance_error, 1e-10) << method_label(m);
    EXPECT_GT(r.applications[0].max_deposit_ug_per_cm2, 0.0) << method_label(m);
  }
  EXPECT_NEAR(results[0].summary.uptake_fraction, results[1].summary.uptake_fraction,
              1e-3 * results[1].summary.uptake_fraction);
  EXPECT_NEAR(results[0].summary.dermal_delivery_fraction, results[1].summary.dermal_delivery_fraction,
              2e-3 * results[1].summary.dermal_delivery_fraction);
}

// Microneedling again (weekly sessions in practice): the channels reopen at the session and close
// anew; with the serum applied again right after, more gets below the stratum corneum than
// with one session, the balance closes, and both integrators agree.
TEST(FilmOnChannels, RepeatedNeedlingReopensTheChannels) {
  DiscreteProblem p;
  p.closure_tau_s = 1800.0;
  EXPECT_NEAR(p.open_fraction(5400.0, 3600.0), std::exp(-1.0), 1e-15);
  EXPECT_EQ(p.open_fraction(3000.0, 3600.0), 1.0);  // before the session: not yet made
  Study s = small_skin_study(4.0);
  s.treatment->closure_tau_s = {1800.0, "test"};
  s.treatment->domain = DomainKind::axisymmetric;
  s.protocol.applications = {{2.0 * 3600.0, s.vehicle.concentration_ug_per_cm3, s.vehicle.film_thickness_cm}};
  s.protocol.washes = {{2.0 * 3600.0, 1.0}};  // wash, needle, apply
  auto backend = make_backend("cpu", nullptr);
  std::vector<ScenarioResult> again;
  for (TimeMethod m : both_methods()) {
    Study twice = s;
    twice.treatment->repeat_at_s = {2.0 * 3600.0};
    DiscreteProblem p2 = model::build_axisymmetric_cell(twice);
    p2.method = m;
    again.push_back(run_problem(*backend, p2));
    EXPECT_LT(again.back().summary.mass_balance_error, 1e-10) << method_label(m);
  }
  const ScenarioResult once = run_problem(*backend, model::build_axisymmetric_cell(s));
  EXPECT_LT(once.summary.mass_balance_error, 1e-10);
  EXPECT_GT(again[1].summary.dermal_delivery_fraction, 1.2 * once.summary.dermal_delivery_fraction)
      << "once " << once.summary.dermal_delivery_fraction << ", twice " << again[1].summary.dermal_delivery_fraction;
  EXPECT_NEAR(again[0].summary.dermal_delivery_fraction, again[1].summary.dermal_delivery_fraction,
              2e-3 * again[1].summary.dermal_delivery_fraction);
}

// ---- The config -----------------------------------------------------------------------------

std::string study_text(const std::string& vehicle_extra, const std::string& protocol_extra,
                       const std::string& compound = "name = \"caffeine\"") {
  return "[compound]\n" + compound +
         "\n"
         "[vehicle]\n"
         "concentration = \"10 mg/mL\"\n"
         "volume_per_area = \"5 uL/cm2\"\n" +
         vehicle_extra +
         "[skin]\n"
         "site = \"forearm\"\n"
         "[protocol]\n"
         "duration = \"24 h\"\n" +
         protocol_extra;
}

TEST(FormulationConfig, PresetsCompositionsAndSchedules) {
  const Study a = parse_study(study_text("composition = \"hydroalcoholic\"\n", ""), "study.toml");
  ASSERT_TRUE(a.vehicle.composition);
  EXPECT_EQ(a.vehicle.composition->preset, "hydroalcoholic");
  EXPECT_NE(a.vehicle.water_partition.source.find("composition"), std::string::npos);
  const Study b = parse_study(
      study_text("composition = { water = 0.7, ethanol = 0.3 }\nevaporation_rates = { ethanol = \"30 uL/cm2/h\" }\n",
                 "repeat_every = \"12 h\"\napplications = 2\nwash_at = [\"10 h\"]\nwash_efficiency = 0.8\n"),
      "study.toml");
  ASSERT_EQ(b.vehicle.composition->components.size(), 2u);
  for (const VehicleComponent& comp : b.vehicle.composition->components)
    if (comp.name == "ethanol") EXPECT_NEAR(comp.given_evaporation_cm_s.value_or(0.0), 30e-3 / 3600.0, 1e-18);
    else EXPECT_FALSE(comp.given_evaporation_cm_s);
  ASSERT_EQ(b.protocol.applications.size(), 1u);
  EXPECT_EQ(b.protocol.applications[0].time_s, 12.0 * 3600.0);
  ASSERT_EQ(b.protocol.washes.size(), 1u);
  EXPECT_EQ(b.protocol.washes[0].efficiency, 0.8);
  const Study c = parse_study(study_text("",
                                         "occluded = true\nocclusion_sc_factor = 2\n[[protocol.application]]\nat = \"8 "
                                         "h\"\ndose_per_area = \"20 ug/cm2\"\n"),
                              "study.toml");
  EXPECT_TRUE(c.protocol.environment.occluded);
  EXPECT_EQ(c.protocol.applications[0].concentration_ug_per_cm3, 20.0 / 5e-3);
  // The resolved config reads back to the same formulation.
  const Study again = parse_study(b.resolved_toml, "again.toml");
  EXPECT_EQ(again.vehicle.composition->volume_fractions, b.vehicle.composition->volume_fractions);
  EXPECT_EQ(again.protocol.applications.size(), 1u);
  EXPECT_EQ(again.protocol.washes[0].efficiency, 0.8);
  // Needling again: read, checked, written back.
  const std::string treated = study_text("", "") +
                              "[treatment]\ndevice = \"dermaroller\"\nneedle_length = \"0.5 mm\"\n"
                              "repeat_at = [\"8 h\", \"16 h\"]\n";
  const Study d = parse_study(treated, "study.toml");
  EXPECT_EQ(d.treatment->repeat_at_s, (std::vector<double>{8.0 * 3600.0, 16.0 * 3600.0}));
  EXPECT_EQ(parse_study(d.resolved_toml, "again.toml").treatment->repeat_at_s, d.treatment->repeat_at_s);
  expect_config_error(study_text("", "") +
                          "[treatment]\ndevice = \"dermaroller\"\nneedle_length = \"0.5 mm\"\nrepeat_at = [\"30 h\"]\n",
                      "treatment.repeat_at[1]", {"before the end of the study"});
  expect_config_error(
      study_text("", "") +
          "[treatment]\ndevice = \"dermaroller\"\nneedle_length = \"0.5 mm\"\nrepeat_at = [\"8 h\", \"8 h\"]\n",
      "treatment.repeat_at[2]", {"increase strictly"});
  const Study again_c = parse_study(c.resolved_toml, "again.toml");
  EXPECT_TRUE(again_c.protocol.environment.occluded);
  EXPECT_EQ(again_c.protocol.occlusion_sc_diffusivity_factor.value, 2.0);
}

TEST(FormulationConfigErrors, NameTheKeyAndWhatIsValid) {
  expect_config_error(study_text("composition = { water = 0.7, ethanol = 0.2 }\n", ""), "vehicle.composition",
                      {"must sum to 1", "0.9"});
  expect_config_error(study_text("composition = { water = 0.7, vodka = 0.3 }\n", ""), "vehicle.composition.vodka",
                      {"unknown vehicle component", "ethanol"});
  expect_config_error(study_text("composition = \"milk\"\n", ""), "vehicle.composition",
                      {"unknown vehicle preset", "aqueous serum"});
  expect_config_error(study_text("solubility = \"0 mg/mL\"\n", ""), "vehicle.solubility",
                      {"between 1e-12 ug/mL and 2 g/mL"});
  expect_config_error(study_text("solubility = \"-1 mg/mL\"\n", ""), "vehicle.solubility",
                      {"between 1e-12 ug/mL and 2 g/mL"});
  expect_config_error(
      study_text("", "[[protocol.application]]\nat = \"6 h\"\n[[protocol.application]]\nat = \"6 h\"\n"),
      "protocol.application[2].at", {"increase strictly", "overlap"});
  expect_config_error(study_text("", "repeat_every = \"12 h\"\napplications = 3\n"), "protocol.applications",
                      {"after the end of the study"});
  expect_config_error(study_text("", "wash_at = [\"30 h\"]\n"), "protocol.wash_at[1]", {"before the end"});
  expect_config_error(study_text("", "wash_efficiency = 0.5\n"), "protocol.wash_efficiency", {"needs wash_at"});
  expect_config_error(study_text("", "occlusion_sc_factor = 2\n"), "protocol.occlusion_sc_factor", {"occluded = true"});
  expect_config_error(study_text("", "occluded = \"yes\"\n"), "protocol.occluded", {"expected true or false"});
  expect_config_error(
      study_text("composition = \"aqueous serum\"\nevaporation_rates = { acetone = \"1 uL/cm2/h\" }\n", ""),
      "vehicle.evaporation_rates.acetone", {"not in the composition"});
  expect_config_error(study_text("composition = { water = 1.0 }\nevaporation_rates = { water = \"1 uL/cm2\" }\n", ""),
                      "vehicle.evaporation_rates.water", {"evaporation rate"});
  expect_config_error(study_text("composition = \"aqueous serum\"\nwater_partition = 2\n", ""),
                      "vehicle.water_partition", {"follows from it"});
  expect_config_error(study_text("supersaturation_limit = 0.5\n", ""), "vehicle.supersaturation_limit", {"[1, 20]"});
  expect_config_error(study_text("", "air_speed = \"50 m/s\"\n"), "protocol.air_speed", {"a speed", "m/s"});
  expect_config_error(study_text("", "air_speed = 0.2\n"), "protocol.air_speed", {"has no unit"});
  expect_config_error(study_text("", "relative_humidity = 1.5\n"), "protocol.relative_humidity", {"[0, 1]"});
  expect_config_error(study_text("", "repeat_every = \"12 h\"\napplications = 1.5\n"), "protocol.applications",
                      {"whole number"});
  expect_config_error(study_text("", "[[protocol.application]]\nat = \"30 h\"\n"), "protocol.application[1].at",
                      {"before the end"});
  expect_config_error(study_text("", "[[protocol.application]]\nat = \"6 h\"\nvolume_per_area = \"5 mL/cm2\"\n"),
                      "protocol.application[1].volume_per_area", {"2 mL/cm2"});
  expect_config_error(study_text("", "", "name = \"caffeine\"\nvapour_pressure = \"-1 Pa\""),
                      "compound.vapour_pressure", {"a pressure"});
  expect_config_error(study_text("", "", "name = \"caffeine\"\nvapour_pressure = \"1 m\""), "compound.vapour_pressure",
                      {"a pressure", "Pa"});
  expect_config_error(study_text("dose = \"infinite\"\ncomposition = \"aqueous serum\"\n", ""), "vehicle.composition",
                      {"infinite dose"});
  expect_config_error(study_text("dose = \"infinite\"\n", "repeat_every = \"6 h\"\n"), "protocol.repeat_every",
                      {"infinite dose"});
}

// A vehicle that dries out completely needs the active's solubility: the residue is a deposit.
TEST(FormulationConfigErrors, DryingOutWithoutASolubilityIsRefused) {
  const std::string inline_compound =
      "molecular_weight = \"194.19 g/mol\"\nlog_kow = -0.07\npka = []\n";  // no water_solubility
  expect_config_error(study_text("composition = { water = 1.0 }\n", "", inline_compound), "vehicle.composition",
                      {"dry deposit", "water_solubility"});
  // With a non-volatile residue, or occluded, the same compound runs.
  EXPECT_NO_THROW(
      parse_study(study_text("composition = { water = 0.9, glycerol = 0.1 }\n", "", inline_compound), "s.toml"));
  EXPECT_NO_THROW(
      parse_study(study_text("composition = { water = 1.0 }\n", "occluded = true\n", inline_compound), "s.toml"));
}

}  // namespace
}  // namespace poreflux::testing
