// The summary JSON's conventions (src/study/summary_json.cpp, written with nlohmann::ordered_json):
// the schema's key order, null for non-finite numbers and absent optionals, booleans and integers
// with their JSON types, doubles that read back exactly, config strings escaped (invalid UTF-8
// replaced, never thrown over), two-space indent and a trailing newline.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "study/summary_json.hpp"

namespace poreflux::testing {
namespace {

// A study and a run with one intact scenario, filled by hand: no solve.
struct Fixture {
  Study study;
  RunResult run;
  Fixture() {
    study.compound.name = "caffeine";
    study.warnings.push_back({"test_warning", "a \"quoted\" message\nover two lines"});
    study.parameters.push_back({"stratum_corneum.diffusivity", 1.0 / 3.0, "cm2/s", "config", {{"ph", 3.0, "1"}}});
    run.backend = "cpu";
    run.backend_description = "test";
    run.duration_h = 24.0;
    run.applied_ug_per_cm2 = 0.1 + 0.2;  // 0.30000000000000004: needs 17 digits
    ScenarioResult s;
    s.name = "intact";
    s.summary.fraction_of_dose.assign(compartment_names().size(), 0.0);
    s.summary.fraction_of_dose[0] = 2.0 / 3.0;
    s.summary.uptake_fraction = std::numeric_limits<double>::quiet_NaN();
    s.summary.flux_max_ug_per_cm2_h = std::numeric_limits<double>::infinity();
    s.summary.lag_time_h = std::nullopt;
    s.summary.lag_time_note = "no steady state";
    s.solver.steps = 7;
    s.solver.max_stages = 3;
    s.solver.cells = 60;
    FilmApplicationSummary a;
    a.dose_ug_per_cm2 = 300.0;
    a.dry_after_h = 1.25;
    s.applications.push_back(a);
    run.scenarios.push_back(s);
  }
};

TEST(SummaryJson, ConventionsNullIntegersBooleansAndExactDoubles) {
  Fixture f;
  const std::string text = summary_json(f.study, f.run);
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_TRUE(j.is_object()) << text;
  EXPECT_EQ(j["schema"], kSummarySchema);
  EXPECT_EQ(j["backend"], "cpu");
  // Doubles read back as the same double.
  ASSERT_TRUE(j["applied_ug_per_cm2"].is_number_float()) << text;
  EXPECT_EQ(j["applied_ug_per_cm2"].get<double>(), 0.1 + 0.2) << text;
  EXPECT_EQ(j["parameters"][0]["value"].get<double>(), 1.0 / 3.0) << text;
  nlohmann::json& intact = j["scenarios"]["intact"];
  EXPECT_EQ(intact["fraction_of_dose"][compartment_names()[0]].get<double>(), 2.0 / 3.0) << text;
  // Non-finite numbers and absent optionals: null.
  EXPECT_TRUE(intact["uptake_fraction"].is_null()) << text;
  EXPECT_TRUE(intact["flux_max_ug_per_cm2_h"].is_null()) << text;
  EXPECT_TRUE(intact["lag_time_h"].is_null()) << text;
  EXPECT_EQ(intact["lag_time_note"], "no steady state") << text;
  EXPECT_TRUE(intact["applications"][0]["saturated_after_h"].is_null()) << text;
  EXPECT_EQ(intact["applications"][0]["dry_after_h"].get<double>(), 1.25) << text;
  // Integers stay integers, booleans booleans.
  EXPECT_TRUE(j["solver"]["steps"].is_number_integer()) << text;
  EXPECT_EQ(j["solver"]["steps"].get<long long>(), 7) << text;
  EXPECT_EQ(j["solver"]["max_stages"].get<long long>(), 3) << text;
  EXPECT_TRUE(j["vehicle"]["applications"].is_number_integer()) << text;
  EXPECT_TRUE(j["vehicle"]["occluded"].is_boolean()) << text;
  // No enhancement without a treated scenario, no geometry for an intact study.
  EXPECT_FALSE(j.contains("enhancement")) << text;
  EXPECT_FALSE(j.contains("geometry")) << text;
  // Escapes read back as the original string.
  EXPECT_EQ(j["warnings"][0]["message"], "a \"quoted\" message\nover two lines") << text;
}

TEST(SummaryJson, KeyOrderIndentAndTrailingNewline) {
  Fixture f;
  const std::string text = summary_json(f.study, f.run);
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  EXPECT_EQ(text.rfind("{\n  \"schema\": ", 0), 0u) << text;
  const nlohmann::ordered_json j = nlohmann::ordered_json::parse(text);
  std::vector<std::string> keys;
  for (const auto& item : j.items()) keys.push_back(item.key());
  const std::vector<std::string> expected{"schema",     "poreflux_version",
                                          "backend",    "backend_description",
                                          "duration_h", "applied_ug_per_cm2",
                                          "compound",   "parameters",
                                          "warnings",   "vehicle",
                                          "scenarios",  "solver"};
  EXPECT_EQ(keys, expected) << text;
  std::vector<std::string> fractions;
  for (const auto& item : j.at("scenarios").at("intact").at("fraction_of_dose").items())
    fractions.push_back(item.key());
  EXPECT_EQ(fractions, compartment_names()) << text;
}

TEST(SummaryJson, InvalidUtf8InConfigStringsIsReplacedNotThrown) {
  Fixture f;
  f.study.compound.name = std::string(
      "caf\xff\xfe"
      "feine");
  f.study.warnings.push_back({"bad_bytes", std::string("note \xc3(")});
  std::string text;
  ASSERT_NO_THROW(text = summary_json(f.study, f.run));
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  ASSERT_TRUE(j.is_object()) << text;
  const std::string kReplacement = "\xef\xbf\xbd";  // U+FFFD in UTF-8
  const std::string name = j["compound"]["name"].get<std::string>();
  EXPECT_EQ(name.rfind("caf" + kReplacement, 0), 0u) << name;
  EXPECT_EQ(name.substr(name.size() - 5), "feine") << name;
  EXPECT_EQ(j["warnings"][1]["message"].get<std::string>().rfind("note " + kReplacement, 0), 0u) << text;
}

}  // namespace
}  // namespace poreflux::testing
