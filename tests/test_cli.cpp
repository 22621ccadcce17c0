// The built command line tool, run as a user would: exit codes (0 ok, 1 run-time failure,
// 2 config/usage error, 3 backend unavailable, 130 interrupted), the files it writes (and does
// not write on failure), its messages, and the summary JSON / bench JSON keys.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "poreflux/backend.hpp"
#include "poreflux/version.hpp"

namespace poreflux::testing {
namespace {

namespace fs = std::filesystem;

const char* const kCli = POREFLUX_CLI;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, const std::string& text) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

// The raw value after "key": in a JSON text (a number, or a string with its quotes); empty if the
// key is absent. Minimal on purpose: the first occurrence of the key wins.
std::string json_value(const std::string& json, const std::string& key) {
  const std::string tag = "\"" + key + "\":";
  std::size_t at = json.find(tag);
  if (at == std::string::npos) return {};
  at += tag.size();
  while (at < json.size() && (json[at] == ' ' || json[at] == '\n' || json[at] == '\t')) ++at;
  std::size_t end = at;
  if (end < json.size() && json[end] == '"') end = json.find('"', end + 1) + 1;
  else
    while (end < json.size() && json[end] != ',' && json[end] != '}' && json[end] != '\n') ++end;
  return json.substr(at, end - at);
}

struct Outcome {
  int code = -1;       // exit status; -1 if killed by a signal
  std::string output;  // stdout and stderr together
};

// A fresh temporary directory per test, removed afterwards.
class Cli : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir = fs::temp_directory_path() / ("poreflux_cli_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  void TearDown() override {
    std::error_code ec;
    if (!HasFailure()) fs::remove_all(dir, ec);
  }

  // Runs `poreflux ARGS` in the temporary directory through the shell.
  Outcome run(const std::string& args) const {
    const fs::path log = dir / "cli_output.txt";
    const std::string command = "cd " + quote(dir.string()) + " && " + quote(kCli) + " " + args + " > " +
                                quote(log.string()) + " 2>&1";
    const int status = std::system(command.c_str());
    Outcome o;
    o.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    o.output = read_file(log);
    fs::remove(log);
    return o;
  }

  // Files whose name contains ".tmp-" (the writers' temporaries) left in the directory.
  std::vector<std::string> temporaries() const {
    std::vector<std::string> found;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().filename().string().find(".tmp-") != std::string::npos) found.push_back(e.path().filename().string());
    return found;
  }

  fs::path dir;
};

// Three layers, in vitro, 2 h: well under a second.
const char* const kSmallConfig = R"(title = "cli test: three layers, 2 h"

[compound]
name = "caffeine"
molecular_weight = "194.19 g/mol"
log_kow = -0.07

[vehicle]
concentration = "20 mg/mL"
volume_per_area = "5 uL/cm2"

[[layer]]
name = "stratum_corneum"
thickness = "15 um"
diffusivity = "1e-10 cm2/s"
partition = 1.2

[[layer]]
name = "viable_epidermis"
thickness = "60 um"
diffusivity = "3e-7 cm2/s"
partition = 0.7

[[layer]]
name = "dermis"
thickness = "400 um"
diffusivity = "5e-7 cm2/s"
partition = 0.7

[protocol]
duration = "2 h"
output_interval = "15 min"
)";

// The small config with one unknown key on line 3.
std::string bad_config() {
  std::string text = kSmallConfig;
  const std::size_t first_newline = text.find('\n');
  return text.substr(0, first_newline + 1) + "\ncolour = \"blue\"\n" + text.substr(first_newline + 1);
}

TEST_F(Cli, VersionPrintsTheVersion) {
  const Outcome o = run("--version");
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find(kVersion), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("poreflux"), std::string::npos) << o.output;
}

TEST_F(Cli, RunWritesResultsAndSummary) {
  write_file(dir / "small.toml", kSmallConfig);
  const Outcome o = run("run small.toml -o out.h5 --summary-json s.json --backend cpu");
  ASSERT_EQ(o.code, 0) << o.output;
  EXPECT_TRUE(fs::is_regular_file(dir / "out.h5"));
  ASSERT_TRUE(fs::is_regular_file(dir / "s.json"));
  EXPECT_TRUE(temporaries().empty());
  const std::string json = read_file(dir / "s.json");
  for (const char* key : {"schema", "poreflux_version", "backend", "duration_h", "applied_ug_per_cm2", "scenarios",
                          "intact", "fraction_of_dose", "vehicle", "removed", "degraded", "stratum_corneum",
                          "viable_epidermis", "dermis", "receptor", "systemic", "uptake_fraction",
                          "dermal_delivery_fraction", "cumulative_permeated_ug_per_cm2", "flux_max_ug_per_cm2_h",
                          "t_flux_max_h", "lag_time_h", "mass_balance_error", "solver", "method", "steps",
                          "rhs_evaluations", "max_stages", "cells", "wall_s"})
    EXPECT_NE(json.find("\"" + std::string(key) + "\":"), std::string::npos) << "key " << key << " missing in\n" << json;
  EXPECT_EQ(json_value(json, "backend"), "\"cpu\"") << json;
  EXPECT_EQ(json_value(json, "poreflux_version"), std::string("\"") + kVersion + "\"") << json;
  const std::string duration = json_value(json, "duration_h");
  ASSERT_FALSE(duration.empty()) << json;
  EXPECT_DOUBLE_EQ(std::stod(duration), 2.0) << json;
  const std::string error = json_value(json, "mass_balance_error");
  ASSERT_FALSE(error.empty()) << json;
  EXPECT_LT(std::fabs(std::stod(error)), 1e-8) << json;
}

TEST_F(Cli, UnknownKeyIsAConfigErrorNamingFileAndLine) {
  write_file(dir / "bad.toml", bad_config());
  const Outcome o = run("run bad.toml -o out.h5 --summary-json s.json --backend cpu");
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  EXPECT_FALSE(fs::exists(dir / "s.json"));
  EXPECT_NE(o.output.find("bad.toml:3"), std::string::npos) << o.output;
  EXPECT_NE(o.output.find("colour"), std::string::npos) << o.output;
  EXPECT_TRUE(temporaries().empty());
}

TEST_F(Cli, MissingConfigIsAUsageError) {
  const Outcome o = run("run does_not_exist.toml -o out.h5 --backend cpu");
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  EXPECT_NE(o.output.find("does_not_exist.toml"), std::string::npos) << o.output;
}

TEST_F(Cli, CudaBackendWithoutDeviceIsUnavailable) {
  write_file(dir / "small.toml", kSmallConfig);
  std::string why;
  const bool device = cuda_device_available(&why);
  const Outcome o = run("run small.toml -o out.h5 --summary-json s.json --backend cuda");
  if (device) {
    EXPECT_EQ(o.code, 0) << o.output;
    EXPECT_TRUE(fs::is_regular_file(dir / "out.h5"));
    return;
  }
  EXPECT_EQ(o.code, 3) << o.output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  EXPECT_FALSE(fs::exists(dir / "s.json"));
  // The message gives the reason the library found (no device, or a build without CUDA) and
  // what to do instead.
  EXPECT_NE(o.output.find(why), std::string::npos) << "expected the reason '" << why << "' in:\n" << o.output;
  EXPECT_NE(o.output.find("--backend cpu"), std::string::npos) << o.output;
}

TEST_F(Cli, UnknownBackendIsAUsageError) {
  write_file(dir / "small.toml", kSmallConfig);
  const Outcome o = run("run small.toml -o out.h5 --backend nonsense");
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  EXPECT_NE(o.output.find("nonsense"), std::string::npos) << o.output;
}

TEST_F(Cli, ValidateGoodAndBadConfigs) {
  write_file(dir / "small.toml", kSmallConfig);
  write_file(dir / "bad.toml", bad_config());
  const Outcome good = run("validate small.toml");
  EXPECT_EQ(good.code, 0) << good.output;
  EXPECT_NE(good.output.find("valid"), std::string::npos) << good.output;
  const Outcome bad = run("validate bad.toml");
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("bad.toml:3"), std::string::npos) << bad.output;
  // validate runs nothing and writes nothing.
  EXPECT_FALSE(fs::exists(dir / "small.h5"));
  EXPECT_FALSE(fs::exists(dir / "bad.h5"));
}

TEST_F(Cli, BenchJson) {
  const Outcome o = run("bench --json --size 16 16 16 --repetitions 1 --backend cpu");
  ASSERT_EQ(o.code, 0) << o.output;
  for (const char* key : {"triad_GBps", "stencil_Mcells_per_s", "stencil_GBps", "rkc_stage_GBps", "nx"})
    EXPECT_NE(o.output.find("\"" + std::string(key) + "\":"), std::string::npos) << key << " missing in\n" << o.output;
  EXPECT_EQ(json_value(o.output, "nx"), "16") << o.output;
  EXPECT_EQ(json_value(o.output, "backend"), "\"cpu\"") << o.output;
  const std::string triad = json_value(o.output, "triad_GBps");
  ASSERT_FALSE(triad.empty());
  EXPECT_GT(std::stod(triad), 0.0) << o.output;
}

// A run long enough to interrupt: a fine grid, tight tolerance, a year (over a minute of work).
std::string long_config() {
  std::string text = kSmallConfig;
  auto replace = [&text](const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("partition = 1.2\n", "partition = 1.2\nmax_cell = \"0.02 um\"\n");
  replace("duration = \"2 h\"\noutput_interval = \"15 min\"\n",
          "duration = \"365 d\"\noutput_interval = \"1 h\"\n\n[numerics]\nrtol = 1e-9\natol = 1e-12\n");
  return text;
}

TEST_F(Cli, SigintStopsTheRunWith130AndWritesNothing) {
  write_file(dir / "long.toml", long_config());
  const fs::path log = dir / "interrupted_output.txt";
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::chdir(dir.c_str()) != 0) ::_exit(120);
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0) ::_exit(121);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execl(kCli, kCli, "run", "long.toml", "-o", "out.h5", "--summary-json", "s.json", "--backend", "cpu",
            static_cast<char*>(nullptr));
    ::_exit(122);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  int status = 0;
  const bool finished_early = ::waitpid(child, &status, WNOHANG) == child;
  if (!finished_early) ::kill(child, SIGINT);
  // Wait (at most 30 s) for it to stop.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool done = finished_early;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(child, &status, WNOHANG) == child) done = true;
    else std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!done) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &status, 0);
    FAIL() << "the run did not stop within 30 s of SIGINT";
  }
  const std::string output = read_file(log);
  ASSERT_FALSE(finished_early) << "the run finished before it could be interrupted; make long_config() longer\n"
                               << output;
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << (WIFSIGNALED(status) ? WTERMSIG(status) : 0) << "\n"
                                 << output;
  EXPECT_EQ(WEXITSTATUS(status), 130) << output;
  EXPECT_NE(output.find("interrupted"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  EXPECT_FALSE(fs::exists(dir / "s.json"));
  EXPECT_TRUE(temporaries().empty()) << temporaries().front();
}


// Actives by name: the library listing, one compound's derivation, and the two-command
// "calibrate the intact baseline, then run the treated study with it" workflow.
TEST_F(Cli, CompoundsListsTheLibraryAndExplainsOneCompound) {
  const Outcome list = run("compounds");
  ASSERT_EQ(list.code, 0) << list.output;
  for (const char* name : {"L-ascorbic acid", "niacinamide", "retinyl palmitate", "fentanyl"})
    EXPECT_NE(list.output.find(name), std::string::npos) << name;
  const Outcome one = run("compounds niacinamide --site forearm --ph 6");
  ASSERT_EQ(one.code, 0) << one.output;
  for (const char* text : {"stratum_corneum.diffusivity", "Potts & Guy", "viable_epidermis.partition", "Kretsos",
                           "lag_time_estimate", "non_ionised_fraction"})
    EXPECT_NE(one.output.find(text), std::string::npos) << text << " in\n" << one.output;
  const Outcome unknown = run("compounds nicotinamid");
  EXPECT_EQ(unknown.code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("did you mean"), std::string::npos) << unknown.output;
}

TEST_F(Cli, CalibrateThenRunTreatedWithTheCalibration) {
  const std::string intact =
      "[compound]\nname = \"caffeine\"\n[vehicle]\ndose = \"infinite\"\nconcentration = \"10 mg/mL\"\n"
      "volume_per_area = \"100 uL/cm2\"\nph = 7\n[skin]\nsite = \"in_vitro_split_thickness\"\n"
      "[protocol]\nduration = \"8 h\"\n";
  write_file(dir / "intact.toml", intact);
  write_file(dir / "ivpt.csv", "time_h,Q_ug_per_cm2\n2,0.4\n4,1.6\n6,2.9\n8,4.2\n");
  const Outcome fit = run("calibrate intact.toml --ivpt ivpt.csv --fit stratum_corneum.diffusivity --backend cpu");
  ASSERT_EQ(fit.code, 0) << fit.output;
  EXPECT_NE(fit.output.find("95 % CI"), std::string::npos) << fit.output;
  ASSERT_TRUE(fs::is_regular_file(dir / "intact_calibrated.toml")) << fit.output;
  EXPECT_NE(read_file(dir / "intact_calibrated.toml").find("[calibration]"), std::string::npos);

  write_file(dir / "treated.toml", intact + "[treatment]\ndevice = \"channels\"\nchannel_depth = \"100 um\"\n"
                                            "channel_diameter = \"60 um\"\ndensity = \"100 /cm2\"\ndomain = \"axisymmetric\"\n");
  const Outcome treated = run("run treated.toml -o t.h5 --summary-json t.json --calibration intact_calibrated.toml --backend cpu");
  ASSERT_EQ(treated.code, 0) << treated.output;
  const std::string json = read_file(dir / "t.json");
  EXPECT_NE(json.find("calibration: poreflux calibrate"), std::string::npos) << json.substr(0, 2000);
  EXPECT_NE(json.find("\"parameters\": ["), std::string::npos);
  EXPECT_NE(json.find("\"warnings\": ["), std::string::npos);

  // Two factors from one number: not identifiable, nothing written, exit 4.
  const Outcome one_point = run("calibrate intact.toml --measure uptake=0.05@8h --fit stratum_corneum.diffusivity "
                                "stratum_corneum.partition -o two.toml --backend cpu");
  EXPECT_EQ(one_point.code, 4) << one_point.output;
  EXPECT_NE(one_point.output.find("not identifiable"), std::string::npos) << one_point.output;
  EXPECT_FALSE(fs::exists(dir / "two.toml"));

  write_file(dir / "bad.csv", "time_h,Q_ug_per_cm2\n2,0.4\n1,0.5\n");
  const Outcome bad = run("calibrate intact.toml --ivpt bad.csv --backend cpu");
  EXPECT_EQ(bad.code, 2) << bad.output;
  EXPECT_NE(bad.output.find("bad.csv: row 3, column 'time_h'"), std::string::npos) << bad.output;
}
}  // namespace
}  // namespace poreflux::testing
