// Regression tests for the failure classes the config fuzzer found (test_fuzz_config.cpp, issue
// 8, deliverable 7): one minimal input per class in tests/fuzz_regressions/, each checked for
// the loader's contract: parse_study throws a ConfigError that names the key, or, where either
// fix is fine, returns a Study whose resolved_toml loads back.
//
// Each input runs in a forked child with a time and memory limit (tests/fuzz_support.hpp), so a
// bug that is still there fails its test instead of crashing or hanging the suite.
//
// Known bugs not fixed yet are skipped with "known bug: ... (issue 8)". To check a fix, run them
// anyway with POREFLUX_RUN_KNOWN_BUGS=1, then delete the KNOWN_BUG line of the test (and the
// class's entry in known_bugs() of test_fuzz_config.cpp).
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "poreflux/sweep.hpp"

namespace {

namespace fs = std::filesystem;
using poreflux::fuzz::Outcome;
using poreflux::fuzz::OutcomeKind;

bool run_known_bugs() {
  const char* v = std::getenv("POREFLUX_RUN_KNOWN_BUGS");
  return v && *v && std::string(v) != "0";
}

#define KNOWN_BUG(why) \
  if (!run_known_bugs()) GTEST_SKIP() << "known bug: " << why << " (issue 8)"

std::string describe(const Outcome& o) {
  return std::string(poreflux::fuzz::kind_name(o.kind)) + " " + o.type + ": " + o.message.substr(0, 600) +
         (o.key_path.empty() ? "" : " [key " + o.key_path + "]");
}

class FuzzRegression : public ::testing::Test {
 protected:
  void SetUp() override {
    sandbox_ = poreflux::fuzz::make_sandbox(poreflux::fuzz::binary_dir(),
                                            "fuzz_regression_sandbox_" + std::to_string(::getpid()), fs::path());
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(sandbox_, ignored);
  }

  static std::string input(const std::string& name) {
    const fs::path path = fs::path(POREFLUX_SOURCE_DIR) / "tests" / "fuzz_regressions" / (name + ".toml");
    EXPECT_TRUE(fs::is_regular_file(path)) << path;
    return poreflux::fuzz::read_text(path);
  }

  // The input parsed under <sandbox>/<name>.toml, isolated, with the round-trip check.
  Outcome run(const std::string& name) {
    return poreflux::fuzz::run_isolated(input(name), (sandbox_ / (name + ".toml")).string(), 10.0, std::size_t{2} << 30,
                                        /*check_roundtrip=*/true);
  }

  static void expect_config_error(const Outcome& o, const std::vector<std::string>& keys) {
    ASSERT_EQ(o.kind, OutcomeKind::config_error) << "expected a ConfigError; got " << describe(o);
    EXPECT_NE(std::find(keys.begin(), keys.end(), o.key_path), keys.end())
        << "the ConfigError names key '" << o.key_path << "', expected one of " << ::testing::PrintToString(keys)
        << ": " << o.message;
  }

  // Either fix is right: refuse the input at one of `keys`, or load it so that it loads back.
  static void expect_config_error_or_roundtrip(const Outcome& o, const std::vector<std::string>& keys) {
    if (o.kind == OutcomeKind::study) return;
    expect_config_error(o, keys);
  }

  fs::path sandbox_;
};

TEST_F(FuzzRegression, QuantityOverflowingToInfinityIsRefused) {
  expect_config_error(run("quantity_overflow_to_inf"), {"layer[1].max_cell"});
}

TEST_F(FuzzRegression, SubnormalHalfLifeIsRefused) {
  expect_config_error(run("half_life_gives_infinite_rate"), {"vehicle.degradation_half_life"});
}

TEST_F(FuzzRegression, TinyWaterPartitionIsRefused) {
  expect_config_error(run("water_partition_gives_infinite_partition"),
                      {"vehicle.water_partition", "layer[1].partition", "layer[2].partition", "layer[3].partition"});
}

TEST_F(FuzzRegression, PitchGivingZeroDensityIsRefused) {
  expect_config_error(run("pitch_gives_zero_density"), {"treatment.pitch"});
}

TEST_F(FuzzRegression, RegimenFilmOutsideTheApplicationRange) {
  expect_config_error_or_roundtrip(run("regimen_film_out_of_application_range"),
                                   {"vehicle.volume_per_area", "protocol.repeat_every"});
}

TEST_F(FuzzRegression, VolatileActiveWithVehicleSolubilityLoadsBack) {
  expect_config_error_or_roundtrip(run("volatile_active_vehicle_solubility"), {"compound.vapour_pressure"});
}

TEST_F(FuzzRegression, RegimenWithoutApplicationsIsBounded) {
  expect_config_error(run("regimen_unbounded_applications"), {"protocol.repeat_every", "protocol.applications"});
}

TEST_F(FuzzRegression, CalibrationFromCycleIsRefused) {
  const std::string name = "calibration_from_cycle";
  std::ofstream(sandbox_ / (name + ".toml")) << input(name);  // the file the config names: itself
  const Outcome o = run(name);
  ASSERT_EQ(o.kind, OutcomeKind::config_error) << describe(o);
  EXPECT_TRUE(o.key_path == "calibration.from" || o.message.find(name) != std::string::npos) << describe(o);
}

TEST_F(FuzzRegression, CalibrationFromNonRegularFileIsRefused) {
  ASSERT_EQ(::mkfifo((sandbox_ / "calibration_fifo.toml").c_str(), 0600), 0);
  const Outcome o = run("calibration_from_fifo");
  ASSERT_EQ(o.kind, OutcomeKind::config_error) << describe(o);
  EXPECT_TRUE(o.key_path == "calibration.from" || o.message.find("calibration_fifo.toml") != std::string::npos)
      << describe(o);
}

// The shipped configs are the fuzzer's seeds (tests/fuzz_corpus/): each must load and load back.
std::vector<fs::path> shipped_configs() {
  std::vector<fs::path> files;
  for (const char* dir : {"configs", "configs/validation"})
    for (const fs::directory_entry& e : fs::directory_iterator(fs::path(POREFLUX_SOURCE_DIR) / dir))
      if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

TEST_F(FuzzRegression, ShippedConfigsLoad) {
  for (const fs::path& file : shipped_configs()) {
    if (file.filename() == "patch_gpu_example.toml") continue;  // PatchGpuExampleLoads
    if (poreflux::has_study_table(file.string())) continue;     // ShippedStudyConfigsPlan
    const Outcome o = poreflux::fuzz::run_isolated(poreflux::fuzz::read_text(file), file.string(), 20.0,
                                                   std::size_t{2} << 30, /*check_roundtrip=*/true);
    EXPECT_EQ(o.kind, OutcomeKind::study) << file << ": " << describe(o);
  }
}

// The sweeps and populations: every case of each is read and resolved.
TEST_F(FuzzRegression, ShippedStudyConfigsPlan) {
  int studies = 0;
  for (const fs::path& file : shipped_configs()) {
    if (!poreflux::has_study_table(file.string())) continue;
    ++studies;
    EXPECT_NO_THROW({
      const poreflux::StudyPlan plan = poreflux::load_study_plan(file.string());
      EXPECT_GE(plan.cases.size(), 2u) << file;
    }) << file;
  }
  EXPECT_GE(studies, 3) << "configs/sweep_vitamin_c_needles, sweep_actives and population_vitamin_c_roller";
}

TEST_F(FuzzRegression, PatchGpuExampleLoads) {
  const fs::path file = fs::path(POREFLUX_SOURCE_DIR) / "configs" / "patch_gpu_example.toml";
  const Outcome o = poreflux::fuzz::run_isolated(poreflux::fuzz::read_text(file), file.string(), 20.0,
                                                 std::size_t{2} << 30, /*check_roundtrip=*/true);
  EXPECT_EQ(o.kind, OutcomeKind::study) << describe(o);
}

}  // namespace
