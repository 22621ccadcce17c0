// Tests of the TOML config loader and quantity parsing. Every bad config must produce a
// message naming the file, the line and the key, and saying what would be valid.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "poreflux/config.hpp"
#include "poreflux/units.hpp"

namespace fs = std::filesystem;
using poreflux::ConfigError;
using poreflux::Dimension;
using poreflux::parse_quantity;
using poreflux::parse_study;
using poreflux::Study;

namespace {

// A valid config whose line numbers the error tests rely on (see the comments).
const std::string kBase =
    "title = \"base\"\n"                 // 1
    "[vehicle]\n"                        // 2
    "concentration = \"150 mg/mL\"\n"    // 3
    "volume_per_area = \"2 uL/cm2\"\n"   // 4
    "[[layer]]\n"                        // 5
    "name = \"stratum_corneum\"\n"       // 6
    "thickness = \"16.8 um\"\n"          // 7
    "diffusivity = \"2.9e-12 cm2/s\"\n"  // 8
    "partition = 1.2\n"                  // 9
    "[[layer]]\n"                        // 10
    "name = \"viable_epidermis\"\n"      // 11
    "thickness = \"80 um\"\n"            // 12
    "diffusivity = \"3e-7 cm2/s\"\n"     // 13
    "partition = 0.7\n"                  // 14
    "[protocol]\n"                       // 15
    "duration = \"24 h\"\n";             // 16

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& line : lines) text += line + "\n";
  return text;
}

// kBase with line `number` (1-based) replaced; an empty replacement keeps the numbering.
std::string base_with_line(int number, const std::string& replacement) {
  std::vector<std::string> lines = lines_of(kBase);
  lines.at(static_cast<std::size_t>(number - 1)) = replacement;
  return joined(lines);
}

// kBase with `inserted` placed after line `number`, so it becomes line number + 1.
std::string base_with_inserted(int number, const std::string& inserted) {
  std::vector<std::string> lines = lines_of(kBase);
  lines.insert(lines.begin() + number, inserted);
  return joined(lines);
}

ConfigError error_for(const std::string& text, const std::string& file = "study.toml") {
  try {
    parse_study(text, file);
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << text;
  return ConfigError(file, 0, "", "no error");
}

// Checks that the message starts with "study.toml:<line>: key '<key>'" and contains every
// fragment (which is where the test says what the message must call valid).
void expect_error(const std::string& text, int line, const std::string& key,
                  const std::vector<std::string>& fragments) {
  const ConfigError error = error_for(text);
  const std::string what = error.what();
  EXPECT_EQ(error.file(), "study.toml") << what;
  EXPECT_EQ(error.line(), line) << what;
  EXPECT_EQ(error.key_path(), key) << what;
  const std::string prefix = "study.toml:" + std::to_string(line) + ": key '" + key + "'";
  EXPECT_EQ(what.rfind(prefix, 0), 0u) << "expected prefix " << prefix << "\n got: " << what;
  for (const std::string& fragment : fragments) {
    EXPECT_NE(what.find(fragment), std::string::npos) << "missing \"" << fragment << "\" in: " << what;
  }
}

// The repository root: from the build when it says, else from where this file lies.
fs::path source_dir() {
#ifdef POREFLUX_SOURCE_DIR
  return fs::path(POREFLUX_SOURCE_DIR);
#else
  return fs::path(__FILE__).parent_path().parent_path();
#endif
}

// A fresh directory under the system temp dir, removed after the test.
class ConfigFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device random;
    dir_ = fs::temp_directory_path() / ("poreflux-config-test-" + std::to_string(random()));
    fs::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
  fs::path write(const std::string& name, const std::string& text) const {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path;
  }
  fs::path dir_;
};

}  // namespace

// ---------------------------------------------------------------- quantities

TEST(QuantityParsing, ConvertsEveryDimensionToInternalUnits) {
  EXPECT_DOUBLE_EQ(parse_quantity("16.8 um", Dimension::length), 16.8e-4);
  EXPECT_DOUBLE_EQ(parse_quantity("500 nm", Dimension::length), 5e-5);
  EXPECT_DOUBLE_EQ(parse_quantity("0.4 mm", Dimension::length), 0.04);
  EXPECT_DOUBLE_EQ(parse_quantity("2 cm", Dimension::length), 2.0);
  EXPECT_DOUBLE_EQ(parse_quantity("1e-3 m", Dimension::length), 0.1);

  EXPECT_DOUBLE_EQ(parse_quantity("250 ms", Dimension::time), 0.25);
  EXPECT_DOUBLE_EQ(parse_quantity("30 s", Dimension::time), 30.0);
  EXPECT_DOUBLE_EQ(parse_quantity("2 min", Dimension::time), 120.0);
  EXPECT_DOUBLE_EQ(parse_quantity("27.5 h", Dimension::time), 99000.0);
  EXPECT_DOUBLE_EQ(parse_quantity("2 d", Dimension::time), 172800.0);

  EXPECT_DOUBLE_EQ(parse_quantity("2.9e-12 cm2/s", Dimension::diffusivity), 2.9e-12);
  EXPECT_DOUBLE_EQ(parse_quantity("2.9e-12 cm^2/s", Dimension::diffusivity), 2.9e-12);
  EXPECT_DOUBLE_EQ(parse_quantity("1e-10 m2/s", Dimension::diffusivity), 1e-6);
  EXPECT_DOUBLE_EQ(parse_quantity("30 um2/s", Dimension::diffusivity), 3e-7);

  EXPECT_DOUBLE_EQ(parse_quantity("7e-6 1/s", Dimension::rate), 7e-6);
  EXPECT_DOUBLE_EQ(parse_quantity("6 1/min", Dimension::rate), 0.1);
  EXPECT_DOUBLE_EQ(parse_quantity("36 1/h", Dimension::rate), 0.01);
  EXPECT_DOUBLE_EQ(parse_quantity("8.64 1/d", Dimension::rate), 1e-4);

  EXPECT_DOUBLE_EQ(parse_quantity("5 ug/cm3", Dimension::concentration), 5.0);
  EXPECT_DOUBLE_EQ(parse_quantity("5 ug/mL", Dimension::concentration), 5.0);
  EXPECT_DOUBLE_EQ(parse_quantity("150 mg/mL", Dimension::concentration), 1.5e5);
  EXPECT_DOUBLE_EQ(parse_quantity("150 mg/cm3", Dimension::concentration), 1.5e5);
  EXPECT_DOUBLE_EQ(parse_quantity("2 g/L", Dimension::concentration), 2e3);
  EXPECT_DOUBLE_EQ(parse_quantity("15 % w/v", Dimension::concentration), 1.5e5);  // = 150 mg/mL
  EXPECT_DOUBLE_EQ(parse_quantity("15% w/v", Dimension::concentration), 1.5e5);

  EXPECT_DOUBLE_EQ(parse_quantity("1 uL/cm2", Dimension::volume_per_area), 1e-3);  // 10 µm film
  EXPECT_DOUBLE_EQ(parse_quantity("10 µL/cm2", Dimension::volume_per_area), 1e-2);
  EXPECT_DOUBLE_EQ(parse_quantity("0.01 mL/cm2", Dimension::volume_per_area), 1e-2);

  EXPECT_DOUBLE_EQ(parse_quantity("300 ug/cm2", Dimension::dose_per_area), 300.0);
  EXPECT_DOUBLE_EQ(parse_quantity("300 µg/cm2", Dimension::dose_per_area), 300.0);
  EXPECT_DOUBLE_EQ(parse_quantity("2 mg/cm2", Dimension::dose_per_area), 2000.0);

  EXPECT_DOUBLE_EQ(parse_quantity("176.12 g/mol", Dimension::molar_mass), 176.12);
}

TEST(QuantityParsing, AcceptsSpellingVariants) {
  EXPECT_DOUBLE_EQ(parse_quantity("80 µm", Dimension::length), 8e-3);  // U+00B5 micro sign
  EXPECT_DOUBLE_EQ(parse_quantity("80 μm", Dimension::length), 8e-3);  // U+03BC Greek mu
  EXPECT_DOUBLE_EQ(parse_quantity("80um", Dimension::length), 8e-3);   // no space
  EXPECT_DOUBLE_EQ(parse_quantity("  80  um ", Dimension::length), 8e-3);
  EXPECT_DOUBLE_EQ(parse_quantity("+80 um", Dimension::length), 8e-3);
  EXPECT_DOUBLE_EQ(parse_quantity("3 cm²/s", Dimension::diffusivity), 3.0);
  EXPECT_DOUBLE_EQ(parse_quantity("-2.5 cm", Dimension::length),
                   -2.5);  // signs are the caller's job
}

TEST(QuantityParsing, RejectsBadQuantitiesListingValidUnits) {
  const auto message_of = [](const char* text, Dimension dimension) -> std::string {
    try {
      parse_quantity(text, dimension);
    } catch (const poreflux::QuantityError& error) {
      return error.what();
    }
    return "no error";
  };
  EXPECT_EQ(message_of("80 kg", Dimension::length),
            "expected a length such as \"80 um\" (units: nm, um, µm, mm, cm, m); got \"80 kg\"");
  EXPECT_EQ(message_of("2 h", Dimension::length),
            "expected a length such as \"80 um\" (units: nm, um, µm, mm, cm, m); got \"2 h\", "
            "which is a time");
  EXPECT_NE(message_of("80", Dimension::length).find("which has no unit"), std::string::npos);
  EXPECT_NE(message_of("um", Dimension::length).find("does not start with a number"), std::string::npos);
  EXPECT_NE(message_of("nan um", Dimension::length).find("not a finite number"), std::string::npos);
  EXPECT_NE(message_of("inf h", Dimension::time).find("not a finite number"), std::string::npos);
  EXPECT_NE(message_of("1e999 h", Dimension::time).find("not a finite number"), std::string::npos);
  EXPECT_NE(message_of("5 %", Dimension::concentration).find("(units: ug/cm3, ug/mL, mg/mL, mg/cm3, g/L, % w/v)"),
            std::string::npos);
  EXPECT_NE(message_of("1 h", Dimension::rate).find("(units: 1/s, 1/min, 1/h, 1/d)"), std::string::npos);
}

TEST(QuantityParsing, FormatReadsBackExactly) {
  for (double value : {16.8e-4, 0.1 + 0.2, 1.0 / 3.0, 86400.0, 2.9e-12, 0.0}) {
    const std::string text = poreflux::format_quantity(value, Dimension::length);
    EXPECT_EQ(parse_quantity(text, Dimension::length), value) << text;
  }
  EXPECT_EQ(poreflux::format_quantity(16.8e-4, Dimension::length), "0.00168 cm");
  EXPECT_EQ(poreflux::format_quantity(86400.0, Dimension::time), "86400 s");
  EXPECT_EQ(poreflux::format_quantity(2e-3, Dimension::volume_per_area), "2 uL/cm2");
}

// ---------------------------------------------------------------- valid configs

TEST(LoadStudy, BaseConfigFillsDefaults) {
  // The output grid given explicitly: the default one (dense in the first hour) has its own test
  // (tests/test_first_hour.cpp, DefaultOutputTimes).
  const Study study = parse_study(kBase + "output_interval = \"1 h\"\n", "configs/base.toml");
  EXPECT_EQ(study.source_file, "configs/base.toml");
  EXPECT_EQ(study.title, "base");
  EXPECT_EQ(study.compound.name, "unnamed");
  EXPECT_FALSE(study.compound.molecular_weight_g_per_mol);
  EXPECT_EQ(study.vehicle.mode, poreflux::DoseMode::finite);
  EXPECT_DOUBLE_EQ(study.vehicle.concentration_ug_per_cm3, 1.5e5);
  EXPECT_DOUBLE_EQ(study.vehicle.film_thickness_cm, 2e-3);
  EXPECT_DOUBLE_EQ(study.vehicle.degradation_per_s, 0.0);
  EXPECT_DOUBLE_EQ(study.vehicle.ph, 7.0);
  EXPECT_DOUBLE_EQ(study.applied_ug_per_cm2(), 300.0);

  ASSERT_EQ(study.layers.size(), 2u);
  const poreflux::LayerSpec& sc = study.layers[0];
  EXPECT_EQ(sc.name, "stratum_corneum");
  EXPECT_DOUBLE_EQ(sc.thickness_cm, 16.8e-4);
  ASSERT_TRUE(sc.diffusivity_cm2_s);
  EXPECT_DOUBLE_EQ(sc.diffusivity_cm2_s->value, 2.9e-12);
  EXPECT_EQ(sc.diffusivity_cm2_s->source, "config");
  ASSERT_TRUE(sc.partition);
  EXPECT_DOUBLE_EQ(sc.partition->value, 1.2);
  EXPECT_DOUBLE_EQ(sc.max_cell_cm, 16.8e-4 / 20.0);
  EXPECT_DOUBLE_EQ(sc.degradation_per_s, 0.0);
  EXPECT_FALSE(sc.clearance_per_s);  // in vitro: no clearance
  EXPECT_EQ(sc.config_line, "configs/base.toml:5");
  EXPECT_EQ(study.layers[1].config_line, "configs/base.toml:10");

  EXPECT_EQ(study.bottom, poreflux::BottomBoundary::sink);
  EXPECT_EQ(study.lateral, poreflux::LateralBoundary::mirror);
  EXPECT_DOUBLE_EQ(study.protocol.duration_s, 86400.0);
  ASSERT_EQ(study.protocol.output_times_s.size(), 24u);  // every hour
  EXPECT_DOUBLE_EQ(study.protocol.output_times_s.front(), 3600.0);
  EXPECT_EQ(study.protocol.output_times_s.back(), 86400.0);
  EXPECT_FALSE(study.protocol.wipe_time_s);
  EXPECT_DOUBLE_EQ(study.numerics.rtol, 1e-5);
  EXPECT_DOUBLE_EQ(study.numerics.atol_fraction, 1e-9);
  EXPECT_DOUBLE_EQ(study.numerics.initial_step_s, 1e-3);
  EXPECT_EQ(study.numerics.backend, "auto");
  EXPECT_EQ(study.output.path, "");
}

TEST(LoadStudy, FullConfigReadsEveryKey) {
  const std::string text = R"(
title = "ascorbic acid, in vivo"
[compound]
name = "L-ascorbic acid"
molecular_weight = "176.12 g/mol"
log_kow = -1.85
pka = [{ value = 4, type = "acid" }]
[vehicle]
dose = "infinite"
dose_per_area = "300 ug/cm2"
film_thickness = "20 um"
degradation_half_life = "27.5 h"
ph = 3
[[layer]]
name = "stratum_corneum"
thickness = "16.8 um"
diffusivity = "2.9e-12 cm2/s"
partition = 1
max_cell = "0.5 um"
degradation_rate = "1e-6 1/s"
[[layer]]
name = "dermis"
thickness = "1.2 mm"
diffusivity = "1e-6 cm2/s"
partition = 0.5
clearance_rate = "0.36 1/h"
[boundary]
bottom = "in_vivo"
lateral = "periodic"
[protocol]
duration = "2 d"
output_times = ["30 min", "1 h", "1 d"]
wipe_at = "8 h"
[numerics]
rtol = 1e-4
atol = 1e-12
initial_step = "10 ms"
backend = "cuda"
[output]
file = "out/ascorbic.h5"
)";
  const Study study = parse_study(text, "full.toml");
  EXPECT_EQ(study.title, "ascorbic acid, in vivo");
  EXPECT_EQ(study.compound.name, "L-ascorbic acid");
  EXPECT_DOUBLE_EQ(study.compound.molecular_weight_g_per_mol->value, 176.12);
  EXPECT_EQ(study.compound.molecular_weight_g_per_mol->source, "config");  // the config wins over the library
  EXPECT_DOUBLE_EQ(study.compound.log_kow->value, -1.85);
  ASSERT_TRUE(study.compound.pka);
  ASSERT_EQ(study.compound.pka->size(), 1u);
  EXPECT_DOUBLE_EQ((*study.compound.pka)[0].value, 4.0);
  EXPECT_EQ((*study.compound.pka)[0].type, poreflux::PkaType::acid);
  EXPECT_EQ(study.vehicle.mode, poreflux::DoseMode::infinite);
  EXPECT_DOUBLE_EQ(study.vehicle.film_thickness_cm, 20e-4);
  EXPECT_DOUBLE_EQ(study.vehicle.concentration_ug_per_cm3, 300.0 / 20e-4);  // dose / film
  EXPECT_DOUBLE_EQ(study.applied_ug_per_cm2(), 300.0);
  EXPECT_DOUBLE_EQ(study.vehicle.degradation_per_s, std::log(2.0) / 99000.0);
  EXPECT_DOUBLE_EQ(study.vehicle.ph, 3.0);
  ASSERT_EQ(study.layers.size(), 2u);
  EXPECT_DOUBLE_EQ(study.layers[0].partition->value, 1.0);
  EXPECT_DOUBLE_EQ(study.layers[0].max_cell_cm, 0.5e-4);
  EXPECT_DOUBLE_EQ(study.layers[0].degradation_per_s, 1e-6);
  EXPECT_DOUBLE_EQ(study.layers[1].thickness_cm, 0.12);
  EXPECT_DOUBLE_EQ(study.layers[1].clearance_per_s->value, 1e-4);
  EXPECT_EQ(study.layers[1].config_line, "full.toml:21");
  EXPECT_EQ(study.bottom, poreflux::BottomBoundary::clearance);
  EXPECT_EQ(study.lateral, poreflux::LateralBoundary::periodic);
  EXPECT_DOUBLE_EQ(study.protocol.duration_s, 172800.0);
  EXPECT_EQ(study.protocol.output_times_s,
            (std::vector<double>{1800.0, 3600.0, 86400.0, 172800.0}));  // duration appended
  EXPECT_DOUBLE_EQ(*study.protocol.wipe_time_s, 28800.0);
  EXPECT_DOUBLE_EQ(study.numerics.rtol, 1e-4);
  EXPECT_DOUBLE_EQ(study.numerics.atol_fraction, 1e-12);
  EXPECT_DOUBLE_EQ(study.numerics.initial_step_s, 0.01);
  EXPECT_EQ(study.numerics.backend, "cuda");
  EXPECT_EQ(study.output.path, "out/ascorbic.h5");

  // The resolved TOML reads back to the same study.
  const Study again = parse_study(study.resolved_toml, "full.toml");
  EXPECT_EQ(again.title, study.title);
  EXPECT_EQ(again.compound.molecular_weight_g_per_mol, study.compound.molecular_weight_g_per_mol);
  EXPECT_EQ(again.compound.pka, study.compound.pka);
  EXPECT_EQ(again.vehicle.mode, study.vehicle.mode);
  EXPECT_EQ(again.vehicle.concentration_ug_per_cm3, study.vehicle.concentration_ug_per_cm3);
  EXPECT_EQ(again.vehicle.film_thickness_cm, study.vehicle.film_thickness_cm);
  EXPECT_EQ(again.vehicle.degradation_per_s, study.vehicle.degradation_per_s);
  EXPECT_EQ(again.vehicle.ph, study.vehicle.ph);
  ASSERT_EQ(again.layers.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(again.layers[i].name, study.layers[i].name);
    EXPECT_EQ(again.layers[i].thickness_cm, study.layers[i].thickness_cm);
    EXPECT_EQ(again.layers[i].diffusivity_cm2_s->value, study.layers[i].diffusivity_cm2_s->value);
    EXPECT_EQ(again.layers[i].partition->value, study.layers[i].partition->value);
    EXPECT_EQ(again.layers[i].max_cell_cm, study.layers[i].max_cell_cm);
    EXPECT_EQ(again.layers[i].degradation_per_s, study.layers[i].degradation_per_s);
    EXPECT_EQ(again.layers[i].clearance_per_s, study.layers[i].clearance_per_s);
  }
  EXPECT_EQ(again.bottom, study.bottom);
  EXPECT_EQ(again.lateral, study.lateral);
  EXPECT_EQ(again.protocol.duration_s, study.protocol.duration_s);
  EXPECT_EQ(again.protocol.output_times_s, study.protocol.output_times_s);
  EXPECT_EQ(again.protocol.wipe_time_s, study.protocol.wipe_time_s);
  EXPECT_EQ(again.numerics.rtol, study.numerics.rtol);
  EXPECT_EQ(again.numerics.atol_fraction, study.numerics.atol_fraction);
  EXPECT_EQ(again.numerics.initial_step_s, study.numerics.initial_step_s);
  EXPECT_EQ(again.numerics.backend, study.numerics.backend);
  EXPECT_EQ(again.output.path, study.output.path);
}

TEST(LoadStudy, ResolvedTomlShowsDefaultsWithUnits) {
  const Study study = parse_study(kBase, "base.toml");
  const std::string& resolved = study.resolved_toml;
  EXPECT_NE(resolved.find("max_cell = '8.4"), std::string::npos) << resolved;  // thickness / 20
  EXPECT_NE(resolved.find("partition = 0.7\n"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("bottom = 'in_vitro'"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("rtol = 1e-05"), std::string::npos) << resolved;
  EXPECT_NE(resolved.find("'86400 s'"), std::string::npos) << resolved;
  EXPECT_EQ(resolved.find("clearance_rate"), std::string::npos) << resolved;  // in vitro
}

TEST(LoadStudy, OutputIntervalThatLandsOnTheDurationEndsExactlyOnIt) {
  const Study study = parse_study(base_with_inserted(16, "output_interval = \"0.1 h\""), "s.toml");
  ASSERT_EQ(study.protocol.output_times_s.size(), 240u);
  EXPECT_EQ(study.protocol.output_times_s.back(), 86400.0);
  EXPECT_DOUBLE_EQ(study.protocol.output_times_s[0], 360.0);
}

TEST(LoadStudy, OutputIntervalThatMissesTheDurationGetsItAppended) {
  const Study study = parse_study(base_with_inserted(16, "output_interval = \"5 h\""), "s.toml");
  EXPECT_EQ(study.protocol.output_times_s, (std::vector<double>{18000.0, 36000.0, 54000.0, 72000.0, 86400.0}));
  const Study longer = parse_study(base_with_inserted(16, "output_interval = \"48 h\""), "s.toml");
  EXPECT_EQ(longer.protocol.output_times_s, (std::vector<double>{86400.0}));
}

TEST(LoadStudy, OutputTimesEndingOnTheDurationAreKept) {
  const Study study = parse_study(base_with_inserted(16, "output_times = [\"12 h\", \"1 d\"]"), "s.toml");
  EXPECT_EQ(study.protocol.output_times_s, (std::vector<double>{43200.0, 86400.0}));
}

TEST(LoadStudy, InfiniteDoseWithWipeIsFine) {
  std::string text = base_with_inserted(2, "dose = \"infinite\"");
  text += "wipe_at = \"8 h\"\n";
  const Study study = parse_study(text, "s.toml");
  EXPECT_EQ(study.vehicle.mode, poreflux::DoseMode::infinite);
  EXPECT_DOUBLE_EQ(*study.protocol.wipe_time_s, 28800.0);
}

TEST(LoadStudy, TitleDefaultsToTheFileStem) {
  const Study study = parse_study(base_with_line(1, ""), "configs/cheek_serum.toml");
  EXPECT_EQ(study.title, "cheek_serum");
}

TEST(LoadStudy, HalfLifeBecomesARate) {
  const Study study = parse_study(base_with_inserted(14, "degradation_half_life = \"1 h\""), "s.toml");
  EXPECT_DOUBLE_EQ(study.layers[1].degradation_per_s, std::log(2.0) / 3600.0);
}

TEST(LoadStudy, ReadsTheExampleFixture) {
  const fs::path path = source_dir() / "tests" / "data" / "minimal.toml";
  const Study study = poreflux::load_study(path.string());
  EXPECT_EQ(study.title, "minimal two-layer study");
  EXPECT_EQ(study.compound.name, "L-ascorbic acid");
  ASSERT_EQ(study.layers.size(), 2u);
  EXPECT_EQ(study.layers[1].name, "viable_epidermis");
  EXPECT_EQ(study.layers[0].config_line, path.string() + ":14");
  EXPECT_DOUBLE_EQ(study.applied_ug_per_cm2(), 100.0);  // 50 mg/mL × 2 µL/cm²
  EXPECT_EQ(study.protocol.output_times_s.size(), 24u);
}

TEST_F(ConfigFiles, LoadsAFileAndNamesItInErrors) {
  const fs::path good = write("good.toml", kBase);
  EXPECT_EQ(poreflux::load_study(good.string()).source_file, good.string());

  const fs::path bad = write("bad.toml", base_with_line(12, "thickness = \"0 um\""));
  try {
    poreflux::load_study(bad.string());
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(bad.string() + ":12: key 'layer[2].thickness'", 0), 0u) << error.what();
  }
}

// ---------------------------------------------------------------- bad configs

TEST(ConfigErrors, WrongUnitReadsAsDocumented) {
  const ConfigError error = error_for(base_with_line(12, "thickness = \"80 kg\""), "configs/x.toml");
  EXPECT_STREQ(error.what(),
               "configs/x.toml:12: key 'layer[2].thickness' (\"viable_epidermis\"): expected a "
               "length such as \"80 um\" (units: nm, um, µm, mm, cm, m); got \"80 kg\"");
  EXPECT_EQ(error.subject(), "viable_epidermis");
}

TEST(ConfigErrors, UnitOfAnotherDimension) {
  expect_error(base_with_line(16, "duration = \"24 um\""), 16, "protocol.duration",
               {"expected a time such as \"24 h\"", "(units: ms, s, min, h, d)", "which is a length"});
}

TEST(ConfigErrors, MissingUnit) {
  expect_error(base_with_line(3, "concentration = \"150\""), 3, "vehicle.concentration",
               {"which has no unit", "units: ug/cm3, ug/mL, mg/mL"});
}

TEST(ConfigErrors, NumberInsteadOfQuantityString) {
  expect_error(base_with_line(7, "thickness = 16.8"), 7, "layer[1].thickness",
               {"got 16.8 (a float), which has no unit", "write it as a string, e.g. \"16.8 um\""});
}

TEST(ConfigErrors, MissingRequiredKey) {
  expect_error(base_with_line(7, ""), 5, "layer[1].thickness",
               {"(\"stratum_corneum\")", "required key is missing in [[layer]] #1",
                "give a length between 0.1 um and 10 mm", "such as \"80 um\""});
}

TEST(ConfigErrors, MissingDiffusivityWithoutCompoundSaysHowToDeriveIt) {
  expect_error(base_with_line(13, ""), 10, "layer[2].diffusivity",
               {"required key is missing", "cannot be derived without the active's molecular weight and log Kow",
                "give it here", "name a library compound in [compound]"});
}

TEST(ConfigErrors, MisspelledRequiredKeyIsPointedOut) {
  expect_error(base_with_line(12, "thikness = \"80 um\""), 10, "layer[2].thickness",
               {"required key is missing", "is 'thikness' on line 12 a misspelling of it?"});
}

TEST(ConfigErrors, NegativeThickness) {
  expect_error(base_with_line(12, "thickness = \"-5 um\""), 12, "layer[2].thickness",
               {"expected a length between 0.1 um and 10 mm", "not a layer", "got \"-5 um\""});
}

TEST(ConfigErrors, ZeroThickness) {
  expect_error(base_with_line(7, "thickness = \"0 um\""), 7, "layer[1].thickness",
               {"expected a length between 0.1 um and 10 mm", "got \"0 um\""});
}

TEST(ConfigErrors, UnknownKeyInLayer) {
  expect_error(base_with_inserted(14, "max_cel = \"1 um\""), 15, "layer[2].max_cel",
               {"unknown key 'max_cel' in [[layer]] #2; valid keys: name, role, thickness, diffusivity, "
                "partition, max_cell, degradation_rate, degradation_half_life, clearance_rate",
                "(did you mean 'max_cell'?)"});
}

TEST(ConfigErrors, UnknownTopLevelSection) {
  expect_error(kBase + "[treatmant]\ndevice = \"roller\"\n", 17, "treatmant",
               {"unknown key 'treatmant' at the top level; valid keys: title, compound, vehicle, "
                "skin, boundary, layer, protocol, numerics, output, treatment, calibration"});
}

TEST(ConfigErrors, UnknownKeyInSection) {
  expect_error(base_with_inserted(4, "colour = \"red\""), 5, "vehicle.colour",
               {"unknown key 'colour' in [vehicle]; valid keys: dose, volume_per_area, "
                "film_thickness, concentration, dose_per_area"});
}

TEST(ConfigErrors, NanQuantity) {
  expect_error(base_with_line(8, "diffusivity = \"nan cm2/s\""), 8, "layer[1].diffusivity",
               {"not a finite number", "(units: cm2/s, cm^2/s"});
}

TEST(ConfigErrors, NanNumber) {
  expect_error(kBase + "[numerics]\nrtol = nan\n", 18, "numerics.rtol",
               {"expected a number in (0, 0.1) such as 1e-5", "not a finite number"});
}

TEST(ConfigErrors, InfiniteDuration) {
  expect_error(base_with_line(16, "duration = \"inf h\""), 16, "protocol.duration",
               {"not a finite number", "expected a time"});
}

TEST(ConfigErrors, NonIncreasingOutputTimes) {
  expect_error(kBase + "output_times = [\n  \"1 h\",\n  \"3 h\",\n  \"2 h\",\n]\n", 20, "protocol.output_times[3]",
               {"output times must be strictly increasing; \"2 h\" does not come after \"3 h\""});
}

TEST(ConfigErrors, OutputTimeBeyondDuration) {
  expect_error(kBase + "output_times = [\"1 h\", \"25 h\"]\n", 17, "protocol.output_times[2]",
               {"must not exceed the duration \"24 h\"", "got \"25 h\""});
}

TEST(ConfigErrors, NonPositiveOutputTime) {
  expect_error(kBase + "output_times = [\"0 h\"]\n", 17, "protocol.output_times[1]", {"expected a time > 0"});
}

TEST(ConfigErrors, OutputIntervalAndTimesBoth) {
  expect_error(
      kBase + "output_interval = \"1 h\"\noutput_times = [\"1 h\"]\n", 18, "protocol.output_times",
      {"give either 'output_interval' or 'output_times', not both", "'output_interval' is already given on line 17"});
}

TEST(ConfigErrors, TooManyOutputTimes) {
  expect_error(kBase + "output_interval = \"1 ms\"\n", 17, "protocol.output_interval",
               {"8.64e+07 output times", "at most 100000"});
}

TEST(ConfigErrors, WipeAfterDuration) {
  expect_error(kBase + "wipe_at = \"30 h\"\n", 17, "protocol.wipe_at",
               {"the wipe must come before the end of the study", "< the duration \"24 h\"", "got \"30 h\""});
}

TEST(ConfigErrors, WipeAtDuration) {
  expect_error(kBase + "wipe_at = \"1 d\"\n", 17, "protocol.wipe_at", {"< the duration"});
}

TEST(ConfigErrors, DoseGivenTwice) {
  expect_error(
      base_with_inserted(4, "dose_per_area = \"300 ug/cm2\""), 5, "vehicle.dose_per_area",
      {"give either 'concentration' or 'dose_per_area', not both", "'concentration' is already given on line 3"});
}

TEST(ConfigErrors, NoDoseAtAll) {
  expect_error(base_with_line(3, ""), 2, "vehicle.concentration",
               {"required key is missing in [vehicle]; give either 'concentration' or "
                "'dose_per_area'",
                "concentration = \"150 mg/mL\""});
}

TEST(ConfigErrors, FilmGivenTwice) {
  expect_error(base_with_inserted(3, "film_thickness = \"20 um\""), 5, "vehicle.volume_per_area",
               {"give either 'volume_per_area' or 'film_thickness', not both"});
}

TEST(ConfigErrors, BadEnumValue) {
  expect_error(kBase + "[boundary]\nbottom = \"sideways\"\n", 18, "boundary.bottom",
               {"expected one of \"in_vitro\", \"in_vivo\"; got \"sideways\" (a string)"});
}

TEST(ConfigErrors, BadBackend) {
  expect_error(kBase + "[numerics]\nbackend = \"gpu\"\n", 18, "numerics.backend",
               {"expected one of \"auto\", \"cpu\", \"cuda\""});
}

TEST(ConfigErrors, BadMethodAndLinearSolver) {
  expect_error(kBase + "[numerics]\nmethod = \"euler\"\n", 18, "numerics.method",
               {"expected one of \"auto\", \"rkc\", \"implicit\", \"esdirk\"; got \"euler\""});
  expect_error(kBase + "[numerics]\nlinear_solver = \"lu\"\n", 18, "numerics.linear_solver",
               {"expected one of \"auto\", \"direct\", \"krylov\"; got \"lu\""});
}

TEST(ConfigErrors, ClearanceWithInVitroBottom) {
  expect_error(base_with_inserted(14, "clearance_rate = \"1e-4 1/s\""), 15, "layer[2].clearance_rate",
               {"only allowed with [boundary] bottom = \"in_vivo\"", "remove it or set bottom"});
  // Explicit in_vitro is the same; in_vivo is accepted.
  const std::string in_vitro = "[boundary]\nbottom = \"in_vitro\"\n";
  expect_error(base_with_inserted(14, "clearance_rate = \"1e-4 1/s\"") + in_vitro, 15, "layer[2].clearance_rate",
               {"only allowed with"});
  const std::string in_vivo = "[boundary]\nbottom = \"in_vivo\"\n";
  EXPECT_NO_THROW(parse_study(base_with_inserted(14, "clearance_rate = \"1e-4 1/s\"") + in_vivo, "s.toml"));
}

TEST(ConfigErrors, DuplicateLayerName) {
  expect_error(base_with_line(11, "name = \"stratum_corneum\""), 11, "layer[2].name",
               {"layer names must be unique", "[[layer]] #1 (study.toml:5)"});
}

TEST(ConfigErrors, SingleBracketLayer) {
  // [layer] followed by [[layer]] is already a TOML syntax error, so use a single layer.
  const std::string single =
      "[vehicle]\nconcentration = \"1 mg/mL\"\nfilm_thickness = \"10 um\"\n"
      "[layer]\nname = \"sc\"\n[protocol]\nduration = \"1 h\"\n";
  expect_error(single, 4, "layer", {"expected one or more [[layer]] tables", "got a single [layer] table"});
}

TEST(ConfigErrors, MissingSection) {
  std::vector<std::string> lines = lines_of(kBase);
  lines.resize(14);  // drop [protocol]
  expect_error(joined(lines), 1, "protocol",
               {"required table [protocol] is missing; it needs at least duration = \"24 h\"", "docs/CONFIG.md"});
}

TEST(ConfigErrors, NumberOutOfRange) {
  expect_error(kBase + "[numerics]\nrtol = 0.5\n", 18, "numerics.rtol",
               {"expected a number in (0, 0.1) such as 1e-5; got 0.5 (a float)"});
  expect_error(base_with_inserted(4, "ph = 15"), 5, "vehicle.ph", {"expected a number in [0, 14]"});
}

TEST(ConfigErrors, QuotedNumber) {
  expect_error(base_with_line(9, "partition = \"1.2\""), 9, "layer[1].partition",
               {"expected a number between 1e-12 and 1e12", "such as 1.2", "write it without quotes"});
}

TEST(ConfigErrors, RateAndHalfLifeBoth) {
  expect_error(base_with_inserted(4, "degradation_rate = \"1e-6 1/s\"\ndegradation_half_life = \"1 h\""), 6,
               "vehicle.degradation_half_life",
               {"give either 'degradation_rate' or 'degradation_half_life', not both"});
}

TEST(ConfigErrors, TomlSyntaxErrorHasItsLine) {
  const ConfigError error = error_for(base_with_line(13, "diffusivity = "));
  EXPECT_EQ(error.line(), 13);
  EXPECT_EQ(std::string(error.what()).rfind("study.toml:13: TOML syntax error: ", 0), 0u) << error.what();
  EXPECT_NE(std::string(error.what()).find("expected"), std::string::npos) << error.what();
}

TEST(ConfigErrors, DuplicateTomlKeyIsASyntaxError) {
  const ConfigError error = error_for(base_with_inserted(7, "thickness = \"20 um\""));
  EXPECT_EQ(error.line(), 8);
  EXPECT_NE(std::string(error.what()).find("thickness"), std::string::npos) << error.what();
}

TEST_F(ConfigFiles, MissingFile) {
  const std::string path = (dir_ / "nope.toml").string();
  try {
    poreflux::load_study(path);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(error.file(), path);
    EXPECT_EQ(error.line(), 0);
    EXPECT_EQ(std::string(error.what()), path +
                                             ": cannot read the config: no such file; give the path of a readable TOML "
                                             "study file (see docs/CONFIG.md)");
  }
}

TEST_F(ConfigFiles, DirectoryInsteadOfFile) {
  try {
    poreflux::load_study(dir_.string());
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(dir_.string() + ": cannot read the config: it is a directory", 0), 0u)
        << error.what();
  }
}

TEST_F(ConfigFiles, UnreadableFile) {
  const fs::path path = write("locked.toml", kBase);
  fs::permissions(path, fs::perms::none);
  if (std::ifstream(path).good()) GTEST_SKIP() << "running with rights that ignore permissions";
  try {
    poreflux::load_study(path.string());
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    EXPECT_EQ(std::string(error.what()).rfind(path.string() + ": cannot read the config: ", 0), 0u) << error.what();
    EXPECT_NE(std::string(error.what()).find("give the path of a readable TOML"), std::string::npos);
  }
}

// The complete example in docs/CONFIG.md must stay valid.
TEST(ConfigDocs, CompleteExampleLoads) {
  const fs::path doc = source_dir() / "docs" / "CONFIG.md";
  std::ifstream in(doc);
  if (!in) GTEST_SKIP() << "no " << doc;
  std::string example, line;
  bool inside = false, in_section = false;
  while (std::getline(in, line)) {
    if (line.rfind("## A complete example", 0) == 0) in_section = true;
    if (!in_section) continue;
    if (line == "```toml") {
      inside = true;
    } else if (inside && line == "```") {
      break;
    } else if (inside) {
      example += line + "\n";
    }
  }
  const Study study = parse_study(example, "CONFIG.md example");
  EXPECT_EQ(study.layers.size(), 3u);
  EXPECT_EQ(study.bottom, poreflux::BottomBoundary::clearance);
  EXPECT_EQ(study.protocol.output_times_s.back(), 86400.0);
}

TEST(ConfigErrorType, CarriesItsParts) {
  const ConfigError error("a.toml", 3, "vehicle.ph", "expected a number", "");
  EXPECT_STREQ(error.what(), "a.toml:3: key 'vehicle.ph': expected a number");
  EXPECT_EQ(error.message(), "expected a number");
  const ConfigError no_key("a.toml", 0, "", "cannot read");
  EXPECT_STREQ(no_key.what(), "a.toml: cannot read");
}
