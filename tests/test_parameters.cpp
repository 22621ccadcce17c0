// The compound library, the resolve step (derived D, K, clearance with their provenance),
// ionisation, applicability warnings, skin sites and calibration (docs/PARAMETERS.md).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "calibration/fit_factors.hpp"
#include "calibration/ivpt_data.hpp"
#include "parameters/ionisation.hpp"
#include "poreflux/config.hpp"
#include "poreflux/library.hpp"
#include "study/run_study.hpp"

namespace fs = std::filesystem;
using poreflux::ConfigError;
using poreflux::parse_study;
using poreflux::Study;

namespace {

// An intact study by name: the compound from the library, the layers from the site.
std::string named_study(const std::string& compound, double ph, const std::string& site = "forearm",
                        const std::string& extra = "", const std::string& duration = "2 h") {
  return "[compound]\nname = \"" + compound + "\"\n" + extra +
         "[vehicle]\nconcentration = \"10 mg/mL\"\nvolume_per_area = \"10 uL/cm2\"\nph = " + std::to_string(ph) +
         "\n[skin]\nsite = \"" + site + "\"\n[protocol]\nduration = \"" + duration + "\"\n";
}

const poreflux::LayerSpec& layer(const Study& s, const std::string& role) {
  for (const auto& l : s.layers)
    if (l.role == role) return l;
  throw std::runtime_error("no layer " + role);
}

bool has_warning(const Study& s, const std::string& code) {
  for (const auto& w : s.warnings)
    if (w.code == code) return true;
  return false;
}

double uptake_fraction(const Study& study) {
  auto backend = poreflux::make_backend("cpu", nullptr);
  const poreflux::StudyRun run = poreflux::run_study(study, *backend, {}, nullptr, nullptr);
  return run.result.scenarios.front().summary.uptake_fraction;
}

std::string error_of(const std::string& text) {
  try {
    parse_study(text, "bad.toml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

// Caffeine on the volar forearm at pH 7, Potts-Guy set: hand-computed (python, from the
// published coefficients; MW 194.19, log Kow -0.07, pKa 0.6 base, SC 22.6 um).
TEST(DerivedParameters, CaffeineMatchesHandComputedValues) {
  const Study s = parse_study(named_study("caffeine", 7.0), "caffeine.toml");
  const auto& sc = layer(s, "stratum_corneum");
  EXPECT_NEAR(sc.thickness_cm, 22.6e-4, 1e-12);
  EXPECT_NEAR(sc.partition->value, 2.116475, 2.116475 * 1e-6);
  EXPECT_NEAR(sc.diffusivity_cm2_s->value, 3.443909e-11, 3.443909e-11 * 1e-6);
  EXPECT_NE(sc.diffusivity_cm2_s->source.find("potts_guy"), std::string::npos);
  const auto& ve = layer(s, "viable_epidermis");
  EXPECT_NEAR(ve.diffusivity_cm2_s->value, 1.878990e-06, 1.878990e-06 * 1e-6);
  EXPECT_NEAR(ve.partition->value, 0.836344, 0.836344 * 1e-6);
  EXPECT_NE(ve.diffusivity_cm2_s->source.find("Kretsos"), std::string::npos);
}

// Niacinamide at pH 6 and L-ascorbic acid at pH 3, re-derived here step by step.
TEST(DerivedParameters, NiacinamideAndAscorbicAcidFollowTheRelations) {
  struct Case {
    const char* name;
    double mw, log_kow, ph, f_non;
  };
  const double f_aa = 1.0 / (1.0 + std::pow(10.0, 3.0 - 4.10) + std::pow(10.0, 6.0 - 4.10 - 11.6));
  const double f_nia = 1.0 / (1.0 + std::pow(10.0, 3.35 - 6.0));
  for (const Case c :
       {Case{"niacinamide", 122.13, -0.37, 6.0, f_nia}, Case{"L-ascorbic acid", 176.12, -1.85, 3.0, f_aa}}) {
    SCOPED_TRACE(c.name);
    const Study s = parse_study(named_study(c.name, c.ph, "face_cheek"), "x.toml");
    const double kow = std::pow(10.0, c.log_kow);
    const double k_sc =
        c.f_non * (0.014 * std::pow(kow, 0.81) + 0.782 + 1.381 * std::pow(kow, 0.27)) + (1 - c.f_non) * 0.782;
    const double kp =
        c.f_non * 3600.0 * std::pow(10.0, -6.3 + 0.71 * c.log_kow - 0.0061 * c.mw) + 1.519e-4 / std::sqrt(c.mw);
    const auto& sc = layer(s, "stratum_corneum");
    EXPECT_NEAR(sc.partition->value, k_sc, 1e-9 * k_sc);
    EXPECT_NEAR(sc.diffusivity_cm2_s->value, kp / 3600.0 * sc.thickness_cm / k_sc, 1e-9 * sc.diffusivity_cm2_s->value);
    // In vivo: the dermis clears, at the Dancik rate.
    const auto& de = layer(s, "dermis");
    ASSERT_TRUE(de.clearance_per_s);
    EXPECT_GT(de.clearance_per_s->value, 1e-6);
    EXPECT_LT(de.clearance_per_s->value, 1e-2);
    EXPECT_FALSE(layer(s, "viable_epidermis").clearance_per_s);
  }
}

TEST(DerivedParameters, KastingSetGivesAnotherScValueAndSaysSo) {
  const Study pg = parse_study(named_study("caffeine", 7.0), "a.toml");
  const Study k = parse_study(named_study("caffeine", 7.0, "forearm", "relations = \"kasting\"\n"), "b.toml");
  const double d_pg = layer(pg, "stratum_corneum").diffusivity_cm2_s->value;
  const double d_k = layer(k, "stratum_corneum").diffusivity_cm2_s->value;
  EXPECT_NE(d_pg, d_k);
  EXPECT_LT(std::abs(std::log10(d_k / d_pg)), 1.5);  // the two families agree within ~30x for caffeine
  EXPECT_NE(layer(k, "stratum_corneum").diffusivity_cm2_s->source.find("kasting"), std::string::npos);
}

TEST(DerivedParameters, ExplicitValuesWinAndFarOnesWarn) {
  const std::string text =
      named_study("caffeine", 7.0, "forearm") + "[[layer]]\nname = \"stratum_corneum\"\ndiffusivity = \"1e-8 cm2/s\"\n";
  const Study s = parse_study(text, "x.toml");
  EXPECT_EQ(layer(s, "stratum_corneum").diffusivity_cm2_s->value, 1e-8);
  EXPECT_EQ(layer(s, "stratum_corneum").diffusivity_cm2_s->source, "config");
  EXPECT_TRUE(has_warning(s, "explicit_value_far_from_derived"));
  // Every derived value is recorded with its relation and inputs.
  bool found = false;
  for (const auto& p : s.parameters)
    if (p.name == "stratum_corneum.diffusivity.derived") found = !p.inputs.empty() && !p.relation.empty();
  EXPECT_TRUE(found);
}

TEST(Ionisation, AcidBaseAndTwoPkaAcid) {
  using poreflux::Pka;
  using poreflux::PkaType;
  using poreflux::parameters::non_ionised_fraction;
  const std::vector<Pka> acid{{4.73, PkaType::acid, ""}};
  EXPECT_NEAR(non_ionised_fraction(acid, 4.73), 0.5, 1e-12);
  EXPECT_NEAR(non_ionised_fraction(acid, 5.73), 1.0 / 11.0, 1e-12);
  const std::vector<Pka> base{{8.99, PkaType::base, ""}};
  EXPECT_NEAR(non_ionised_fraction(base, 7.99), 1.0 / 11.0, 1e-12);
  EXPECT_NEAR(non_ionised_fraction(base, 9.99), 10.0 / 11.0, 1e-12);
  const std::vector<Pka> diacid{{11.6, PkaType::acid, ""}, {4.1, PkaType::acid, ""}};  // order does not matter
  EXPECT_NEAR(non_ionised_fraction(diacid, 4.1), 1.0 / (2.0 + std::pow(10.0, 8.2 - 15.7)), 1e-12);
  EXPECT_NEAR(non_ionised_fraction(diacid, 7.0), 1.0 / (1.0 + std::pow(10.0, 2.9) + std::pow(10.0, 14.0 - 15.7)),
              1e-15);
  const std::vector<Pka> zwitterion{{4.3, PkaType::acid, ""}, {10.6, PkaType::base, ""}};
  EXPECT_NEAR(non_ionised_fraction(zwitterion, 7.0), 1.0 / ((1.0 + std::pow(10.0, 2.7)) * (1.0 + std::pow(10.0, 3.6))),
              1e-15);
  EXPECT_EQ(non_ionised_fraction({}, 7.0), 1.0);
}

TEST(Ionisation, AscorbicAcidUptakeFallsAsThePhRises) {
  double previous = 1.0;
  for (double ph : {3.0, 5.0, 7.0}) {
    const Study s = parse_study(named_study("L-ascorbic acid", ph, "face_cheek", "", "8 h"), "aa.toml");
    const double uptake = uptake_fraction(s);
    SCOPED_TRACE("pH " + std::to_string(ph));
    EXPECT_LT(uptake, previous);
    EXPECT_GT(uptake, 0.0);  // slow, not zero: the polar pathway
    previous = uptake;
  }
}

TEST(Warnings, RetinoidsAreOutsideTheRelationsDomain) {
  for (const char* name : {"retinol", "tretinoin", "retinyl palmitate"}) {
    SCOPED_TRACE(name);
    const Study s = parse_study(named_study(name, 5.5), "r.toml");
    EXPECT_TRUE(has_warning(s, "log_kow_out_of_range"));
  }
  EXPECT_TRUE(has_warning(parse_study(named_study("retinyl palmitate", 5.5), "r.toml"), "molecular_weight_high"));
  EXPECT_TRUE(has_warning(parse_study(named_study("tretinoin", 7.0), "r.toml"), "mostly_ionised"));
  EXPECT_TRUE(
      has_warning(parse_study(named_study("retinol", 5.5), "r.toml"), "above_solubility"));  // 10 mg/mL in water
  EXPECT_FALSE(has_warning(parse_study(named_study("caffeine", 7.0), "c.toml"), "log_kow_out_of_range"));
}

TEST(Library, EveryEntryRunsByNameAlone) {
  const poreflux::CompoundLibrary library = poreflux::CompoundLibrary::load();
  ASSERT_GE(library.compounds().size(), 13u);
  auto backend = poreflux::make_backend("cpu", nullptr);
  for (const auto& compound : library.compounds()) {
    SCOPED_TRACE(compound.name);
    const Study s = parse_study(named_study(compound.name, 5.5, "in_vitro_split_thickness", "", "1 h"), "lib.toml");
    const poreflux::StudyRun run = poreflux::run_study(s, *backend, {}, nullptr, nullptr);
    const auto& summary = run.result.scenarios.front().summary;
    EXPECT_GT(summary.uptake_fraction, 0.0);
    EXPECT_LT(summary.mass_balance_error, 1e-10);
  }
  for (const char* required : {"L-ascorbic acid", "3-O-ethyl ascorbic acid", "sodium ascorbyl phosphate",
                               "magnesium ascorbyl phosphate", "niacinamide", "caffeine", "retinol", "tretinoin",
                               "retinyl palmitate", "testosterone", "naltrexone", "naloxone", "fentanyl"}) {
    EXPECT_TRUE(library.find(required)) << required;
  }
  EXPECT_EQ(library.find("Vitamin-C"), library.find("L-ascorbic acid"));  // aliases, case and hyphens
}

TEST(Library, UserFileComesFirstAndInlineCompoundsWork) {
  const fs::path dir = fs::temp_directory_path() / "poreflux_library_test";
  fs::create_directories(dir);
  std::ofstream(dir / "mine.toml") << "schema = \"poreflux-compounds/1\"\n[[compound]]\nname = \"caffeine\"\n"
                                      "molecular_weight = { value = \"200 g/mol\", source = \"my lab\" }\n"
                                      "log_kow = { value = 0.0, source = \"my lab\" }\n";
  std::ofstream(dir / "study.toml") << named_study("caffeine", 7.0, "forearm", "library = [\"mine.toml\"]\n");
  const Study s = poreflux::load_study((dir / "study.toml").string());
  EXPECT_EQ(s.compound.molecular_weight_g_per_mol->value, 200.0);
  EXPECT_EQ(s.compound.molecular_weight_g_per_mol->source, "my lab");

  const Study inline_compound = parse_study(
      "[compound]\nname = \"my peptide\"\nmolecular_weight = \"450 g/mol\"\nlog_kow = 1.0\npka = []\n"
      "[vehicle]\nconcentration = \"1 mg/mL\"\nvolume_per_area = \"5 uL/cm2\"\n[skin]\nsite = \"abdomen\"\n"
      "[protocol]\nduration = \"1 h\"\n",
      "inline.toml");
  EXPECT_TRUE(layer(inline_compound, "stratum_corneum").diffusivity_cm2_s);
  EXPECT_FALSE(has_warning(inline_compound, "pka_unknown"));
}

TEST(BadCompoundInput, ErrorsNameTheKeyAndSayWhatIsValid) {
  const std::string unknown = error_of(named_study("niacinamid", 6.0));
  EXPECT_NE(unknown.find("bad.toml:2"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("compound.name"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("did you mean \"niacinamide\""), std::string::npos) << unknown;

  const std::string negative =
      error_of(named_study("x", 6.0, "forearm", "molecular_weight = \"-5 g/mol\"\nlog_kow = 1\n"));
  EXPECT_NE(negative.find("compound.molecular_weight"), std::string::npos) << negative;
  EXPECT_NE(negative.find("between 2 and 100000 g/mol"), std::string::npos) << negative;

  const std::string untyped =
      error_of(named_study("x", 6.0, "forearm", "molecular_weight = \"100 g/mol\"\nlog_kow = 1\npka = 4.1\n"));
  EXPECT_NE(untyped.find("compound.pka"), std::string::npos) << untyped;
  EXPECT_NE(untyped.find("type"), std::string::npos) << untyped;

  const std::string no_type = error_of(
      named_study("x", 6.0, "forearm", "molecular_weight = \"100 g/mol\"\nlog_kow = 1\npka = [{ value = 4.1 }]\n"));
  EXPECT_NE(no_type.find("compound.pka[1].type"), std::string::npos) << no_type;

  const std::string no_site = error_of(
      "[compound]\nname = \"caffeine\"\n[vehicle]\nconcentration = \"1 mg/mL\"\n"
      "volume_per_area = \"5 uL/cm2\"\n[skin]\nsite = \"elbow\"\n[protocol]\nduration = \"1 h\"\n");
  EXPECT_NE(no_site.find("skin.site"), std::string::npos) << no_site;
  EXPECT_NE(no_site.find("forearm"), std::string::npos) << no_site;

  // A study that names no compound must give D and K itself.
  const std::string underived = error_of(
      "[vehicle]\nconcentration = \"1 mg/mL\"\nvolume_per_area = \"5 uL/cm2\"\n"
      "[skin]\nsite = \"forearm\"\n[protocol]\nduration = \"1 h\"\n");
  EXPECT_NE(underived.find("cannot be derived"), std::string::npos) << underived;
}

TEST(SkinSites, PresetsGiveLayersWithSourcesAndFreeNamesNeedARole) {
  for (const char* site : {"face_cheek", "face_forehead", "forearm", "abdomen", "in_vitro_split_thickness",
                           "in_vitro_full_thickness", "porcine_ear"}) {
    const poreflux::SkinSite* preset = poreflux::find_skin_site(site);
    ASSERT_TRUE(preset) << site;
    EXPECT_EQ(preset->layers.size(), 3u) << site;
    for (const auto& l : preset->layers) EXPECT_FALSE(l.thickness_cm.source.empty());
  }
  EXPECT_EQ(parse_study(named_study("caffeine", 7, "in_vitro_split_thickness"), "s.toml").bottom,
            poreflux::BottomBoundary::sink);
  EXPECT_EQ(parse_study(named_study("caffeine", 7, "forearm"), "s.toml").bottom, poreflux::BottomBoundary::clearance);

  // Free layer names: two dermis layers, each reporting to the dermis compartment.
  const std::string two_dermis = named_study("caffeine", 7.0, "forearm") +
                                 "[[layer]]\nname = \"stratum_corneum\"\n[[layer]]\nname = \"viable_epidermis\"\n"
                                 "[[layer]]\nname = \"papillary_dermis\"\nrole = \"dermis\"\nthickness = \"200 um\"\n"
                                 "[[layer]]\nname = \"reticular_dermis\"\nrole = \"dermis\"\nthickness = \"1 mm\"\n";
  const Study s = parse_study(two_dermis, "d.toml");
  ASSERT_EQ(s.layers.size(), 4u);
  EXPECT_EQ(s.layers[3].role, "dermis");
  const std::string no_role =
      error_of(named_study("caffeine", 7.0) + "[[layer]]\nname = \"papillary\"\nthickness = \"1 mm\"\n");
  EXPECT_NE(no_role.find("layer[1].role"), std::string::npos) << no_role;
  const std::string upside_down =
      error_of(named_study("caffeine", 7.0) + "[[layer]]\nname = \"dermis\"\n[[layer]]\nname = \"stratum_corneum\"\n");
  EXPECT_NE(upside_down.find("top to bottom"), std::string::npos) << upside_down;
}

namespace {

// Synthetic IVPT data: the study with the SC diffusivity doubled, 1 % multiplicative noise.
std::vector<poreflux::calibration::Observation> synthetic_ivpt(const Study& study, double factor, unsigned seed) {
  using namespace poreflux;
  Study truth = calibration::with_factors(study, {"stratum_corneum.diffusivity"}, {factor});
  truth.protocol.output_times_s.clear();
  for (int h = 2; h <= 24; h += 2) truth.protocol.output_times_s.push_back(h * 3600.0);
  auto backend = make_backend("cpu", nullptr);
  const StudyRun run = run_study(truth, *backend, {}, nullptr, nullptr);
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, 0.01);
  std::vector<calibration::Observation> data;
  const auto& r = run.result.scenarios.front();
  const double q_max = r.permeated_ug_per_cm2.back();
  for (std::size_t i = 0; i < r.times_s.size(); ++i) {
    calibration::Observation o;
    o.time_s = r.times_s[i];
    // 1 % of the value, floored at 0.1 % of the largest (a detection limit), as real data are.
    o.sd = 0.01 * r.permeated_ug_per_cm2[i] + 0.001 * q_max;
    o.value = r.permeated_ug_per_cm2[i] + *o.sd * noise(rng) / 0.01;
    data.push_back(o);
  }
  return data;
}

}  // namespace

const std::string kIvptStudy =
    "[compound]\nname = \"caffeine\"\n[vehicle]\ndose = \"infinite\"\nconcentration = \"10 mg/mL\"\n"
    "volume_per_area = \"100 uL/cm2\"\nph = 7\n[skin]\nsite = \"in_vitro_split_thickness\"\n"
    "[protocol]\nduration = \"24 h\"\n";

TEST(Calibration, RecoversAKnownFactorFromNoisyIvptData) {
  const Study study = parse_study(kIvptStudy, "ivpt.toml");
  const auto data = synthetic_ivpt(study, 2.0, 42);
  auto backend = poreflux::make_backend("cpu", nullptr);
  const auto report = poreflux::calibration::fit_factors(study, {"stratum_corneum.diffusivity"}, data, *backend);
  ASSERT_TRUE(report.identifiable) << report.identifiability;
  ASSERT_EQ(report.factors.size(), 1u);
  EXPECT_NEAR(report.factors[0].value, 2.0, 0.02);  // within 1 %
  EXPECT_LT(report.factors[0].ci95_low, report.factors[0].value);
  EXPECT_GT(report.factors[0].ci95_high, report.factors[0].value);
  EXPECT_EQ(report.dof, static_cast<int>(data.size()) - 1);
  EXPECT_GT(report.r_squared, 0.99);
}

// The fit scales a resolved study (with_factors); a rerun reads the factor from [calibration]
// before the partially hydrated SC's K and D are derived. On a film that dries, both must give
// the run the fit predicted, or a calibration carried over is not the one fitted. (A partition
// factor still differs by 0.45 % here: the dried deposit's activities are derived from the SC's K
// inside the resolve step, which with_factors does not rerun; docs/PYTHON.md, "Not done".)
TEST(Calibration, FittedDiffusivityFactorActsAsTheCalibrationTableDoesOnDryingSkin) {
  const std::string base =
      "[compound]\nname = \"L-ascorbic acid\"\n[vehicle]\ndose = \"finite\"\nconcentration = \"15 % w/v\"\n"
      "volume_per_area = \"2 uL/cm2\"\nph = 3.0\ncomposition = \"aqueous serum\"\n[skin]\nsite = \"face_cheek\"\n"
      "[protocol]\nduration = \"2 h\"\noccluded = false\n";
  auto backend = poreflux::make_backend("cpu", nullptr);
  const std::string target = "stratum_corneum.diffusivity";
  const Study fitted = poreflux::calibration::with_factors(parse_study(base, "dry.toml"), {target}, {3.0});
  const Study table =
      parse_study(base + "[[calibration.factors]]\ntarget = \"" + target + "\"\nvalue = 3.0\n", "dry_calibrated.toml");
  ASSERT_TRUE(table.layers.front().partial_diffusivity_cm2_s)
      << "the film must dry on this study for the test to mean anything";
  const auto a = poreflux::run_study(fitted, *backend, {}, nullptr, nullptr).result.scenarios.front();
  const auto b = poreflux::run_study(table, *backend, {}, nullptr, nullptr).result.scenarios.front();
  EXPECT_NEAR(a.summary.uptake_fraction, b.summary.uptake_fraction, 1e-9 * b.summary.uptake_fraction);
}

TEST(Calibration, OnePointCannotIdentifyTwoFactors) {
  const Study study = parse_study(kIvptStudy, "ivpt.toml");
  auto data = synthetic_ivpt(study, 1.5, 7);
  data.erase(data.begin(), data.end() - 1);  // the 24 h point only
  auto backend = poreflux::make_backend("cpu", nullptr);
  const auto report = poreflux::calibration::fit_factors(
      study, {"stratum_corneum.diffusivity", "stratum_corneum.partition"}, data, *backend);
  EXPECT_FALSE(report.identifiable);
  EXPECT_NE(report.identifiability.find("cannot determine"), std::string::npos) << report.identifiability;
}

TEST(Calibration, BadCsvNamesFileRowAndColumn) {
  const fs::path dir = fs::temp_directory_path() / "poreflux_csv_test";
  fs::create_directories(dir);
  auto error_for = [&](const std::string& name, const std::string& text) {
    std::ofstream((dir / name).string()) << text;
    try {
      poreflux::calibration::read_ivpt_csv((dir / name).string());
    } catch (const std::invalid_argument& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string missing = error_for("a.csv", "time_h,sd_ug_per_cm2\n1,2\n");
  EXPECT_NE(missing.find("Q_ug_per_cm2"), std::string::npos) << missing;
  EXPECT_NE(missing.find("a.csv"), std::string::npos) << missing;
  const std::string order = error_for("b.csv", "time_h,Q_ug_per_cm2\n1,2\n3,4\n2,5\n");
  EXPECT_NE(order.find("row 4, column 'time_h'"), std::string::npos) << order;
  const std::string negative = error_for("c.csv", "time_h,Q_ug_per_cm2\n1,-2\n");
  EXPECT_NE(negative.find("row 2, column 'Q_ug_per_cm2'"), std::string::npos) << negative;
  const std::string nan = error_for("d.csv", "time_h,Q_ug_per_cm2\n1,nan\n");
  EXPECT_NE(nan.find("row 2, column 'Q_ug_per_cm2'"), std::string::npos) << nan;
  const std::string good =
      error_for("e.csv", "# Franz cell, donor 10 mg/mL\ntime_h,Q_ug_per_cm2,sd_ug_per_cm2\n2,0.5,0.1\n4,1.5,0.2\n");
  EXPECT_EQ(good, "");
  EXPECT_EQ(poreflux::calibration::read_ivpt_csv((dir / "e.csv").string()).size(), 2u);
  EXPECT_THROW(poreflux::calibration::parse_measure("uptake=0.05"), std::invalid_argument);
  EXPECT_NEAR(poreflux::calibration::parse_measure("uptake=0.05@24h").time_s, 86400.0, 1e-9);
}

TEST(BadCompoundInput, NewVehicleAndCalibrationKeysAreChecked) {
  const std::string partition = error_of(
      "[compound]\nname = \"caffeine\"\n[vehicle]\nconcentration = \"1 mg/mL\"\nvolume_per_area = \"5 uL/cm2\"\n"
      "water_partition = -3\n[skin]\nsite = \"forearm\"\n[protocol]\nduration = \"1 h\"\n");
  EXPECT_NE(partition.find("vehicle.water_partition"), std::string::npos) << partition;
  EXPECT_NE(partition.find("between 1e-12 and 1e12"), std::string::npos) << partition;
  const std::string relations = error_of(named_study("caffeine", 7.0, "forearm", "relations = \"surrey\"\n"));
  EXPECT_NE(relations.find("compound.relations"), std::string::npos) << relations;
  EXPECT_NE(relations.find("potts_guy"), std::string::npos) << relations;
  const std::string target = error_of(named_study("caffeine", 7.0) +
                                      "[calibration]\nfactors = [{ target = \"sc.diffusivity\", value = 2 }]\n");
  EXPECT_NE(target.find("calibration.factors[1].target"), std::string::npos) << target;
  EXPECT_NE(target.find("stratum_corneum.diffusivity"), std::string::npos) << target;
}
