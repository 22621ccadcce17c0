// A formulator's first hour (issue 20): amounts as formulators write them (per mass of
// formulation, converted with the vehicle's density), and messages that point at the fix.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <string>
#include <vector>

#include "config/table_reader.hpp"
#include "poreflux/config.hpp"
#include "poreflux/units.hpp"
#include "poreflux/vehicle.hpp"
#include "study/summary_json.hpp"

namespace {

using poreflux::ConfigError;
using poreflux::parse_study;
using poreflux::Study;

// A valid study whose [vehicle] lines are given by the test, from line 3 on.
std::string study_with_vehicle(const std::string& vehicle_lines, const std::string& protocol_extra = "") {
  return "title = \"formulator\"\n"  // 1
         "[vehicle]\n"               // 2
         + vehicle_lines +           // 3...
         "[[layer]]\n"
         "name = \"stratum_corneum\"\n"
         "thickness = \"16.8 um\"\n"
         "diffusivity = \"2.9e-12 cm2/s\"\n"
         "partition = 1.2\n"
         "[protocol]\n"
         "duration = \"24 h\"\n"
         "output_interval = \"1 h\"\n" +
         protocol_extra;
}

ConfigError error_for(const std::string& text) {
  try {
    parse_study(text, "study.toml");
  } catch (const ConfigError& error) {
    return error;
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << text;
  return ConfigError("study.toml", 0, "", "no error");
}

// The error names the file, the line and the key, and says each of `fragments`.
void expect_error(const std::string& text, int line, const std::string& key,
                  const std::vector<std::string>& fragments) {
  const ConfigError error = error_for(text);
  const std::string what = error.what();
  EXPECT_EQ(error.file(), "study.toml") << what;
  EXPECT_EQ(error.line(), line) << what;
  EXPECT_EQ(error.key_path(), key) << what;
  EXPECT_EQ(what.rfind("study.toml:" + std::to_string(line) + ": key '" + key + "'", 0), 0u) << what;
  for (const std::string& fragment : fragments)
    EXPECT_NE(what.find(fragment), std::string::npos) << "missing \"" << fragment << "\" in: " << what;
}

bool mentions(const std::vector<std::string>& lines, const std::string& fragment) {
  for (const std::string& line : lines)
    if (line.find(fragment) != std::string::npos) return true;
  return false;
}

// ---- concentrations per mass of formulation ----

struct MassUnitCase {
  const char* text;
  double fraction;  // of the formulation's mass
};

class MassFraction : public ::testing::TestWithParam<MassUnitCase> {};

TEST_P(MassFraction, TimesTheGivenDensityIsTheConcentration) {
  const MassUnitCase& c = GetParam();
  const Study study = parse_study(study_with_vehicle("concentration = \"" + std::string(c.text) +
                                                     "\"\nvolume_per_area = \"2 uL/cm2\"\ndensity = \"1.02 g/mL\"\n"),
                                  "study.toml");
  EXPECT_NEAR(study.vehicle.concentration_ug_per_cm3, c.fraction * 1.02e6, 1e-9 * c.fraction * 1.02e6) << c.text;
  ASSERT_TRUE(study.vehicle.density_g_per_cm3);
  EXPECT_DOUBLE_EQ(study.vehicle.density_g_per_cm3->value, 1.02);
  ASSERT_EQ(study.vehicle.conversions.size(), 1u);
  EXPECT_TRUE(mentions(study.vehicle.conversions, std::string("\"") + c.text + "\" x density 1.02 g/mL (config)"))
      << study.vehicle.conversions[0];
}

INSTANTIATE_TEST_SUITE_P(Units, MassFraction,
                         ::testing::Values(MassUnitCase{"10 % w/w", 0.10}, MassUnitCase{"10 %w/w", 0.10},
                                           MassUnitCase{"10 wt%", 0.10}, MassUnitCase{"10 wt %", 0.10},
                                           MassUnitCase{"100 mg/g", 0.10}, MassUnitCase{"2500 ug/g", 0.0025},
                                           MassUnitCase{"500 ppm", 5e-4}, MassUnitCase{"10 % W/W", 0.10}),
                         [](const ::testing::TestParamInfo<MassUnitCase>& info) {
                           std::string name;
                           for (const char* c = info.param.text; *c; ++c)
                             name += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
                           return name + "_" + std::to_string(info.index);
                         });

TEST(MassFraction, ParsedAloneAndNotAConcentrationPerVolume) {
  EXPECT_DOUBLE_EQ(*poreflux::parse_mass_fraction("5 % w/w"), 0.05);
  EXPECT_FALSE(poreflux::parse_mass_fraction("5 % w/v"));  // per volume: parse_quantity's
  EXPECT_FALSE(poreflux::parse_mass_fraction("5 mg/mL"));
  EXPECT_THROW(poreflux::parse_mass_fraction("150 % w/w"), poreflux::QuantityError);
  EXPECT_THROW(poreflux::parse_mass_fraction("% w/w"), poreflux::QuantityError);
  // Per mass is not per volume: the volume units do not take it.
  EXPECT_THROW(poreflux::parse_quantity("10 % w/w", poreflux::Dimension::concentration), poreflux::QuantityError);
}

TEST(MassFraction, DensityFromTheComposition) {
  const Study study = parse_study(
      study_with_vehicle(
          "concentration = \"10 % w/w\"\nvolume_per_area = \"2 uL/cm2\"\ncomposition = \"aqueous serum\"\n"),
      "study.toml");
  // The volume-weighted mean of the preset's components' densities, from the library itself.
  const poreflux::VehiclePreset* preset = poreflux::find_vehicle_preset("aqueous serum");
  ASSERT_NE(preset, nullptr);
  double density = 0.0;
  for (const auto& [name, fraction] : preset->composition)
    density += fraction * poreflux::find_vehicle_component(name)->density_g_per_cm3;
  ASSERT_TRUE(study.vehicle.density_g_per_cm3);
  EXPECT_NEAR(study.vehicle.density_g_per_cm3->value, density, 1e-12);
  EXPECT_GT(density, 0.95);
  EXPECT_LT(density, 1.1);
  EXPECT_NEAR(study.vehicle.concentration_ug_per_cm3, 0.1 * density * 1e6, 1e-6);
  EXPECT_TRUE(mentions(study.vehicle.conversions, "composition \"aqueous serum\""));
}

TEST(MassFraction, TheGivenDensityWinsOverTheComposition) {
  const Study study = parse_study(study_with_vehicle("concentration = \"10 % w/w\"\nvolume_per_area = \"2 uL/cm2\"\n"
                                                     "composition = \"aqueous serum\"\ndensity = \"1.2 g/mL\"\n"),
                                  "study.toml");
  EXPECT_NEAR(study.vehicle.concentration_ug_per_cm3, 0.12e6, 1e-6);
}

TEST(MassFraction, PerVolumeNeedsNoDensityAndIsNotAConversion) {
  const Study study =
      parse_study(study_with_vehicle("concentration = \"15 % w/v\"\nvolume_per_area = \"2 uL/cm2\"\n"), "study.toml");
  EXPECT_DOUBLE_EQ(study.vehicle.concentration_ug_per_cm3, 150e3);
  EXPECT_TRUE(study.vehicle.conversions.empty());
  EXPECT_FALSE(study.vehicle.density_g_per_cm3);
}

TEST(MassFraction, ALaterApplicationPerMassUsesTheSameDensity) {
  const Study study = parse_study(
      study_with_vehicle("concentration = \"10 % w/w\"\nvolume_per_area = \"2 uL/cm2\"\ndensity = \"1.1 g/mL\"\n",
                         "[[protocol.application]]\nat = \"12 h\"\nconcentration = \"5 wt%\"\nformulation_per_area = "
                         "\"4.4 mg/cm2\"\n"),
      "study.toml");
  ASSERT_EQ(study.protocol.applications.size(), 1u);
  EXPECT_NEAR(study.protocol.applications[0].concentration_ug_per_cm3, 0.05 * 1.1e6, 1e-6);
  EXPECT_NEAR(study.protocol.applications[0].film_thickness_cm, 4.4e-3 / 1.1, 1e-15);  // 4 uL/cm2
  EXPECT_EQ(study.vehicle.conversions.size(), 3u);
}

TEST(MassFraction, ResolvedConfigReadsBackToTheSameAmounts) {
  const Study study =
      parse_study(study_with_vehicle("concentration = \"10 % w/w\"\nformulation_per_area = \"2 mg/cm2\"\n"
                                     "density = \"0.98 g/mL\"\n"),
                  "study.toml");
  const Study again = parse_study(study.resolved_toml, "resolved.toml");
  EXPECT_EQ(again.vehicle.concentration_ug_per_cm3, study.vehicle.concentration_ug_per_cm3);
  EXPECT_EQ(again.vehicle.film_thickness_cm, study.vehicle.film_thickness_cm);
  ASSERT_TRUE(again.vehicle.density_g_per_cm3);
  EXPECT_DOUBLE_EQ(again.vehicle.density_g_per_cm3->value, 0.98);
}

TEST(MassFraction, SummaryJsonCarriesTheConversionAndDensity) {
  const Study study = parse_study(study_with_vehicle("concentration = \"10 % w/w\"\nvolume_per_area = \"2 uL/cm2\"\n"
                                                     "density = \"1.02 g/mL\"\n"),
                                  "study.toml");
  poreflux::RunResult run;
  run.duration_h = 24.0;
  run.applied_ug_per_cm2 = study.applied_ug_per_cm2();
  const nlohmann::json j = nlohmann::json::parse(poreflux::summary_json(study, run));
  EXPECT_DOUBLE_EQ(j.at("vehicle").at("density_g_per_mL").get<double>(), 1.02);
  ASSERT_EQ(j.at("vehicle").at("conversions").size(), 1u);
  EXPECT_NE(j["vehicle"]["conversions"][0].get<std::string>().find("= 102 mg/mL"), std::string::npos);
}

// ---- dose as mg of formulation per cm2 ----

TEST(FormulationPerArea, MassOverDensityIsTheFilm) {
  const Study study =
      parse_study(study_with_vehicle("concentration = \"150 mg/mL\"\nformulation_per_area = \"2 mg/cm2\"\n"
                                     "density = \"1.0 g/mL\"\n"),
                  "study.toml");
  EXPECT_DOUBLE_EQ(study.vehicle.film_thickness_cm, 2e-3);  // 2 uL/cm2, 20 um
  EXPECT_DOUBLE_EQ(study.applied_ug_per_cm2(), 300.0);
  EXPECT_TRUE(
      mentions(study.vehicle.conversions, "\"2 mg/cm2\" / density 1 g/mL (config) = 2 uL/cm2 (a film of 20 um)"));
}

TEST(FormulationPerArea, WithAComposition) {
  const Study study =
      parse_study(study_with_vehicle("concentration = \"1 % w/w\"\nformulation_per_area = \"2 mg/cm2\"\n"
                                     "composition = \"o/w cream\"\n"),
                  "study.toml");
  const double density = study.vehicle.density_g_per_cm3->value;
  EXPECT_NEAR(study.vehicle.film_thickness_cm, 2e-3 / density, 1e-15);
  // 1 % of 2 mg of cream per cm2 is 20 ug/cm2 of active, whatever the density.
  EXPECT_NEAR(study.applied_ug_per_cm2(), 20.0, 1e-9);
}

// ---- refused, naming the file, line, key and the fix ----

TEST(AmountErrors, MassFractionWithoutADensitySaysHowToGiveOne) {
  expect_error(study_with_vehicle("concentration = \"10 % w/w\"\nvolume_per_area = \"2 uL/cm2\"\n"), 3,
               "vehicle.concentration",
               {"\"10 % w/w\" is a mass fraction", "density = \"1.0 g/mL\"", "at 1.0 g/mL, 10 % w/w is 100 mg/mL",
                "composition = \"aqueous serum\"", "units: ug/cm3, ug/mL, mg/mL"});
}

TEST(AmountErrors, BarePercentIsAmbiguous) {
  expect_error(study_with_vehicle("volume_per_area = \"2 uL/cm2\"\nconcentration = \"10 %\"\n"), 4,
               "vehicle.concentration", {"a bare % is ambiguous", "\"10 % w/w\"", "\"10 % w/v\""});
}

TEST(AmountErrors, UnknownUnitNamesBothKindsAndTheConversion) {
  expect_error(study_with_vehicle("concentration = \"0.5 mol/L\"\nvolume_per_area = \"2 uL/cm2\"\n"), 3,
               "vehicle.concentration",
               {"(units: ug/cm3, ug/mL, mg/mL, mg/cm3, g/L, % w/v)", "a mass fraction (% w/w, wt%, mg/g, ug/g, ppm)",
                "converted with the formulation's density", "10 % w/w is 100 mg/mL"});
}

TEST(AmountErrors, MassFractionAboveTheWhole) {
  expect_error(
      study_with_vehicle("concentration = \"120 % w/w\"\nvolume_per_area = \"2 uL/cm2\"\ndensity = \"1 g/mL\"\n"), 3,
      "vehicle.concentration", {"not between 0 and 100 %"});
}

TEST(AmountErrors, DensityWithoutUnit) {
  expect_error(study_with_vehicle("concentration = \"10 % w/w\"\nvolume_per_area = \"2 uL/cm2\"\ndensity = 1.02\n"), 5,
               "vehicle.density", {"which has no unit", "e.g. \"1.02 g/mL\""});
}

TEST(AmountErrors, DensityOutOfRange) {
  expect_error(
      study_with_vehicle("concentration = \"10 % w/w\"\nvolume_per_area = \"2 uL/cm2\"\ndensity = \"5 g/mL\"\n"), 5,
      "vehicle.density", {"between 0.5 and 2.5 g/mL", "got \"5 g/mL\""});
}

TEST(AmountErrors, FormulationPerAreaWithoutADensity) {
  expect_error(study_with_vehicle("concentration = \"150 mg/mL\"\nformulation_per_area = \"2 mg/cm2\"\n"), 4,
               "vehicle.formulation_per_area",
               {"\"2 mg/cm2\" of formulation", "density = \"1.0 g/mL\"", "at 1.0 g/mL, 2 mg/cm2 is 2 uL/cm2"});
}

TEST(AmountErrors, FormulationPerAreaAndVolumeTogether) {
  expect_error(study_with_vehicle("concentration = \"150 mg/mL\"\nvolume_per_area = \"2 uL/cm2\"\n"
                                  "formulation_per_area = \"2 mg/cm2\"\ndensity = \"1 g/mL\"\n"),
               5, "vehicle.formulation_per_area",
               {"give either 'volume_per_area' or 'formulation_per_area', not both"});
}

TEST(AmountErrors, NoFilmAtAllMentionsTheMassForm) {
  expect_error(study_with_vehicle("concentration = \"150 mg/mL\"\n"), 2, "vehicle.volume_per_area",
               {"required key is missing in [vehicle]", "formulation_per_area = \"2 mg/cm2\""});
}

// ---- messages that point at the fix (issue 20): the mistakes a new user made, one row each ----

// A valid treated study; the mistakes below edit one line of it (line numbers in the comments).
const std::string kTreated =
    "title = \"first hour\"\n"          // 1
    "[compound]\n"                      // 2
    "name = \"niacinamide\"\n"          // 3
    "[vehicle]\n"                       // 4
    "concentration = \"5 % w/v\"\n"     // 5
    "volume_per_area = \"2 uL/cm2\"\n"  // 6
    "ph = 6\n"                          // 7
    "[skin]\n"                          // 8
    "site = \"forearm\"\n"              // 9
    "[protocol]\n"                      // 10
    "duration = \"24 h\"\n"             // 11
    "output_interval = \"1 h\"\n"       // 12
    "[treatment]\n"                     // 13
    "device = \"pen\"\n"                // 14
    "needle_length = \"0.5 mm\"\n"      // 15
    "[[layer]]\n"                       // 16
    "name = \"stratum_corneum\"\n"      // 17
    "max_cell = \"1 um\"\n"             // 18
    "[[layer]]\n"                       // 19
    "name = \"viable_epidermis\"\n"     // 20
    "[[layer]]\n"                       // 21
    "name = \"dermis\"\n";              // 22

std::string treated_with_line(int number, const std::string& replacement) {
  std::string text;
  int line = 1;
  std::size_t start = 0;
  while (start < kTreated.size()) {
    const std::size_t end = kTreated.find('\n', start);
    text += (line == number ? replacement : kTreated.substr(start, end - start)) + "\n";
    start = end + 1;
    ++line;
  }
  return text;
}

struct Mistake {
  const char* name;
  int line;                 // the line replaced
  const char* replacement;  // what the user wrote there
  int error_line;
  const char* key;
  std::vector<std::string> fragments;  // what the message must say
};

class Mistakes : public ::testing::TestWithParam<Mistake> {};

TEST_P(Mistakes, PointAtTheFix) {
  const Mistake& m = GetParam();
  expect_error(treated_with_line(m.line, m.replacement), m.error_line, m.key, m.fragments);
}

const Mistake kMistakes[] = {
    {"treatment_header_deleted",
     13,
     "",
     14,
     "protocol.device",
     {"unknown key 'device' in [protocol]", "'device' is a key of [treatment]", "the [treatment] header seems missing",
      "above line 14"}},
    {"vehicle_header_deleted",
     4,
     "",
     5,
     "compound.concentration",
     {"unknown key 'concentration' in [compound]", "'concentration' is a key of [vehicle]",
      "the [vehicle] header seems missing"}},
    {"treatment_key_under_protocol",
     12,
     "needle_length = \"0.5 mm\"",
     12,
     "protocol.needle_length",
     {"'needle_length' is a key of [treatment]: move it there"}},
    {"needle_length_without_unit",
     15,
     "needle_length = 1.5",
     15,
     "treatment.needle_length",
     {"got 1.5 (a float), which has no unit", "e.g. \"1.5 mm\""}},
    {"max_cell_without_unit", 18, "max_cell = 1.5", 18, "layer[1].max_cell", {"which has no unit", "e.g. \"1.5 um\""}},
    {"duration_without_unit", 11, "duration = 24", 11, "protocol.duration", {"which has no unit", "e.g. \"24 h\""}},
    {"film_without_unit",
     6,
     "volume_per_area = 2",
     6,
     "vehicle.volume_per_area",
     {"which has no unit", "e.g. \"2 uL/cm2\""}},
    {"ph_capitalised", 7, "pH = 6", 7, "vehicle.pH", {"unknown key 'pH' in [vehicle]", "(did you mean 'ph'?)"}},
    {"section_capitalised",
     4,
     "[Vehicle]",
     4,
     "vehicle",
     {"required table [vehicle] is missing", "is 'Vehicle' on line 4 a misspelling of it?"}},
    {"device_misspelt",
     14,
     "device = \"rollr\"",
     14,
     "treatment.device",
     {"got \"rollr\"", "did you mean \"dermaroller\"?"}},
    {"device_vague",
     14,
     "device = \"roller\"",
     14,
     "treatment.device",
     {"expected one of \"dermaroller\", \"pen\", \"stamp\", \"channels\"", "did you mean \"dermaroller\"?"}},
    {"choice_capitalised",
     9,
     "site = \"forearm\"\n[boundary]\nbottom = \"In_vivo\"",
     11,
     "boundary.bottom",
     {"expected one of \"in_vitro\", \"in_vivo\"", "(did you mean \"in_vivo\"?)"}},
    {"bare_percent",
     5,
     "concentration = \"5 %\"",
     5,
     "vehicle.concentration",
     {"a bare % is ambiguous", "\"5 % w/w\""}},
    {"mass_fraction_without_density",
     5,
     "concentration = \"5 % w/w\"",
     5,
     "vehicle.concentration",
     {"is a mass fraction", "density = \"1.0 g/mL\"", "composition"}},
    {"compound_abbreviated",
     3,
     "name = \"vit C\"",
     3,
     "compound.name",
     {"unknown compound \"vit C\"", "did you mean \"L-ascorbic acid\""}},
};

INSTANTIATE_TEST_SUITE_P(FirstHour, Mistakes, ::testing::ValuesIn(kMistakes),
                         [](const ::testing::TestParamInfo<Mistake>& info) { return std::string(info.param.name); });

TEST(Mistakes, TheUneditedStudyIsValid) { EXPECT_NO_THROW(parse_study(kTreated, "study.toml")); }

// The following the advice of a message gives a valid study (no second error).
TEST(Mistakes, FollowingTheUnitAdviceGivesAValidStudy) {
  EXPECT_NO_THROW(parse_study(treated_with_line(15, "needle_length = \"1.5 mm\""), "study.toml"));
  EXPECT_NO_THROW(parse_study(treated_with_line(18, "max_cell = \"1.5 um\""), "study.toml"));
}

struct Synonym {
  const char* name;
  int line;
  const char* replacement;
  const char* device;    // the device it is read as ("" to check the compound)
  const char* compound;  // the library compound it is read as ("" to check the device)
  const char* note;      // a note that must be printed ("" for none)
};

class Synonyms : public ::testing::TestWithParam<Synonym> {};

TEST_P(Synonyms, AreReadAsTheLibraryName) {
  const Synonym& c = GetParam();
  const Study study = parse_study(treated_with_line(c.line, c.replacement), "study.toml");
  if (*c.device) {
    ASSERT_TRUE(study.treatment);
    EXPECT_EQ(study.treatment->device, c.device);
  }
  if (*c.compound) EXPECT_EQ(study.compound.name, c.compound);
  if (*c.note) EXPECT_TRUE(mentions(study.notes, c.note)) << (study.notes.empty() ? "no notes" : study.notes[0]);
  else EXPECT_TRUE(study.notes.empty());
}

const Synonym kSynonyms[] = {
    {"dermapen", 14, "device = \"dermapen\"", "pen", "", "study.toml:14: device = \"dermapen\" read as \"pen\""},
    {"microneedle_pen", 14, "device = \"microneedle pen\"", "pen", "", "device = \"microneedle pen\" read as \"pen\""},
    {"derma_roller", 14, "device = \"derma roller\"", "dermaroller", "",
     "device = \"derma roller\" read as \"dermaroller\""},
    {"Dermaroller", 14, "device = \"Dermaroller\"", "dermaroller", "", "read as \"dermaroller\""},
    {"pen", 14, "device = \"pen\"", "pen", "", ""},
    {"vitamin_C", 3, "name = \"vitamin C\"", "", "L-ascorbic acid", ""},
    {"vitamin_B3", 3, "name = \"Vitamin B3\"", "", "niacinamide", ""},
    {"nicotinamide", 3, "name = \"nicotinamide\"", "", "niacinamide", ""},
};

INSTANTIATE_TEST_SUITE_P(FirstHour, Synonyms, ::testing::ValuesIn(kSynonyms),
                         [](const ::testing::TestParamInfo<Synonym>& info) { return std::string(info.param.name); });

// The schema that says where a key belongs holds every key the readers ask for: the shipped
// configs, the validation studies, the test data and the fuzz corpus (every device and option)
// are read, and each key asked in a table of the schema must be listed there.
TEST(Schema, HoldsEveryKeyTheReadersAskFor) {
  namespace fs = std::filesystem;
  const fs::path root = fs::path(POREFLUX_SOURCE_DIR);
  std::size_t read = 0;
  for (const char* folder : {"configs", "configs/validation", "tests/data", "tests/fuzz_corpus"}) {
    for (const fs::directory_entry& entry : fs::directory_iterator(root / folder)) {
      if (entry.path().extension() != ".toml") continue;
      try {
        poreflux::load_study(entry.path().string());
        ++read;
      } catch (const ConfigError&) {
        // sweeps, populations and files that are not studies: what was asked still counts
      }
    }
  }
  EXPECT_GT(read, 20u);
  std::size_t checked = 0;
  for (const auto& [table, key] : poreflux::config::keys_asked()) {
    const poreflux::config::SchemaTable* listed = nullptr;
    for (const auto& t : poreflux::config::study_schema())
      if (t.path == table) listed = &t;
    if (listed == nullptr) continue;  // tables of names or values (composition, log_kow = { ... })
    ++checked;
    EXPECT_NE(std::find(listed->keys.begin(), listed->keys.end(), key), listed->keys.end())
        << "key '" << key << "' of [" << table
        << "] is read but missing from study_schema() (src/config/table_reader.cpp)";
  }
  EXPECT_GT(checked, 80u);
}

}  // namespace
