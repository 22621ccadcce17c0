// [sweep] and [population] on the key registry (src/config/keys_study_plan.cpp): their ranges,
// examples and choices come from the declarations, and what they set round-trips — the plan
// table recorded as read reads back to the same plan, and each case's resolved config holds the
// values the plan set.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "config/key_registry.hpp"
#include "poreflux/config.hpp"
#include "poreflux/sweep.hpp"

namespace {

const std::string kBase =
    "title = \"plan keys\"\n[compound]\nname = \"caffeine\"\n"
    "[vehicle]\nconcentration = \"10 mg/mL\"\nvolume_per_area = \"5 uL/cm2\"\n"
    "[[layer]]\nname = \"stratum_corneum\"\nthickness = \"15 um\"\n"
    "[[layer]]\nname = \"viable_epidermis\"\nthickness = \"80 um\"\n"
    "[protocol]\nduration = \"4 h\"\noutput_interval = \"1 h\"\n";

std::string error_of(const std::string& plan_tables) {
  try {
    (void)poreflux::parse_study_plan(kBase + plan_tables, "plan.toml");
  } catch (const poreflux::ConfigError& e) {
    return e.what();
  }
  return "";
}

const poreflux::KeyDecl& declared(const char* section, const char* name) {
  return poreflux::config::declared_key(section, name);
}

TEST(StudyPlanKeys, TheirTablesAreDocumentedSections) {
  const std::vector<std::string>& sections = poreflux::config::documented_sections();
  for (const char* section : {"sweep", "sweep.axis", "sweep.case", "population", "population.input"})
    EXPECT_NE(std::find(sections.begin(), sections.end(), section), sections.end()) << section;
  EXPECT_TRUE(declared("sweep.axis", "steps").range.contains(2.0));
  EXPECT_FALSE(declared("sweep.axis", "steps").range.contains(1.0));
  EXPECT_FALSE(declared("population", "subjects").range.contains(2.0));
  EXPECT_FALSE(declared("population.input", "gsd").range.contains(1.0));
}

// A value out of range is refused with the declared range in the message, at file:line:key.
TEST(StudyPlanKeys, RangesComeFromTheDeclarations) {
  const std::string steps =
      error_of("[sweep]\n[[sweep.axis]]\nkey = \"layer[1].thickness\"\nfrom = 10\nto = 20\nsteps = 1\nunit = \"um\"\n");
  EXPECT_NE(steps.find("key 'sweep.axis[1].steps'"), std::string::npos) << steps;
  EXPECT_NE(steps.find(declared("sweep.axis", "steps").range.describe()), std::string::npos) << steps;

  const std::string input = "[[population.input]]\nkey = \"layer[1].thickness\"\nunit = \"um\"\n";
  const std::string subjects = error_of("[population]\nsubjects = 2\n" + input + "mean = 15\nsd = 2\n");
  EXPECT_NE(subjects.find("key 'population.subjects'"), std::string::npos) << subjects;
  EXPECT_NE(subjects.find(declared("population", "subjects").range.describe()), std::string::npos) << subjects;

  const std::string gsd =
      error_of("[population]\nsubjects = 8\n" + input + "distribution = \"lognormal\"\nmedian = 15\ngsd = 0.5\n");
  EXPECT_NE(gsd.find("key 'population.input[1].gsd'"), std::string::npos) << gsd;
  EXPECT_NE(gsd.find(declared("population.input", "gsd").range.describe()), std::string::npos) << gsd;

  const std::string sd = error_of("[population]\nsubjects = 8\n" + input + "mean = 15\nsd = -1\n");
  EXPECT_NE(sd.find(declared("population.input", "sd").range.describe()), std::string::npos) << sd;

  const std::string combine =
      error_of("[sweep]\ncombine = \"cross\"\n[[sweep.axis]]\nkey = \"layer[1].thickness\"\nvalues = [\"10 um\"]\n");
  EXPECT_NE(combine.find("\"grid\", \"zip\""), std::string::npos) << combine;
  EXPECT_EQ(declared("sweep", "combine").choices, (std::vector<std::string>{"grid", "zip"}));

  const std::string report =
      error_of("[sweep]\nreport_at = [\"-1 h\"]\n[[sweep.axis]]\nkey = \"layer[1].thickness\"\nvalues = [\"10 um\"]\n");
  EXPECT_NE(report.find(declared("sweep", "report_at").range.describe()), std::string::npos) << report;
}

// The plan table is recorded as read (plan_toml): read back on the same base it gives the same
// plan; and each case's resolved config holds the value the plan set for it.
TEST(StudyPlanKeys, SweepRoundTripsThroughTheRecordAndTheResolvedConfig) {
  const poreflux::StudyPlan plan = poreflux::parse_study_plan(
      kBase +
          "[sweep]\ncombine = \"zip\"\nreport_at = [\"2 h\"]\n"
          "[[sweep.axis]]\nkey = \"layer[1].thickness\"\nfrom = 10\nto = 20\nsteps = 3\nunit = \"um\"\n"
          "[[sweep.axis]]\nkey = \"vehicle.concentration\"\nvalues = [\"5 mg/mL\", \"10 mg/mL\", \"20 mg/mL\"]\n",
      "plan.toml");
  ASSERT_EQ(plan.cases.size(), 3u);  // zip: the i-th values together
  EXPECT_EQ(plan.report_times_s, std::vector<double>{7200.0});
  const poreflux::StudyPlan again = poreflux::parse_study_plan(kBase + plan.plan_toml, "plan.toml");
  EXPECT_EQ(again.plan_hash, plan.plan_hash);
  EXPECT_EQ(again.report_times_s, plan.report_times_s);
  ASSERT_EQ(again.cases.size(), plan.cases.size());
  for (std::size_t i = 0; i < plan.cases.size(); ++i) {
    EXPECT_EQ(again.cases[i].label, plan.cases[i].label);
    const poreflux::Study resolved = poreflux::parse_study(plan.cases[i].study.resolved_toml, "resolved.toml");
    EXPECT_EQ(resolved.layers.front().thickness_cm, plan.cases[i].study.layers.front().thickness_cm);
    EXPECT_EQ(resolved.vehicle.concentration_ug_per_cm3, plan.cases[i].study.vehicle.concentration_ug_per_cm3);
  }
  EXPECT_DOUBLE_EQ(plan.cases[2].study.layers.front().thickness_cm, 20e-4);
  EXPECT_DOUBLE_EQ(plan.cases[0].study.vehicle.concentration_ug_per_cm3, 5e3);
}

TEST(StudyPlanKeys, PopulationRoundTripsThroughTheRecord) {
  const poreflux::StudyPlan plan = poreflux::parse_study_plan(
      kBase +
          "[population]\nsubjects = 5\nseed = 7\nsampling = \"random\"\nsensitivity_at = [\"3 h\"]\n"
          "[[population.input]]\nkey = \"layer[1].thickness\"\nunit = \"um\"\ndistribution = \"lognormal\"\n"
          "median = 15\ngsd = 1.2\nlower = 8\nupper = 30\nsource = \"test\"\n",
      "population.toml");
  EXPECT_EQ(plan.seed, 7u);
  EXPECT_EQ(plan.sampling, "random");
  EXPECT_EQ(plan.sensitivity_times_s, std::vector<double>{3 * 3600.0});
  ASSERT_EQ(plan.distributions.size(), 1u);
  EXPECT_EQ(plan.distributions[0].kind, poreflux::Distribution::Kind::lognormal);
  EXPECT_EQ(plan.distributions[0].lower, 8.0);
  const poreflux::StudyPlan again = poreflux::parse_study_plan(kBase + plan.plan_toml, "population.toml");
  EXPECT_EQ(again.plan_hash, plan.plan_hash);
  EXPECT_EQ(again.seed, plan.seed);
  EXPECT_EQ(again.sampling, plan.sampling);
  ASSERT_EQ(again.cases.size(), 5u);
  for (std::size_t i = 0; i < again.cases.size(); ++i) {
    EXPECT_EQ(again.cases[i].values.front().text, plan.cases[i].values.front().text);
    const poreflux::Study resolved = poreflux::parse_study(plan.cases[i].study.resolved_toml, "resolved.toml");
    EXPECT_EQ(resolved.layers.front().thickness_cm, plan.cases[i].study.layers.front().thickness_cm);
  }
  // The seed's default is its declaration's.
  const poreflux::StudyPlan unseeded = poreflux::parse_study_plan(
      kBase +
          "[population]\nsubjects = 3\n[[population.input]]\nkey = \"layer[1].thickness\"\nunit = \"um\"\n"
          "mean = 15\nsd = 1\n",
      "population.toml");
  EXPECT_EQ(std::to_string(unseeded.seed), declared("population", "seed").default_text);
}

// The plan tables are in the schema (their keys are declared) but a single study refuses them: a
// study's misplaced key is pointed to its study table only, as before they were declared.
TEST(StudyPlanKeys, AStudysMisplacedKeyIsNotPointedToAPlanTable) {
  try {
    (void)poreflux::parse_study(kBase + "[numerics]\nseed = 3\n", "study.toml");
    FAIL() << "seed in [numerics] was accepted";
  } catch (const poreflux::ConfigError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'seed' is a key of [treatment]"), std::string::npos) << message;
    EXPECT_EQ(message.find("[population]"), std::string::npos) << message;
  }
}

}  // namespace
