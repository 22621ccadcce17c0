// Stratum corneum hydration and dried deposits (MODEL.md §3): the switch from the fully to the
// partially hydrated SC conserves mass to round-off on every backend under both integrators;
// the deposition zone holds the SC at a hand-computed capacity, density cap included; the
// auto hydration follows the film's water; and every new key refuses bad input by file, line
// and key. The qualification suite's files refuse malformed input the same way.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>

#include "backend_fixture.hpp"
#include "config/measurement.hpp"
#include "config_error_expect.hpp"
#include "poreflux/config.hpp"
#include "qualify/score.hpp"
#include "study/load_measurement.hpp"
#include "study/run_study.hpp"
#include "treated_study.hpp"
#include "vehicle/film_history_builder.hpp"

namespace poreflux::testing {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A hydrated membrane over a sink that partially dehydrates at `switch_s` (infinity: never).
DiscreteProblem dehydrating_membrane(double switch_s, TimeMethod method) {
  const double duration = 6.0 * 3600.0;
  DiscreteProblem p = membrane(20e-4, 1e-9, 2.0, 1000.0, 40, false, 10e-4, duration, 12);
  p.materials[0].partial_diffusivity_cm2_s = 2e-10;
  p.materials[0].partial_partition = 0.7;
  p.film = FilmHistory::constant(duration);
  p.film.segments[0].dehydrated_from_s = switch_s;
  p.method = method;
  return p;
}

class HydrationSwitch : public BackendTest {};

TEST_P(HydrationSwitch, ConservesMassAcrossTheSwitchAndChangesTheFlux) {
  for (TimeMethod m : both_methods()) {
    const double at = 0.1 * 3600.0;
    const DiscreteProblem p = dehydrating_membrane(at, m);
    const DiscreteProblem never = dehydrating_membrane(kInf, m);
    const double dose = p.applied_ug;
    const std::vector<Snapshot> a = solve(p), b = solve(never);
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t s = 0; s < a.size(); ++s) {
      EXPECT_NEAR(total_amount(p, a[s].state), dose, 1e-12 * dose) << method_label(m) << " t = " << a[s].t;
      const double qa = a[s].state[p.cell_count() + kReceptor], qb = b[s].state[p.cell_count() + kReceptor];
      if (a[s].t <= at) {
        EXPECT_NEAR(qa, qb, 1e-6 * dose) << "before the switch the runs are the same problem, t = " << a[s].t;
      }
    }
    // After it, the SC holds less (K 2 -> 0.7 at the same C means a higher activity, pushed
    // both ways) and passes less (K D / h: 2e-9 -> 1.4e-10): the permeated amounts part.
    const double qa = a.back().state[p.cell_count() + kReceptor], qb = b.back().state[p.cell_count() + kReceptor];
    EXPECT_GT(std::fabs(qa - qb), 0.05 * qb) << method_label(m);
  }
}
POREFLUX_INSTANTIATE_FOR_BACKENDS(HydrationSwitch);

// ---- Through the study: auto hydration, the deposit models, the density cap -----------------

// A 10 um stratum corneum under a large dose that dries to a deposit; in vivo (no flux out, no
// clearance: it fills to equilibrium) or over a receptor sink.
std::string deposit_study(const std::string& compound, const std::string& vehicle_extra, const std::string& skin_extra,
                          const std::string& duration, const std::string& solvent = "acetone",
                          const std::string& bottom = "in_vivo") {
  return "[compound]\n" + compound +
         "\n[vehicle]\n"
         "dose_per_area = \"5000 ug/cm2\"\n"
         "volume_per_area = \"10 uL/cm2\"\n"
         "composition = { " +
         solvent + " = 1.0 }\n" + vehicle_extra + "[skin]\n" + skin_extra +
         "[[layer]]\nname = \"stratum_corneum\"\nthickness = \"10 um\"\nmax_cell = \"0.5 um\"\n"
         "[boundary]\nbottom = \"" +
         bottom +
         "\"\n"
         "[protocol]\nduration = \"" +
         duration + "\"\noutput_interval = \"" + duration + "\"\n[numerics]\nrtol = 1e-7\n";
}

// log Kow 1 and 1 g/mL in water: K_sc/w S_w is 8 g/mL in the partially hydrated SC, far above
// the density of a solid, so the deposition zone is capped at the density (1.2 g/cm3). (Applied
// in water: the acetone's cosolvency would put its solubility beyond any liquid's.)
const char* kVerySoluble =
    "name = \"soluble test active\"\nmolecular_weight = \"150 g/mol\"\nlog_kow = 1.0\npka = []\n"
    "water_solubility = \"1000 mg/mL\"";
const char* kModeratelySoluble =
    "name = \"test active\"\nmolecular_weight = \"150 g/mol\"\nlog_kow = 1.0\npka = []\n"
    "water_solubility = \"10 mg/mL\"";

double sc_partial_partition(const Study& s) { return s.layers.front().partial_partition->value; }

ScenarioResult run_intact(const Study& study) {
  std::unique_ptr<Backend> backend = make_backend("cpu", nullptr);
  StudyRun run = run_study(study, *backend, {}, nullptr, nullptr);
  return run.result.scenarios.front();
}

const char* kZoneInFullContact = "deposit = \"deposition_zone\"\ndeposit_contact = \"full\"\n";

TEST(DepositionZone, HoldsTheStratumCorneumAtTheHandComputedCapacity) {
  for (const char* compound : {kModeratelySoluble, kVerySoluble}) {
    const std::string solvent = compound == kVerySoluble ? "water" : "acetone";
    Study s = parse_study(deposit_study(compound, kZoneInFullContact, "", "1 h", solvent), "study.toml");
    // Hand computation: C_sat = min(K_sc/w S_w, density) in the partially hydrated SC (the
    // dried film leaves it open); K_sc/w from the Wang-Kasting-Nitsche partial state, S_w in water.
    const double kow = 10.0;
    const double k_partial_per_volume = 0.040 * std::pow(kow, 0.81) + 0.359 + 4.057 * std::pow(kow, 0.27);
    const double s_water = s.compound.water_solubility_ug_per_cm3->value;
    const double c_sat = std::min(k_partial_per_volume * s_water, 1.2e6);
    // The grid keeps the site's (hydrated) thickness; the partially hydrated SC is 13.4 / 43.4 of
    // it, folded into its partition on the grid: the grid's C = K a is C_sat x that ratio.
    const double shrink = 13.4 / 43.4;
    const double k_sc_vehicle = sc_partial_partition(s);
    EXPECT_NEAR(s.vehicle.active.dry_deposit_activity * k_sc_vehicle, c_sat * shrink, 1e-9 * c_sat) << compound;
    // Run to equilibrium (no flux out of the bottom, no clearance): the whole SC at C_sat.
    const double d = s.layers.front().partial_diffusivity_cm2_s->value;
    const double tau_hours = 30.0 * (10e-4 * 10e-4) / d / 3600.0;
    char duration[64];
    std::snprintf(duration, sizeof duration, "%.6g h", tau_hours);
    s = parse_study(deposit_study(compound, kZoneInFullContact, "", duration, solvent), "study.toml");
    const ScenarioResult r = run_intact(s);
    const double capacity = c_sat * 10e-4 * shrink;  // ug/cm2 of a 10 um (hydrated) SC
    EXPECT_NEAR(r.amounts_ug_per_cm2[3].back(), capacity, 1e-4 * capacity) << compound;
    for (double c : r.depth_profile_ug_per_cm3.back())
      EXPECT_LE(c, c_sat * shrink * (1.0 + 1e-9)) << "never above its capacity";
    EXPECT_LT(r.summary.mass_balance_error, 1e-12);
  }
}

TEST(DepositModels, LipidSolubilityAndDissolutionDriveTheirOwnWay) {
  const Study zone = parse_study(deposit_study(kModeratelySoluble, kZoneInFullContact, "", "1 h"), "s.toml");
  const Study lipid =
      parse_study(deposit_study(kModeratelySoluble, "deposit = \"lipid_solubility\"\n", "", "1 h"), "s.toml");
  // Kasting & Saiyasombati: the SC sees K_oct S_w (10 x 10 mg/mL), not K_sc/w S_w.
  EXPECT_NEAR(lipid.vehicle.active.dry_deposit_activity * sc_partial_partition(lipid), 10.0 * 10e3 * 13.4 / 43.4, 1e-6);
  EXPECT_NE(lipid.vehicle.active.dry_deposit_activity, zone.vehicle.active.dry_deposit_activity);
  const Study slow = parse_study(
      deposit_study(
          kModeratelySoluble,
          "deposit = \"dissolution\"\ndeposit_contact = \"full\"\ndeposit_transfer_coefficient = \"1e-5 cm/h\"\n", "",
          "6 h", "acetone", "in_vitro"),
      "s.toml");
  const Study fast = parse_study(
      deposit_study(
          kModeratelySoluble,
          "deposit = \"dissolution\"\ndeposit_contact = \"full\"\ndeposit_transfer_coefficient = \"10 cm/h\"\n", "",
          "6 h", "acetone", "in_vitro"),
      "s.toml");
  const double taken_slow = run_intact(slow).summary.uptake_fraction,
               taken_fast = run_intact(fast).summary.uptake_fraction;
  EXPECT_LT(taken_slow, 0.2 * taken_fast) << "a slowly dissolving deposit is taken up more slowly";
}

// A particulate deposit (the default): its coverage (M / (density d))^(2/3) makes the per cent
// taken up fall with the dose per area while the amount taken up still rises (Wester & Maibach
// 1976), and the implicit stages, which iterate on the coverage, agree with RKC, which
// evaluates it in every rate.
std::string dose_study(const std::string& dose, const std::string& method) {
  return "[compound]\n" + std::string(kModeratelySoluble) + "\n[vehicle]\ndose_per_area = \"" + dose +
         "\"\nvolume_per_area = \"10 uL/cm2\"\ncomposition = { acetone = 1.0 }\n"
         "[[layer]]\nname = \"stratum_corneum\"\nthickness = \"10 um\"\nmax_cell = \"1 um\"\n"
         "[[layer]]\nname = \"viable_epidermis\"\nthickness = \"50 um\"\nmax_cell = \"10 um\"\n"
         "[boundary]\nbottom = \"in_vitro\"\n[protocol]\nduration = \"24 h\"\noutput_interval = \"6 h\"\n"
         "[numerics]\nrtol = 1e-6\nmethod = \"" +
         method + "\"\n";
}

TEST(ParticulateDeposit, PerCentFallsWithDoseWhileTheAmountRises) {
  double last_fraction = 2.0, last_amount = 0.0;
  for (const char* dose : {"4 ug/cm2", "40 ug/cm2", "400 ug/cm2", "4000 ug/cm2"}) {
    const ScenarioResult r = run_intact(parse_study(dose_study(dose, "implicit"), "s.toml"));
    const double fraction = r.summary.uptake_fraction, amount = fraction * r.total_dose_ug_per_cm2;
    EXPECT_LT(fraction, last_fraction) << dose;
    EXPECT_GT(amount, last_amount) << dose;
    EXPECT_LT(r.summary.mass_balance_error, 1e-12) << dose;
    last_fraction = fraction;
    last_amount = amount;
  }
}

TEST(ParticulateDeposit, ImplicitAgreesWithRkc) {
  for (const char* dose : {"4 ug/cm2", "4000 ug/cm2"}) {
    const ScenarioResult a = run_intact(parse_study(dose_study(dose, "implicit"), "s.toml"));
    const ScenarioResult b = run_intact(parse_study(dose_study(dose, "rkc"), "s.toml"));
    EXPECT_NEAR(a.summary.uptake_fraction, b.summary.uptake_fraction, 2e-4 * b.summary.uptake_fraction) << dose;
    EXPECT_NEAR(a.summary.cumulative_permeated_ug_per_cm2, b.summary.cumulative_permeated_ug_per_cm2,
                2e-4 * b.summary.cumulative_permeated_ug_per_cm2)
        << dose;
  }
}

// configs/sweep_vitamin_c_needles.toml's serum on intact skin: it saturates as it dries, then
// stands as a particulate deposit while the SC dehydrates, all within the first hour. At the
// default rtol both implicit methods stay within 1e-4 of a converged run at every output (the
// uptake; measured 2.3e-5 with ESDIRK, 2.8e-5 with TR-BDF2). Before the deposit's slope entered
// the stages' Newton step, breaks were integrated as left limits and ESDIRK located the
// saturation inside a step, ESDIRK's error here was 4.8e-4 (docs/BENCHMARKS.md).
std::string serum_study(const std::string& method, const std::string& rtol) {
  return "[compound]\nname = \"L-ascorbic acid\"\n"
         "[vehicle]\ndose = \"finite\"\nconcentration = \"15 % w/v\"\nvolume_per_area = \"2 uL/cm2\"\n"
         "degradation_half_life = \"27.5 h\"\nph = 3.0\ncomposition = \"aqueous serum\"\n"
         "[skin]\nsite = \"face_cheek\"\n"
         "[[layer]]\nname = \"stratum_corneum\"\nmax_cell = \"1 um\"\n"
         "[[layer]]\nname = \"viable_epidermis\"\nmax_cell = \"4 um\"\ndegradation_half_life = \"96 h\"\n"
         "[[layer]]\nname = \"dermis\"\nmax_cell = \"40 um\"\ndegradation_half_life = \"96 h\"\n"
         "[protocol]\noccluded = false\nduration = \"24 h\"\noutput_interval = \"1 h\"\n"
         "[numerics]\nmethod = \"" +
         method + "\"\nrtol = " + rtol + "\n";
}

std::vector<double> uptake_series(const ScenarioResult& r) {
  const std::vector<std::string>& names = compartment_names();
  std::vector<double> uptake(r.times_s.size(), 0.0);
  for (const char* c : {"stratum_corneum", "viable_epidermis", "dermis", "receptor", "systemic"}) {
    const std::size_t i = static_cast<std::size_t>(std::find(names.begin(), names.end(), c) - names.begin());
    for (std::size_t k = 0; k < uptake.size(); ++k) uptake[k] += r.amounts_ug_per_cm2[i][k];
  }
  return uptake;
}

TEST(ParticulateDeposit, ImplicitMethodsAtTheDefaultRtolMatchAConvergedRun) {
  const std::vector<double> reference = uptake_series(run_intact(parse_study(serum_study("esdirk", "1e-9"), "s.toml")));
  for (const char* method : {"esdirk", "implicit"}) {
    const ScenarioResult r = run_intact(parse_study(serum_study(method, "1e-5"), "s.toml"));
    const std::vector<double> uptake = uptake_series(r);
    ASSERT_EQ(uptake.size(), reference.size());
    double worst = 0.0;
    for (std::size_t k = 1; k < uptake.size(); ++k)
      worst = std::max(worst, std::fabs(uptake[k] - reference[k]) / reference[k]);
    std::cout << "[ error    ] " << method << " at rtol 1e-5: uptake within " << worst
              << " of rtol 1e-9 at every output\n";
    EXPECT_LT(worst, 1e-4) << method;
    EXPECT_LT(r.summary.mass_balance_error, 1e-12) << method;
  }
}

TEST(Hydration, AutoFollowsTheFilmsWater) {
  const std::string compound = "name = \"caffeine\"";
  auto history = [&](const std::string& vehicle, const std::string& skin, const std::string& protocol) {
    const Study s = parse_study(
        "[compound]\n" + compound + "\n[vehicle]\nconcentration = \"1 mg/mL\"\nvolume_per_area = \"5 uL/cm2\"\n" +
            vehicle + "[skin]\nsite = \"forearm\"\n" + skin + "[protocol]\nduration = \"8 h\"\n" + protocol,
        "s.toml");
    return vehicle::build_film_history(vehicle::film_plan(s, s.vehicle.film_thickness_cm));
  };
  // Water evaporates from an aqueous film with glycerol: hydrated while it is mostly water.
  const FilmHistory serum = history("composition = { water = 0.9, glycerol = 0.1 }\n", "", "");
  const double t = serum.segments[0].dehydrated_from_s;
  ASSERT_TRUE(std::isfinite(t));
  EXPECT_GT(t, 0.0);
  EXPECT_LT(t, serum.segments[0].dry_from_s * 1.5);
  // Acetone or ethanol doses leave it partial from the start; occluded or "full" never.
  EXPECT_EQ(history("composition = { acetone = 1.0 }\n", "", "").segments[0].dehydrated_from_s, 0.0);
  EXPECT_EQ(history("composition = { water = 0.05, ethanol = 0.95 }\n", "", "").segments[0].dehydrated_from_s, 0.0);
  EXPECT_EQ(history("composition = { water = 1.0 }\n", "", "occluded = true\n").segments[0].dehydrated_from_s, kInf);
  EXPECT_EQ(history("composition = { acetone = 1.0 }\n", "hydration = \"full\"\n", "").segments[0].dehydrated_from_s,
            kInf);
  EXPECT_EQ(history("", "hydration = \"partial\"\n", "").segments[0].dehydrated_from_s, 0.0);
  // A donor of no composition is an aqueous film that keeps its volume: hydrated throughout.
  EXPECT_EQ(history("", "", "").segments[0].dehydrated_from_s, kInf);
  // A later application wets the skin again.
  const FilmHistory twice = history("composition = { water = 0.9, glycerol = 0.1 }\n", "", "repeat_every = \"4 h\"\n");
  ASSERT_EQ(twice.segments.size(), 2u);
  EXPECT_GT(twice.segments[1].dehydrated_from_s, twice.segments[1].start_s);
}

TEST(Hydration, PartialStateIsDerivedWithItsRelationAndReadsBack) {
  for (const char* relations : {"potts_guy", "kasting"}) {
    const Study s = parse_study(std::string("[compound]\nname = \"caffeine\"\nrelations = \"") + relations +
                                    "\"\n[vehicle]\nconcentration = \"1 mg/mL\"\nvolume_per_area = \"5 uL/cm2\"\n"
                                    "[skin]\nsite = \"forearm\"\n[protocol]\nduration = \"8 h\"\n",
                                "s.toml");
    const LayerSpec& sc = s.layers.front();
    ASSERT_TRUE(sc.partial_partition && sc.partial_diffusivity_cm2_s) << relations;
    // Wang-Kasting-Nitsche: the partially hydrated SC passes caffeine (a hydrophilic) more slowly.
    const double kp_full = sc.partition->value * sc.diffusivity_cm2_s->value;
    const double kp_partial = sc.partial_partition->value * sc.partial_diffusivity_cm2_s->value;
    EXPECT_LT(kp_partial, kp_full) << relations;
    bool recorded = false;
    for (const DerivedParameter& d : s.parameters)
      if (d.name == "stratum_corneum.partial_hydration.diffusivity")
        recorded = !d.inputs.empty() && !d.relation.empty();
    EXPECT_TRUE(recorded) << "the partial state's D is recorded with its relation and inputs";
    // The resolved config reads back to the same partial state.
    const Study again = parse_study(s.resolved_toml, "again.toml");
    EXPECT_NEAR(again.layers.front().partial_diffusivity_cm2_s->value, sc.partial_diffusivity_cm2_s->value,
                1e-12 * sc.partial_diffusivity_cm2_s->value);
    EXPECT_EQ(again.parameter_model.sc_hydration, s.parameter_model.sc_hydration);
    EXPECT_EQ(again.vehicle.deposit, s.vehicle.deposit);
  }
}

TEST(HydrationDepositConfigErrors, NameTheKeyAndWhatIsValid) {
  const std::string c = kModeratelySoluble;
  expect_config_error(deposit_study(c, "", "hydration = \"wet\"\n", "1 h"), "skin.hydration",
                      {"auto", "full", "partial"});
  expect_config_error(deposit_study(c, "", "hydration = 1\n", "1 h"), "skin.hydration", {"auto"});
  expect_config_error(deposit_study(c, "deposit = \"zone\"\n", "", "1 h"), "vehicle.deposit",
                      {"deposition_zone", "lipid_solubility", "dissolution"});
  expect_config_error(deposit_study(c, "deposit_transfer_coefficient = \"1 cm/h\"\n", "", "1 h"),
                      "vehicle.deposit_transfer_coefficient", {"dissolution"});
  expect_config_error(
      deposit_study(c, "deposit = \"dissolution\"\ndeposit_transfer_coefficient = \"1 cm\"\n", "", "1 h"),
      "vehicle.deposit_transfer_coefficient", {"a speed", "cm/h"});
  expect_config_error(
      deposit_study(c, "deposit = \"dissolution\"\ndeposit_transfer_coefficient = \"1e4 cm/h\"\n", "", "1 h"),
      "vehicle.deposit_transfer_coefficient", {"between 1e-6 cm/h and 100 cm/h"});
  expect_config_error(deposit_study(c, "", "hydrate = \"full\"\n", "1 h"), "skin.hydrate", {"hydration"});
  expect_config_error(deposit_study(c, "deposit_contact = \"some\"\n", "", "1 h"), "vehicle.deposit_contact",
                      {"full", "particles"});
  expect_config_error(deposit_study(c, "deposit_particle_size = \"5 mm\"\n", "", "1 h"),
                      "vehicle.deposit_particle_size", {"between 0.01 um and 1 mm"});
  expect_config_error(deposit_study(c, "deposit_particle_size = 10\n", "", "1 h"), "vehicle.deposit_particle_size",
                      {"um"});
  expect_config_error(deposit_study(c, "deposit_contact = \"full\"\ndeposit_particle_size = \"10 um\"\n", "", "1 h"),
                      "vehicle.deposit_particle_size", {"particles"});
}

// ---- The qualification suite's measurement files --------------------------------------------

class MeasurementFile : public ::testing::Test {
 protected:
  std::string path = ::testing::TempDir() + "/poreflux_measurement_test.toml";
  void write(const std::string& text) { std::ofstream(path) << text; }
  static std::string base(const std::string& endpoint, const std::string& source = "") {
    return "schema = \"poreflux-measurement/1\"\ntitle = \"t\"\n[source]\nreference = \"A 2000\"\nread = \"primary\"\n"
           "read_in = \"the paper\"\n" +
           source +
           "[study]\n[study.compound]\nname = \"caffeine\"\n[study.vehicle]\ndose_per_area = \"2 ug/cm2\"\n"
           "volume_per_area = \"5 uL/cm2\"\ncomposition = { acetone = 1.0 }\n[study.skin]\nsite = \"forearm\"\n"
           "[study.protocol]\nduration = \"6 h\"\n" +
           endpoint;
  }
  void expect_error(const std::string& text, const std::string& key, const std::vector<std::string>& fragments) {
    write(text);
    try {
      qualify::read_measurement_file(path);
      ADD_FAILURE() << "no error for key " << key;
    } catch (const ConfigError& e) {
      const std::string what = e.what();
      EXPECT_NE(what.find("key '" + key + "'"), std::string::npos) << what;
      EXPECT_NE(what.find(path + ":"), std::string::npos) << "names the file and line: " << what;
      for (const std::string& f : fragments)
        EXPECT_NE(what.find(f), std::string::npos) << "missing \"" << f << "\" in: " << what;
    }
  }
};

TEST_F(MeasurementFile, ReadsEndpointsAndGroupsRunsBySet) {
  write(base(
      "[[endpoint]]\nlabel = \"a\"\nquantity = \"uptake\"\ntime = \"6 h\"\nmeasured = \"44.8 %\"\nspread = \"7.8 %\"\n"
      "[[endpoint]]\nlabel = \"b\"\nquantity = \"stratum_corneum\"\ntime = \"30 min\"\nmeasured = \"0.037 ug/cm2\"\n"
      "[[endpoint]]\nlabel = \"c\"\nquantity = \"absorbed\"\ntime = \"6 h\"\nmeasured = \"10 %\"\n"
      "set = { \"vehicle.dose_per_area\" = \"20 ug/cm2\" }\n"));
  const qualify::MeasurementCase c = qualify::read_measurement_file(path);
  ASSERT_EQ(c.endpoints.size(), 3u);
  ASSERT_EQ(c.runs.size(), 2u);
  EXPECT_EQ(c.endpoints[0].run, c.endpoints[1].run);
  EXPECT_NE(c.endpoints[2].run, c.endpoints[0].run);
  EXPECT_NEAR(c.runs[c.endpoints[2].run].study.applied_ug_per_cm2(), 20.0, 1e-9);
  const std::vector<double>& times = c.runs[0].study.protocol.output_times_s;
  EXPECT_NE(std::find(times.begin(), times.end(), 1800.0), times.end()) << "the endpoint's time is an output time";
  EXPECT_EQ(c.endpoints[0].unit, qualify::MeasuredUnit::percent_of_dose);
  EXPECT_EQ(*c.endpoints[0].spread, 7.8);
}

TEST_F(MeasurementFile, MalformedFilesAreRefusedByFileLineAndKey) {
  const std::string ok = "[[endpoint]]\nlabel = \"a\"\nquantity = \"uptake\"\ntime = \"6 h\"\nmeasured = \"44.8 %\"\n";
  expect_error("title = \"t\"\n", "schema", {"poreflux-measurement/1"});
  expect_error(base("[[endpoint]]\nlabel = \"a\"\nquantity = \"absorption\"\ntime = \"6 h\"\nmeasured = \"4 %\"\n"),
               "endpoint[1].quantity", {"unknown quantity", "absorbed", "uptake"});
  expect_error(base("[[endpoint]]\nlabel = \"a\"\nquantity = \"uptake\"\ntime = \"6 h\"\nmeasured = \"4 mg\"\n"),
               "endpoint[1].measured", {"cannot read", "ug/cm2"});
  expect_error(base("[[endpoint]]\nlabel = \"a\"\nquantity = \"flux\"\ntime = \"6 h\"\nmeasured = \"4 %\"\n"),
               "endpoint[1].measured", {"ug/cm2/h"});
  expect_error(base("[[endpoint]]\nlabel = \"a\"\nquantity = \"uptake\"\ntime = \"7 h\"\nmeasured = \"4 %\"\n"),
               "endpoint[1].time", {"after the end of the study"});
  expect_error(base(ok + "[[endpoint]]\nlabel = \"a\"\nquantity = \"uptake\"\ntime = \"6 h\"\nmeasured = \"4 %\"\n"),
               "endpoint[2].label", {"used twice"});
  expect_error(
      base(ok +
           "[[endpoint]]\nlabel = \"b\"\nquantity = \"uptake\"\ntime = \"6 h\"\nmeasured = \"4 %\"\nsd = \"1 %\"\n"),
      "endpoint[2].sd", {"unknown key"});
  expect_error(base("[[endpoint]]\nlabel = \"a\"\nquantity = \"uptake\"\ntime = \"6 h\"\nmeasured = \"4 %\"\nspread = "
                    "\"1 ug/cm2\"\n"),
               "endpoint[1].spread", {"unit of `measured`"});
  expect_error(base("[[endpoint]]\nlabel = \"a\"\nquantity = \"uptake\"\ntime = \"6 h\"\nmeasured = \"4 %\"\n"
                    "set = { \"vehicle.dose\" = \"lots\" }\n"),
               "vehicle.dose", {"finite"});
  expect_error(base("[[endpoint]]\nlabel = \"a\"\nquantity = \"uptake\"\ntime = \"6 h\"\nmeasured = \"0 %\"\n"),
               "endpoint[1].measured", {"> 0"});
  expect_error(base("[[endpoint]]\nlabel = \"a\"\nquantity = \"kp\"\ntime = \"6 h\"\nmeasured = \"1e-4 cm/h\"\n"),
               "endpoint[1].quantity", {"infinite dose"});
  expect_error(base(ok, "grade = \"A\"\n"), "source.grade", {"unknown key"});
  std::string no_read = base(ok);
  no_read.replace(no_read.find("read = \"primary\"\n"), 17, "");
  expect_error(no_read, "source.read", {"primary", "secondary"});
}

TEST(QualificationScore, GeometricMeanFoldErrorAndShares) {
  std::vector<qualify::ScoredEndpoint> e(4);
  const double folds[] = {2.0, 0.5, 1.0, 10.0};
  for (int i = 0; i < 4; ++i) {
    e[i].fold = folds[i];
    e[i].lipophilicity = i < 2 ? "hydrophilic" : "lipophilic";
    e[i].dose = "finite";
    e[i].setting = "in vivo";
  }
  const std::vector<qualify::Score> s = qualify::scores_by_class(e);
  ASSERT_GE(s.size(), 3u);
  EXPECT_EQ(s[0].group, "all");
  EXPECT_EQ(s[0].n, 4);
  // |log10 fold| = 0.301, 0.301, 0, 1: mean 0.4005.
  EXPECT_NEAR(s[0].gmfe, std::pow(10.0, (2.0 * std::log10(2.0) + 1.0) / 4.0), 1e-12);
  EXPECT_NEAR(s[0].within_2, 0.75, 1e-12);
  EXPECT_NEAR(s[0].within_3, 0.75, 1e-12);
  EXPECT_NEAR(s[0].bias, std::pow(10.0, 0.25), 1e-12);
  EXPECT_EQ(s[1].group, "hydrophilic");
  EXPECT_NEAR(s[1].gmfe, 2.0, 1e-12);
  EXPECT_EQ(qualify::lipophilicity_class(0.99), "hydrophilic");
  EXPECT_EQ(qualify::lipophilicity_class(3.0), "intermediate");
  EXPECT_EQ(qualify::lipophilicity_class(3.01), "lipophilic");
}

}  // namespace
}  // namespace poreflux::testing
