// The first hour visible and a quiet summary (issue 20): default output times dense early, the
// events a run saw (film dry, deposit, peak flux, channels closed to 10 %) in the printed summary
// and the JSON, the CPU fallback in one neutral line, solver statistics behind --verbose.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "cli_fixture.hpp"
#include "io/h5_handles.hpp"
#include "poreflux/config.hpp"

namespace {

using poreflux::parse_study;
using poreflux::Study;
using poreflux::testing::Cli;
using poreflux::testing::read_file;
using poreflux::testing::write_file;

std::string study_text(const std::string& protocol_lines) {
  return "[vehicle]\n"
         "concentration = \"150 mg/mL\"\n"
         "volume_per_area = \"2 uL/cm2\"\n"
         "[[layer]]\n"
         "name = \"stratum_corneum\"\n"
         "thickness = \"16.8 um\"\n"
         "diffusivity = \"2.9e-12 cm2/s\"\n"
         "partition = 1.2\n"
         "[protocol]\n" +
         protocol_lines;
}

// ---- default output times ----

TEST(DefaultOutputTimes, DenseInTheFirstHourThenEveryDurationOver24) {
  const Study study = parse_study(study_text("duration = \"24 h\"\n"), "study.toml");
  std::vector<double> expected{60, 120, 180, 300, 450, 600, 1200, 1800, 3000};  // 1, 2, 3, 5, 7.5, 10, 20, 30, 50 min
  for (int h = 1; h <= 24; ++h) expected.push_back(3600.0 * h);
  EXPECT_EQ(study.protocol.output_times_s, expected);
}

TEST(DefaultOutputTimes, ALongStudyResolvesItsFirstHoursToo) {
  const Study study = parse_study(study_text("duration = \"7 d\"\n"), "study.toml");
  const std::vector<double>& t = study.protocol.output_times_s;
  ASSERT_GT(t.size(), 24u);
  EXPECT_EQ(t.front(), 60.0);
  EXPECT_EQ(t.back(), 7 * 86400.0);
  EXPECT_TRUE(std::is_sorted(t.begin(), t.end()));
  EXPECT_EQ(std::adjacent_find(t.begin(), t.end()), t.end());
  // Before the first regular output (7 h), from 1 min on: 5 per decade.
  const auto first_regular = std::find(t.begin(), t.end(), 7 * 3600.0);
  ASSERT_NE(first_regular, t.end());
  EXPECT_EQ(first_regular - t.begin(), 13);  // 1 2 3 5 7.5 10 20 30 50 75 100 200 300 min
  EXPECT_EQ(t.end() - first_regular, 24);
}

TEST(DefaultOutputTimes, AShortStudyHasNoneBeforeItsInterval) {
  const Study study = parse_study(study_text("duration = \"10 min\"\n"), "study.toml");
  ASSERT_EQ(study.protocol.output_times_s.size(), 24u);
  EXPECT_DOUBLE_EQ(study.protocol.output_times_s.front(), 25.0);
}

TEST(DefaultOutputTimes, AGivenIntervalOrListIsKeptAsIs) {
  const Study every = parse_study(study_text("duration = \"24 h\"\noutput_interval = \"1 h\"\n"), "study.toml");
  ASSERT_EQ(every.protocol.output_times_s.size(), 24u);
  EXPECT_EQ(every.protocol.output_times_s.front(), 3600.0);
  const Study listed =
      parse_study(study_text("duration = \"24 h\"\noutput_times = [\"6 h\", \"24 h\"]\n"), "study.toml");
  EXPECT_EQ(listed.protocol.output_times_s, (std::vector<double>{21600.0, 86400.0}));
}

// ---- a run's events and the printed summary ----

// A drying serum that leaves a deposit, on skin with channels that close (time constant 1 h);
// no output times given, so the default grid resolves the first hour. Runs in about a second.
const char* kFirstHour = R"(title = "first hour"
[compound]
name = "L-ascorbic acid"
molecular_weight = "176.12 g/mol"
log_kow = -1.85
[vehicle]
concentration = "100 mg/mL"
volume_per_area = "2 uL/cm2"
composition = "aqueous serum"
solubility = "300 mg/mL"
[[layer]]
name = "stratum_corneum"
thickness = "15 um"
diffusivity = "3e-10 cm2/s"
partition = 1.0
max_cell = "5 um"
[[layer]]
name = "viable_epidermis"
thickness = "60 um"
diffusivity = "3e-6 cm2/s"
partition = 0.7
max_cell = "20 um"
[[layer]]
name = "dermis"
thickness = "300 um"
diffusivity = "3e-6 cm2/s"
partition = 0.7
max_cell = "100 um"
[boundary]
bottom = "in_vitro"
[protocol]
duration = "4 h"
[treatment]
device = "channels"
channel_depth = "100 um"
channel_diameter = "50 um"
density = "100 /cm2"
closure_time_constant = "1 h"
lateral_max_cell = "250 um"
wall_cell = "8 um"
)";

const nlohmann::json* event_named(const nlohmann::json& scenario, const std::string& code) {
  for (const nlohmann::json& e : scenario.at("events"))
    if (e.at("event") == code) return &e;
  return nullptr;
}

// The printed summary: from its title line to the line that names the results file.
std::vector<std::string> summary_lines(const std::string& output) {
  std::vector<std::string> lines;
  std::istringstream in(output);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("== ", 0) == 0) inside = true;
    if (inside) lines.push_back(line);
    if (line.rfind("results: ", 0) == 0) break;
  }
  return lines;
}

class FirstHour : public Cli {};

TEST_F(FirstHour, EventsAreReportedWithTheirTimesInTheSummaryAndTheJson) {
  write_file(dir / "s.toml", kFirstHour);
  const auto o = run("run s.toml -o s.h5 --backend cpu --summary-json s.json");
  ASSERT_EQ(o.code, 0) << o.output;
  const nlohmann::json j = nlohmann::json::parse(read_file(dir / "s.json"));
  const poreflux::h5::File file = poreflux::h5::File::open_read((dir / "s.h5").string());
  for (const char* name : {"intact", "treated"}) {
    SCOPED_TRACE(name);
    const nlohmann::json& s = j.at("scenarios").at(name);
    const auto& events = s.at("events");
    ASSERT_FALSE(events.empty());
    double previous = -1.0;
    for (const auto& e : events) {  // in time order
      EXPECT_GE(e.at("time_h").get<double>(), previous);
      previous = e.at("time_h").get<double>();
    }
    // The film dries when the film's history says (per application).
    const nlohmann::json* dry = event_named(s, "film_dry");
    ASSERT_NE(dry, nullptr);
    const auto& application = s.at("applications").at(0);
    EXPECT_DOUBLE_EQ(dry->at("time_h").get<double>(),
                     application.at("applied_at_h").get<double>() + application.at("dry_after_h").get<double>());
    // The peak flux is the summary's.
    const nlohmann::json* flux = event_named(s, "flux_peak");
    ASSERT_NE(flux, nullptr);
    EXPECT_DOUBLE_EQ(flux->at("time_h").get<double>(), s.at("t_flux_max_h").get<double>());
    EXPECT_DOUBLE_EQ(flux->at("value").get<double>(), s.at("flux_max_ug_per_cm2_h").get<double>());
    // Dense early outputs: the drying is resolved (several outputs before the film is dry).
    const poreflux::h5::Group g = file.root().open_group(std::string("scenarios/") + name);
    const std::vector<double> time_h = g.read_1d("time_h");
    EXPECT_GE(std::count_if(time_h.begin(), time_h.end(),
                            [&](double t) { return t > 0.0 && t < dry->at("time_h").get<double>(); }),
              5);
  }
  // Intact: the deposit forms in minutes and is largest at the output where the HDF5 has it largest.
  const nlohmann::json& intact = j.at("scenarios").at("intact");
  const nlohmann::json* formed = event_named(intact, "deposit_formed");
  const nlohmann::json* peak = event_named(intact, "deposit_peak");
  ASSERT_NE(formed, nullptr);
  ASSERT_NE(peak, nullptr);
  const poreflux::h5::Group g = file.root().open_group("scenarios/intact");
  const std::vector<double> deposit = g.read_1d("amounts/deposit"), time_h = g.read_1d("time_h");
  const std::size_t k = static_cast<std::size_t>(std::max_element(deposit.begin(), deposit.end()) - deposit.begin());
  EXPECT_DOUBLE_EQ(peak->at("time_h").get<double>(), time_h[k]);
  EXPECT_DOUBLE_EQ(peak->at("value").get<double>(), deposit[k]);
  EXPECT_EQ(peak->at("unit"), "ug/cm2");
  EXPECT_LT(peak->at("time_h").get<double>(), 1.0);  // within the first hour, which the outputs resolve
  EXPECT_LE(formed->at("time_h").get<double>(), peak->at("time_h").get<double>());
  // Treated: channels 10 % open at tau ln 10 = 2.30 h; never on intact skin.
  const nlohmann::json* closed = event_named(j.at("scenarios").at("treated"), "channels_closed_to_10_percent");
  ASSERT_NE(closed, nullptr);
  EXPECT_NEAR(closed->at("time_h").get<double>(), std::log(10.0), 1e-12);
  EXPECT_EQ(event_named(intact, "channels_closed_to_10_percent"), nullptr);

  // The printed summary says them, with minutes for the first hour.
  const std::vector<std::string> lines = summary_lines(o.output);
  auto line_starting = [&](const std::string& prefix) {
    for (const std::string& l : lines)
      if (l.rfind(prefix, 0) == 0) return l;
    return std::string();
  };
  const std::string intact_events = line_starting("events, intact:");
  const std::string treated_events = line_starting("events, treated:");
  EXPECT_NE(intact_events.find("deposit formed at "), std::string::npos) << intact_events;
  EXPECT_NE(intact_events.find(" min"), std::string::npos) << intact_events;
  EXPECT_NE(intact_events.find("film dry at "), std::string::npos) << intact_events;
  EXPECT_NE(treated_events.find("channels 10 % open at 2.3 h"), std::string::npos) << treated_events;
  EXPECT_NE(treated_events.find("peak flux at "), std::string::npos) << treated_events;
}

TEST_F(FirstHour, TheSummaryIsQuietAndFitsOneScreen) {
  write_file(dir / "s.toml", kFirstHour);
  const auto o = run("run s.toml -o s.h5 --backend auto");
  ASSERT_EQ(o.code, 0) << o.output;
  // The backend in one neutral line; the CUDA runtime's reason only with --verbose.
  const bool cpu = o.output.find("running on the CPU; no GPU found\n") != std::string::npos;
  const bool gpu = o.output.find("running on the GPU (CUDA)\n") != std::string::npos;
  EXPECT_TRUE(cpu || gpu) << o.output;
  for (const char* noise :
       {"no CUDA device answered", "CUDA driver", "backend auto:", "RHS evaluations", "Krylov iterations",
        "rejected steps", "linear solves", "largest RKC stage count", "solver, treated"})
    EXPECT_EQ(o.output.find(noise), std::string::npos) << noise << " in:\n" << o.output;
  const std::vector<std::string> lines = summary_lines(o.output);
  ASSERT_FALSE(lines.empty()) << o.output;
  EXPECT_LE(lines.size(), 50u) << o.output;  // one screen
  // What a formulator reads first is there: what was applied, treated vs intact, the warnings.
  EXPECT_EQ(lines[1].rfind("applied: L-ascorbic acid 100 mg/mL in 2 uL/cm2 = 200 ug/cm2 of \"aqueous serum\"", 0), 0u)
      << lines[1];
  EXPECT_NE(o.output.find("warning: "), std::string::npos);
  EXPECT_NE(o.output.find("Enhancement (treated / intact)"), std::string::npos);
}

TEST_F(FirstHour, VerboseAddsTheSolverStatisticsWhichTheJsonAlwaysHas) {
  write_file(dir / "s.toml", kFirstHour);
  const auto o = run("run s.toml -o s.h5 --backend cpu --verbose --summary-json s.json");
  ASSERT_EQ(o.code, 0) << o.output;
  for (const char* detail : {"RHS evaluations", "Krylov iterations", "rejected steps",
                             "solver, treated: ", "backend: cpu (", "D: ", "  intact: application"})
    EXPECT_NE(o.output.find(detail), std::string::npos) << detail << " missing in:\n" << o.output;
  const auto quiet = run("run s.toml -o q.h5 --backend cpu --summary-json q.json");
  ASSERT_EQ(quiet.code, 0) << quiet.output;
  const nlohmann::json j = nlohmann::json::parse(read_file(dir / "q.json"));
  for (const char* key : {"rhs_evaluations", "linear_iterations", "rejected_steps"})
    EXPECT_TRUE(j.at("solver").at("per_scenario").at("treated").contains(key)) << key;
  const poreflux::h5::File file = poreflux::h5::File::open_read((dir / "q.h5").string());
  EXPECT_GT(file.root().open_group("scenarios/treated/solver").read_attr_int("rhs_evaluations"), 0);
}

}  // namespace
