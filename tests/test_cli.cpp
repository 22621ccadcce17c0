// The built command line tool, run as a user would: exit codes (0 ok, 1 run-time failure,
// 2 config/usage error, 3 backend unavailable, 130 interrupted), the files it writes (and does
// not write on failure), its messages, and the summary JSON / bench JSON keys.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli_fixture.hpp"
#include "poreflux/backend.hpp"
#include "poreflux/version.hpp"
#include "study/summary_json.hpp"

namespace poreflux::testing {
namespace {

// A JSON text parsed (nlohmann); a discarded value, which every lookup test below fails on, if
// it does not parse. The tests keep the documents non-const: operator[] then makes a missing key
// null, which the type checks fail on (const operator[] on a missing key is undefined).
nlohmann::json parse_json(const std::string& text) { return nlohmann::json::parse(text, nullptr, false); }

// Whether `j` is an object holding `key`, for messages that name the missing key.
bool has_key(const nlohmann::json& j, const std::string& key) { return j.is_object() && j.contains(key); }

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
  const std::string text = read_file(dir / "s.json");
  nlohmann::json json = parse_json(text);
  ASSERT_TRUE(json.is_object()) << "not a JSON object:\n" << text;
  for (const char* key : {"schema", "poreflux_version", "backend", "backend_description", "duration_h",
                          "applied_ug_per_cm2", "compound", "parameters", "warnings", "vehicle", "scenarios", "solver"})
    EXPECT_TRUE(has_key(json, key)) << "key " << key << " missing in\n" << text;
  EXPECT_EQ(json.value("schema", ""), kSummarySchema) << text;
  EXPECT_EQ(json.value("backend", ""), "cpu") << text;
  EXPECT_EQ(json.value("poreflux_version", ""), kVersion) << text;
  ASSERT_TRUE(json["duration_h"].is_number()) << text;
  EXPECT_DOUBLE_EQ(json["duration_h"].get<double>(), 2.0) << text;
  EXPECT_TRUE(json["applied_ug_per_cm2"].is_number()) << text;

  ASSERT_TRUE(json["scenarios"].is_object()) << text;
  ASSERT_TRUE(has_key(json["scenarios"], "intact")) << text;
  nlohmann::json& intact = json["scenarios"]["intact"];
  ASSERT_TRUE(has_key(intact, "fraction_of_dose")) << text;
  for (const char* compartment :
       {"vehicle", "removed", "degraded", "stratum_corneum", "viable_epidermis", "dermis", "receptor", "systemic"})
    EXPECT_TRUE(has_key(intact["fraction_of_dose"], compartment)) << "compartment " << compartment << " missing in\n"
                                                                  << text;
  double total = 0.0;
  for (const auto& item : intact["fraction_of_dose"].items()) {
    ASSERT_TRUE(item.value().is_number()) << item.key() << " in\n" << text;
    total += item.value().get<double>();
  }
  EXPECT_NEAR(total, 1.0, 1e-6) << "the fractions of the dose add up to the dose\n" << text;
  for (const char* key : {"uptake_fraction", "dermal_delivery_fraction", "cumulative_permeated_ug_per_cm2",
                          "flux_max_ug_per_cm2_h", "t_flux_max_h", "mass_balance_error"}) {
    EXPECT_TRUE(has_key(intact, key)) << "key " << key << " missing in\n" << text;
    EXPECT_TRUE(intact[key].is_number()) << key << " in\n" << text;
  }
  // lag_time_h: a number, or null with a note saying why.
  ASSERT_TRUE(has_key(intact, "lag_time_h")) << text;
  EXPECT_TRUE(intact["lag_time_h"].is_number() ||
              (intact["lag_time_h"].is_null() && intact["lag_time_note"].is_string()))
      << text;
  ASSERT_TRUE(intact["mass_balance_error"].is_number()) << text;
  EXPECT_LT(std::fabs(intact["mass_balance_error"].get<double>()), 1e-8) << text;

  nlohmann::json& solver = json["solver"];
  ASSERT_TRUE(solver.is_object()) << text;
  EXPECT_TRUE(solver["method"].is_string()) << text;
  for (const char* key : {"steps", "rhs_evaluations", "max_stages", "cells"})
    EXPECT_TRUE(solver[key].is_number_integer()) << key << " in\n" << text;
  for (const char* key : {"steps", "rhs_evaluations", "cells"})  // max_stages is 0 under the implicit method
    EXPECT_GT(solver.value(key, 0LL), 0) << key << " in\n" << text;
  EXPECT_TRUE(solver["wall_s"].is_number()) << text;
  EXPECT_TRUE(json["vehicle"]["occluded"].is_boolean()) << text;
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
  nlohmann::json json = parse_json(o.output);
  ASSERT_TRUE(json.is_object()) << "not a JSON object:\n" << o.output;
  for (const char* key : {"triad_GBps", "stencil_Mcells_per_s", "stencil_GBps", "rkc_stage_GBps", "nx"})
    EXPECT_TRUE(has_key(json, key)) << key << " missing in\n" << o.output;
  ASSERT_TRUE(json["nx"].is_number_integer()) << o.output;
  EXPECT_EQ(json["nx"].get<long long>(), 16) << o.output;
  EXPECT_EQ(json.value("cells", 0LL), 16 * 16 * 16) << o.output;
  EXPECT_EQ(json.value("backend", ""), "cpu") << o.output;
  ASSERT_TRUE(json["triad_GBps"].is_number()) << o.output;
  EXPECT_GT(json["triad_GBps"].get<double>(), 0.0) << o.output;
}

// A run long enough to interrupt: a fine grid, tight tolerance, a year (over a minute of work).
std::string long_config() {
  std::string text = kSmallConfig;
  auto replace = [&text](const std::string& from, const std::string& to) {
    const std::size_t at = text.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    text.replace(at, from.size(), to);
  };
  replace("partition = 1.2\n", "partition = 1.2\nmax_cell = \"0.05 um\"\n");
  replace("duration = \"2 h\"\noutput_interval = \"15 min\"\n",
          "duration = \"365 d\"\noutput_interval = \"1 h\"\n\n[numerics]\nrtol = 1e-9\natol = 1e-12\n"
          "method = \"rkc\"\n");  // explicit steps through 0.05 um cells: hours of work
  return text;
}

// Starts `poreflux run long.toml` in the test directory; its output goes to `log`.
pid_t start_long_run(const fs::path& dir, const fs::path& log) {
  write_file(dir / "long.toml", long_config());
  const pid_t child = ::fork();
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
  return child;
}

struct Stopped {
  bool finished_early = false;  // before any signal was sent
  bool stopped = false;         // within the deadline
  int status = 0;
  double seconds_after_signal = 0.0;
};

// Lets the run work for a while, sends `signals` (spaced by `gap`), and waits for it to end.
Stopped stop_long_run(pid_t child, const std::vector<int>& signals, std::chrono::milliseconds gap) {
  Stopped s;
  std::this_thread::sleep_for(std::chrono::milliseconds(800));
  if (::waitpid(child, &s.status, WNOHANG) == child) {
    s.finished_early = s.stopped = true;
    return s;
  }
  const auto sent = std::chrono::steady_clock::now();
  for (std::size_t i = 0; i < signals.size(); ++i) {
    if (i > 0) std::this_thread::sleep_for(gap);
    ::kill(child, signals[i]);
  }
  const auto deadline = sent + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(child, &s.status, WNOHANG) == child) {
      s.stopped = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  s.seconds_after_signal = std::chrono::duration<double>(std::chrono::steady_clock::now() - sent).count();
  if (!s.stopped) {
    ::kill(child, SIGKILL);
    ::waitpid(child, &s.status, 0);
  }
  return s;
}

// The first SIGINT stops the run at its next operator evaluation (well within a second on an
// idle machine; 5 s leaves room for a loaded one), exit 130, nothing written.
TEST_F(Cli, SigintStopsTheRunWith130AndWritesNothing) {
  const fs::path log = dir / "interrupted_output.txt";
  const pid_t child = start_long_run(dir, log);
  ASSERT_GE(child, 0);
  const Stopped s = stop_long_run(child, {SIGINT}, std::chrono::milliseconds(0));
  const std::string output = read_file(log);
  ASSERT_FALSE(s.finished_early) << "the run finished before it could be interrupted; make long_config() longer\n"
                                 << output;
  ASSERT_TRUE(s.stopped) << "the run did not stop within 30 s of SIGINT";
  ASSERT_TRUE(WIFEXITED(s.status)) << "killed by signal " << (WIFSIGNALED(s.status) ? WTERMSIG(s.status) : 0) << "\n"
                                   << output;
  EXPECT_EQ(WEXITSTATUS(s.status), 130) << output;
  EXPECT_LT(s.seconds_after_signal, 5.0);
  EXPECT_NE(output.find("interrupted"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  EXPECT_FALSE(fs::exists(dir / "s.json"));
  EXPECT_TRUE(temporaries().empty()) << temporaries().front();
}

// SIGTERM (a batch system's stop) ends the run the same way, with 143 = 128 + SIGTERM.
TEST_F(Cli, SigtermStopsTheRunWith143AndWritesNothing) {
  const fs::path log = dir / "terminated_output.txt";
  const pid_t child = start_long_run(dir, log);
  ASSERT_GE(child, 0);
  const Stopped s = stop_long_run(child, {SIGTERM}, std::chrono::milliseconds(0));
  const std::string output = read_file(log);
  ASSERT_FALSE(s.finished_early) << output;
  ASSERT_TRUE(s.stopped && WIFEXITED(s.status)) << output;
  EXPECT_EQ(WEXITSTATUS(s.status), 143) << output;
  EXPECT_NE(output.find("terminated"), std::string::npos) << output;
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
  EXPECT_TRUE(temporaries().empty());
}

// A second Ctrl-C does not wait for the first to take effect: the process exits at once.
TEST_F(Cli, SecondSigintExitsAtOnce) {
  const fs::path log = dir / "twice_output.txt";
  const pid_t child = start_long_run(dir, log);
  ASSERT_GE(child, 0);
  const Stopped s = stop_long_run(child, {SIGINT, SIGINT}, std::chrono::milliseconds(1));
  ASSERT_FALSE(s.finished_early);
  ASSERT_TRUE(s.stopped && WIFEXITED(s.status)) << read_file(log);
  EXPECT_EQ(WEXITSTATUS(s.status), 130);
  EXPECT_LT(s.seconds_after_signal, 5.0);
  EXPECT_FALSE(fs::exists(dir / "out.h5"));
}

// ---- Output safety (issue 8): nothing is replaced that was not asked for ----

TEST_F(Cli, OutputThatIsAnInputIsRefusedAndTheInputKept) {
  write_file(dir / "a.toml", kSmallConfig);
  for (const std::string& args :
       {std::string("run a.toml -o a.toml"), std::string("run a.toml -o x.h5 --summary-json a.toml"),
        std::string("run a.toml -o x.h5 --summary-json ./a.toml --force")}) {
    const Outcome o = run(args);
    EXPECT_EQ(o.code, 2) << args << "\n" << o.output;
    EXPECT_NE(o.output.find("is also an input"), std::string::npos) << o.output;
    EXPECT_EQ(read_file(dir / "a.toml"), kSmallConfig) << args;
  }
  const Outcome same = run("run a.toml -o x.h5 --summary-json x.h5");
  EXPECT_EQ(same.code, 2);
  EXPECT_NE(same.output.find("would hold both"), std::string::npos) << same.output;
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
}

TEST_F(Cli, ExistingResultsAreReplacedOnlyWithForce) {
  write_file(dir / "a.toml", kSmallConfig);
  write_file(dir / "out.h5", "precious");
  const Outcome refused = run("run a.toml -o out.h5 -q");
  EXPECT_EQ(refused.code, 2) << refused.output;
  EXPECT_NE(refused.output.find("exists; add --force"), std::string::npos) << refused.output;
  EXPECT_EQ(read_file(dir / "out.h5"), "precious");
  const Outcome forced = run("run a.toml -o out.h5 -q --force");
  EXPECT_EQ(forced.code, 0) << forced.output;
  EXPECT_NE(forced.output.find("replacing 'out.h5'"), std::string::npos) << forced.output;
  EXPECT_NE(read_file(dir / "out.h5"), "precious");
}

TEST_F(Cli, OutputsThatAreNotRegularFilesOrHaveNoFolderAreRefusedBeforeTheRun) {
  write_file(dir / "a.toml", kSmallConfig);
  fs::create_directory(dir / "folder");
  ASSERT_EQ(::mkfifo((dir / "pipe.h5").c_str(), 0600), 0);
  write_file(dir / "real.h5", "keep");
  fs::create_symlink("real.h5", dir / "link.h5");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"run a.toml -o folder --force", "is a folder"},
      {"run a.toml -o pipe.h5 --force", "FIFO"},
      {"run a.toml -o link.h5 --force", "symbolic link"},
      {"run a.toml -o nowhere/x.h5", "folder 'nowhere' does not exist"},
      {"run a.toml -o x.h5 --summary-json nowhere/s.json", "folder 'nowhere' does not exist"},
  };
  for (const auto& [args, fragment] : cases) {
    const Outcome o = run(args);
    EXPECT_EQ(o.code, 2) << args << "\n" << o.output;
    EXPECT_NE(o.output.find(fragment), std::string::npos) << args << "\n" << o.output;
    EXPECT_EQ(o.output.find("scenario intact"), std::string::npos) << "the run started: " << o.output;
  }
  EXPECT_EQ(read_file(dir / "real.h5"), "keep");
  EXPECT_FALSE(fs::exists(dir / "x.h5"));
}

TEST_F(Cli, StaleTemporaryOfADeadRunIsRemovedAndReported) {
  write_file(dir / "a.toml", kSmallConfig);
  // A pid that cannot be running: above the kernel's pid_max (at most 2^22).
  write_file(dir / "out.h5.tmp-99999999", "half-written");
  const Outcome o = run("run a.toml -o out.h5 -q");
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_NE(o.output.find("a temporary left by a run that died"), std::string::npos) << o.output;
  EXPECT_TRUE(temporaries().empty());
}

// ---- Nonsense refused before it runs, and the messages that say so ----

TEST_F(Cli, NonsenseValuesAreRefusedNamingTheKey) {
  const std::string base = kSmallConfig;
  auto with = [&](const std::string& from, const std::string& to) {
    std::string text = base;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {with("diffusivity = \"1e-10 cm2/s\"", "diffusivity = \"1e308 cm2/s\""), "layer[1].diffusivity", "1e-3 cm2/s"},
      {with("volume_per_area = \"5 uL/cm2\"", "volume_per_area = \"1e308 mL/cm2\""), "vehicle.volume_per_area",
       "2 mL/cm2"},
      {with("partition = 1.2\n", "partition = 1.2\nmax_cell = \"1e-6 nm\"\n"), "layer[1].max_cell", "0.05 um"},
      {with("duration = \"2 h\"", "duration = \"1e308 h\""), "protocol.duration", "1 year"},
      {with("diffusivity = \"1e-10 cm2/s\"", "difusivity = \"1e-10 cm2/s\""), "layer[1].difusivity",
       "did you mean 'diffusivity'"},
      {with("title = \"cli test: three layers, 2 h\"", "title = \"" + std::string(400, 'x') + "\""), "title",
       "at most 300"},
  };
  for (const auto& [text, key, fragment] : cases) {
    write_file(dir / "n.toml", text);
    const Outcome o = run("validate n.toml");
    EXPECT_EQ(o.code, 2) << key << "\n" << o.output;
    EXPECT_NE(o.output.find("key '" + key + "'"), std::string::npos) << o.output;
    EXPECT_NE(o.output.find(fragment), std::string::npos) << o.output;
  }
}

// A new user's pen with nothing said about the domain runs the cheap axisymmetric cell, and the
// summary says so on its treatment line, with the key that gives the 3D unit cell back; naming
// the domain keeps it, without that remark (issue 19 item 5).
TEST_F(Cli, RegularLatticeRunsTheAxisymmetricCellByDefaultAndSaysSo) {
  const std::string pen = std::string(kSmallConfig) + "\n[treatment]\ndevice = \"pen\"\nneedle_length = \"0.5 mm\"\n";
  write_file(dir / "pen.toml", pen);
  write_file(dir / "pen_cell.toml", pen + "domain = \"unit_cell\"\n");
  const Outcome o = run("run pen.toml -o pen.h5 --summary-json pen.json --backend cpu");
  ASSERT_EQ(o.code, 0) << o.output;
  std::vector<std::string> saying;
  std::istringstream lines(o.output);
  for (std::string line; std::getline(lines, line);)
    if (line.find("by default") != std::string::npos) saying.push_back(line);
  ASSERT_EQ(saying.size(), 1u) << o.output;
  for (const char* fragment : {"treatment: pen, ", "; domain axisymmetric by default for a regular square lattice",
                               "domain = \"unit_cell\" gives the 3D unit cell", "\"patch\""})
    EXPECT_NE(saying[0].find(fragment), std::string::npos) << fragment << " not in: " << saying[0];
  nlohmann::json json = parse_json(read_file(dir / "pen.json"));
  ASSERT_TRUE(has_key(json, "geometry")) << json.dump();
  EXPECT_EQ(json["geometry"]["domain"], "axisymmetric") << json["geometry"].dump();

  const Outcome cell = run("validate pen_cell.toml");
  ASSERT_EQ(cell.code, 0) << cell.output;
  EXPECT_EQ(cell.output.find("by default"), std::string::npos) << cell.output;
  // The quarter unit cell is laterally resolved in both directions: nx x ny x nz with ny > 1.
  const std::size_t treated = cell.output.find("treated: ");
  ASSERT_NE(treated, std::string::npos) << cell.output;
  EXPECT_EQ(cell.output.find(" x 1 x ", treated), std::string::npos) << cell.output;
}

TEST_F(Cli, GridsBeyondTheLimitsAreRefusedBeforeAllocating) {
  const fs::path example = fs::path(POREFLUX_SOURCE_DIR) / "configs" / "patch_gpu_example.toml";
  const auto start = std::chrono::steady_clock::now();
  const Outcome o = run("validate " + quote(example.string()));
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(o.code, 2) << o.output;
  for (const char* fragment : {"3.2e+07 cells", "treatment.patch_width", "max_cell", "--allow-large"})
    EXPECT_NE(o.output.find(fragment), std::string::npos) << fragment << "\n" << o.output;
  EXPECT_LT(seconds, 5.0) << "the grid was built before the limit was checked";
}

TEST_F(Cli, ConfigsThatAreNotRegularFilesDoNotBlock) {
  ASSERT_EQ(::mkfifo((dir / "fifo.toml").c_str(), 0600), 0);
  const Outcome o = run("validate fifo.toml");  // a blocking read would hang the test here
  EXPECT_EQ(o.code, 2) << o.output;
  EXPECT_NE(o.output.find("not a regular file"), std::string::npos) << o.output;
}

TEST_F(Cli, TerminalOutputIsSanitisedAndArgumentsAreChecked) {
  std::string text = kSmallConfig;
  text.replace(text.find("cli test: three layers, 2 h"), 27, "bell\\u0007 and escape\\u001b[31m");
  write_file(dir / "c.toml", text);
  const Outcome o = run("run c.toml -o c.h5");
  EXPECT_EQ(o.code, 0) << o.output;
  EXPECT_EQ(o.output.find('\a'), std::string::npos);
  EXPECT_EQ(o.output.find('\x1b'), std::string::npos);
  EXPECT_NE(o.output.find("bell\\x07 and escape\\x1b[31m"), std::string::npos) << o.output;
  const Outcome bench = run("bench --size -1 5 5");
  EXPECT_EQ(bench.code, 2) << bench.output;
  EXPECT_NE(bench.output.find("not in range 1 to 4096"), std::string::npos) << bench.output;
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

  write_file(dir / "treated.toml",
             intact +
                 "[treatment]\ndevice = \"channels\"\nchannel_depth = \"100 um\"\n"
                 "channel_diameter = \"60 um\"\ndensity = \"100 /cm2\"\ndomain = \"axisymmetric\"\n");
  const Outcome treated =
      run("run treated.toml -o t.h5 --summary-json t.json --calibration intact_calibrated.toml --backend cpu");
  ASSERT_EQ(treated.code, 0) << treated.output;
  const std::string text = read_file(dir / "t.json");
  nlohmann::json json = parse_json(text);
  ASSERT_TRUE(json.is_object()) << "not a JSON object:\n" << text.substr(0, 2000);
  ASSERT_TRUE(json["parameters"].is_array()) << text.substr(0, 2000);
  EXPECT_TRUE(json["warnings"].is_array()) << text.substr(0, 2000);
  // The calibrated value is recorded as a parameter whose relation names the calibration and
  // whose input is the fitted factor.
  nlohmann::json* calibrated = nullptr;
  for (nlohmann::json& p : json["parameters"])
    if (p.value("relation", "").find("calibration: poreflux calibrate") != std::string::npos) calibrated = &p;
  ASSERT_NE(calibrated, nullptr) << text.substr(0, 2000);
  EXPECT_TRUE((*calibrated)["value"].is_number()) << calibrated->dump(2);
  ASSERT_TRUE((*calibrated)["inputs"]["factor"]["value"].is_number()) << calibrated->dump(2);
  EXPECT_GT((*calibrated)["inputs"]["factor"]["value"].get<double>(), 0.0) << calibrated->dump(2);

  // Two factors from one number: not identifiable, nothing written, exit 4.
  const Outcome one_point =
      run("calibrate intact.toml --measure uptake=0.05@8h --fit stratum_corneum.diffusivity "
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
