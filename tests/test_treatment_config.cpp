// Tests of the microneedle [treatment] section: the device presets and derivations
// (parameters/device_presets.hpp) and the config reader, including the messages for bad inputs,
// which must name the file, the line and the key, and say what would be valid.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "parameters/device_presets.hpp"
#include "poreflux/config.hpp"
#include "poreflux/units.hpp"

namespace parameters = poreflux::parameters;
using poreflux::ConfigError;
using poreflux::Dimension;
using poreflux::Lattice;
using poreflux::parse_study;
using poreflux::Study;
using poreflux::TreatmentSpec;

namespace {

constexpr double kPi = 3.14159265358979323846;

// Skin 16.8 um + 80 um + 1.2 mm = 1296.8 um; the [treatment] header lands on line 19.
const std::string kSkin =
    "[compound]\n"                           // 1
    "molecular_weight = \"176.12 g/mol\"\n"  // 2
    "[vehicle]\n"                            // 3
    "concentration = \"150 mg/mL\"\n"        // 4
    "volume_per_area = \"2 uL/cm2\"\n"       // 5
    "[[layer]]\n"                            // 6
    "name = \"stratum_corneum\"\n"           // 7
    "thickness = \"16.8 um\"\n"              // 8
    "diffusivity = \"2.9e-12 cm2/s\"\n"      // 9
    "partition = 1.2\n"                      // 10
    "[[layer]]\n"                            // 11
    "name = \"viable_epidermis\"\n"          // 12
    "thickness = \"80 um\"\n"                // 13
    "diffusivity = \"3e-7 cm2/s\"\n"         // 14
    "partition = 0.7\n"                      // 15
    "[[layer]]\n"                            // 16
    "name = \"dermis\"\n"                    // 17
    "thickness = \"1.2 mm\"\n"               // 18
    "diffusivity = \"1e-6 cm2/s\"\n"         // 19
    "partition = 0.6\n"                      // 20
    "[protocol]\n"                           // 21
    "duration = \"24 h\"\n";                 // 22

constexpr int kTreatmentLine = 23;  // the [treatment] header; its n-th key is on line 23 + n

// kSkin with a [treatment] holding `keys`, one per line in order.
std::string with_treatment(const std::vector<std::string>& keys, const std::string& skin = kSkin) {
  std::string text = skin + "[treatment]\n";
  for (const std::string& key : keys) text += key + "\n";
  return text;
}

// kSkin with occlusion, the one switch in [protocol] that also sets the closure preset.
const std::string kOccludedSkin = kSkin + "occluded = true\n";

TreatmentSpec treatment_of(const std::vector<std::string>& keys, const std::string& skin = kSkin) {
  const Study study = parse_study(with_treatment(keys, skin), "study.toml");
  EXPECT_TRUE(study.treatment.has_value());
  return study.treatment.value_or(TreatmentSpec{});
}

bool contains(const std::string& text, const std::string& fragment) { return text.find(fragment) != std::string::npos; }

// Expects a ConfigError at "study.toml:<line>: key 'treatment.<key>'" whose message holds every
// fragment (what the test says the message must call valid).
void expect_error(const std::vector<std::string>& keys, int line, const std::string& key,
                  const std::vector<std::string>& fragments, const std::string& skin = kSkin) {
  const std::string text = with_treatment(keys, skin);
  try {
    parse_study(text, "study.toml");
  } catch (const ConfigError& error) {
    const std::string what = error.what();
    EXPECT_EQ(error.file(), "study.toml") << what;
    EXPECT_EQ(error.line(), line) << what;
    EXPECT_EQ(error.key_path(), "treatment." + key) << what;
    const std::string prefix = "study.toml:" + std::to_string(line) + ": key 'treatment." + key + "'";
    EXPECT_EQ(what.rfind(prefix, 0), 0u) << "expected prefix " << prefix << "\n got: " << what;
    for (const std::string& fragment : fragments) {
      EXPECT_TRUE(contains(what, fragment)) << "missing \"" << fragment << "\" in: " << what;
    }
    return;
  }
  ADD_FAILURE() << "expected a ConfigError for:\n" << text;
}

int key_line(int n) { return kTreatmentLine + n; }  // line of the n-th key (1-based)

}  // namespace

// ---------------------------------------------------------------- presets and relations

TEST(TreatmentPresets, RollerDensityFromTheDrum) {
  // Dermaroller MF8: 192 needles on a 2 cm x 2 cm drum.
  EXPECT_NEAR(parameters::roller_density_per_cm2(192, 2.0, 2.0, 1), 192.0 / (4.0 * kPi), 1e-12);
  EXPECT_NEAR(parameters::roller_density_per_cm2(192, 2.0, 2.0, 1), 15.28, 0.01);
  // 15 passes: ~230 /cm², against the ~250 /cm² often quoted.
  EXPECT_NEAR(parameters::roller_density_per_cm2(192, 2.0, 2.0, 15), 229.2, 0.1);
  EXPECT_NEAR(parameters::roller_density_per_cm2(96, 1.0, 2.0, 1), 96.0 / (2.0 * kPi), 1e-12);
}

TEST(TreatmentPresets, PenDensityFromStamps) {
  EXPECT_DOUBLE_EQ(parameters::pen_density_per_cm2(12, 9.0, 1), 108.0);
  EXPECT_DOUBLE_EQ(parameters::pen_density_per_cm2(12, 9.0, 3), 324.0);
}

TEST(TreatmentPresets, ChannelGeometryDefaults) {
  EXPECT_DOUBLE_EQ(parameters::kPenetrationFraction.value, 152.5 / 770.0);
  EXPECT_NEAR(parameters::kPenetrationFraction.value, 0.198, 0.0005);
  EXPECT_TRUE(contains(std::string(parameters::kPenetrationFraction.source), "Kalluri & Banga 2011"));
  EXPECT_DOUBLE_EQ(parameters::kChannelDiameterCm.value, 70.7e-4);
  EXPECT_DOUBLE_EQ(parameters::kRollerNeedles.value, 192);
  EXPECT_DOUBLE_EQ(parameters::kPenNeedles.value, 12);
}

TEST(TreatmentPresets, StokesEinsteinForAscorbicAcid) {
  // r_s = (0.9087 x 176.12 x 3/(4 pi))^(1/3) = 3.37 Å (Chen et al. 2015)
  EXPECT_NEAR(parameters::stokes_radius_angstrom(176.12), 3.368, 0.002);
  const double d = parameters::stokes_einstein_diffusivity_cm2_s(176.12, 305.15, 0.765);
  EXPECT_NEAR(d, 8.7e-6, 0.05e-6);
  EXPECT_DOUBLE_EQ(parameters::channel_diffusivity_cm2_s(176.12), d);
  // The water viscosity correlation agrees with the 0.765 mPa s used at 32 °C to ~1 %.
  EXPECT_NEAR(parameters::water_viscosity_mPa_s(305.15), 0.765, 0.008);
  EXPECT_NEAR(parameters::water_viscosity_mPa_s(298.15), 0.890, 0.01);
  EXPECT_NEAR(parameters::stokes_einstein_diffusivity_cm2_s(176.12, 305.15), d, 0.01 * d);
  // Larger molecules diffuse more slowly, as MW^(-1/3).
  EXPECT_NEAR(parameters::channel_diffusivity_cm2_s(8.0 * 176.12), d / 2.0, 1e-12);
}

TEST(TreatmentPresets, ClosureTimeConstants) {
  EXPECT_DOUBLE_EQ(parameters::closure_tau_s(false).value, 1.5 * 3600.0);
  EXPECT_TRUE(contains(std::string(parameters::closure_tau_s(false).source), "Gupta 2011"));
  EXPECT_DOUBLE_EQ(parameters::closure_tau_s(true).value, 23.0 * 3600.0 / std::log(2.0));
  EXPECT_NEAR(parameters::closure_tau_s(true).value / 3600.0, 33.2, 0.05);
  EXPECT_TRUE(contains(std::string(parameters::closure_tau_s(true).source), "PMC8259462"));
}

TEST(TreatmentPresets, PitchAndDensityForBothLattices) {
  EXPECT_DOUBLE_EQ(parameters::pitch_cm(100.0, Lattice::square), 0.1);
  EXPECT_DOUBLE_EQ(parameters::density_per_cm2(0.1, Lattice::square), 100.0);
  // Hexagonal: a channel owns (√3/2) p²; 100 /cm² gives p = 1.0746 mm.
  EXPECT_NEAR(parameters::pitch_cm(100.0, Lattice::hexagonal), 0.107457, 1e-6);
  EXPECT_NEAR(parameters::density_per_cm2(0.1, Lattice::hexagonal), 2.0 / (std::sqrt(3.0) * 0.01), 1e-9);
  for (Lattice lattice : {Lattice::square, Lattice::hexagonal}) {
    for (double density : {1.0, 15.28, 256.0, 5000.0}) {
      EXPECT_NEAR(parameters::density_per_cm2(parameters::pitch_cm(density, lattice), lattice), density,
                  1e-12 * density);
    }
  }
  EXPECT_NEAR(parameters::max_density_per_cm2(70.7e-4, Lattice::square), 1.0 / (70.7e-4 * 70.7e-4), 1e-6);
}

TEST(TreatmentPresets, ArealDensityUnits) {
  EXPECT_DOUBLE_EQ(poreflux::parse_quantity("100 /cm2", Dimension::areal_density), 100.0);
  EXPECT_DOUBLE_EQ(poreflux::parse_quantity("100/cm2", Dimension::areal_density), 100.0);
  EXPECT_DOUBLE_EQ(poreflux::parse_quantity("100 1/cm2", Dimension::areal_density), 100.0);
  EXPECT_DOUBLE_EQ(poreflux::parse_quantity("100 per cm2", Dimension::areal_density), 100.0);
  EXPECT_DOUBLE_EQ(poreflux::parse_quantity("100 per cm²", Dimension::areal_density), 100.0);
  EXPECT_DOUBLE_EQ(poreflux::parse_quantity("2.56 /mm2", Dimension::areal_density), 256.0);
  EXPECT_THROW(poreflux::parse_quantity("100 1/s", Dimension::areal_density), poreflux::QuantityError);
  const std::string text = poreflux::format_quantity(15.28, Dimension::areal_density);
  EXPECT_EQ(text, "15.28 /cm2");
  EXPECT_EQ(poreflux::parse_quantity(text, Dimension::areal_density), 15.28);
}

// ---------------------------------------------------------------- valid [treatment]

TEST(TreatmentConfig, AbsentSectionMeansIntactSkin) {
  const Study study = parse_study(kSkin, "study.toml");
  EXPECT_FALSE(study.treatment.has_value());
  EXPECT_FALSE(contains(study.resolved_toml, "treatment"));
}

TEST(TreatmentConfig, DermarollerDefaultsAreDerivedWithSources) {
  const TreatmentSpec t = treatment_of({"device = \"dermaroller\"", "needle_length = \"0.5 mm\""});
  EXPECT_EQ(t.device, "dermaroller");
  EXPECT_EQ(t.config_line, "study.toml:23");
  ASSERT_TRUE(t.needle_length_cm);
  EXPECT_DOUBLE_EQ(*t.needle_length_cm, 0.05);
  EXPECT_DOUBLE_EQ(t.penetration_fraction.value, 152.5 / 770.0);
  EXPECT_TRUE(contains(t.penetration_fraction.source, "Kalluri & Banga 2011"));
  EXPECT_DOUBLE_EQ(t.channel_depth_cm.value, 0.05 * 152.5 / 770.0);  // 99 um
  EXPECT_TRUE(contains(t.channel_depth_cm.source, "needle_length x penetration_fraction"));
  EXPECT_DOUBLE_EQ(t.channel_diameter_cm.value, 70.7e-4);
  EXPECT_TRUE(contains(t.channel_diameter_cm.source, "Kalluri & Banga 2011"));
  EXPECT_EQ(t.shape, poreflux::ChannelShape::cylinder);
  EXPECT_EQ(t.lattice, Lattice::square);
  EXPECT_NEAR(t.density_per_cm2.value, 192.0 / (4.0 * kPi), 1e-12);
  EXPECT_TRUE(contains(t.density_per_cm2.source, "passes*needles/(pi*D*W)"));
  EXPECT_TRUE(contains(t.density_per_cm2.source, "Schwarz & Laaff 2011"));
  EXPECT_EQ(t.roller_needles, 192);
  EXPECT_EQ(t.roller_rows, 8);
  EXPECT_DOUBLE_EQ(t.drum_diameter_cm, 2.0);
  EXPECT_DOUBLE_EQ(t.drum_width_cm, 2.0);
  EXPECT_EQ(t.passes, 1);
  EXPECT_FALSE(t.occluded);
  EXPECT_DOUBLE_EQ(t.closure_tau_s.value, 5400.0);
  EXPECT_TRUE(contains(t.closure_tau_s.source, "unoccluded"));
  EXPECT_TRUE(t.formulation_filled);
  EXPECT_NEAR(t.channel_diffusivity_cm2_s->value, 8.7e-6, 0.05e-6);
  EXPECT_TRUE(contains(t.channel_diffusivity_cm2_s->source, "Stokes-Einstein"));
  EXPECT_DOUBLE_EQ(t.channel_partition, 1.0);
  EXPECT_EQ(t.domain, poreflux::DomainKind::axisymmetric);  // a regular lattice's default (issue 19 item 5)
  EXPECT_DOUBLE_EQ(t.wall_cell_cm, 0.0);
  EXPECT_DOUBLE_EQ(t.lateral_max_cell_cm, 0.0);
}

TEST(TreatmentConfig, RollerPassesAndDrumAreUsed) {
  const TreatmentSpec t =
      treatment_of({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "passes = 15", "needles = 96",
                    "drum_diameter = \"1 cm\"", "drum_width = \"2 cm\"", "rows = 6"});
  EXPECT_NEAR(t.density_per_cm2.value, 15.0 * 96.0 / (kPi * 1.0 * 2.0), 1e-9);
  EXPECT_EQ(t.passes, 15);
  EXPECT_EQ(t.roller_needles, 96);
  EXPECT_EQ(t.roller_rows, 6);
  EXPECT_NEAR(
      treatment_of({"device = \"dermaroller\"", "needle_length = \"0.25 mm\"", "passes = 15"}).density_per_cm2.value,
      229.2, 0.1);
}

TEST(TreatmentConfig, PenDefaults) {
  const TreatmentSpec t = treatment_of({"device = \"pen\"", "needle_length = \"1 mm\""});
  EXPECT_EQ(t.pen_needles, 12);
  EXPECT_DOUBLE_EQ(t.pen_stamps_per_cm2, 9.0);
  EXPECT_DOUBLE_EQ(t.density_per_cm2.value, 108.0);
  EXPECT_TRUE(contains(t.density_per_cm2.source, "pen: passes*needles*stamps_per_cm2"));
  EXPECT_EQ(t.roller_needles, 0);  // roller settings stay unset for a pen
}

TEST(TreatmentConfig, StampWithHexagonalPitch) {
  const TreatmentSpec t =
      treatment_of({"device = \"stamp\"", "needle_length = \"600 um\"", "lattice = \"hexagonal\"", "pitch = \"1 mm\""});
  EXPECT_EQ(t.lattice, Lattice::hexagonal);
  EXPECT_NEAR(t.density_per_cm2.value, 2.0 / (std::sqrt(3.0) * 0.01), 1e-9);
  EXPECT_TRUE(contains(t.density_per_cm2.source, "hexagonal"));
}

TEST(TreatmentConfig, ChannelsGivenDirectlyAndDensitySpellings) {
  for (const char* density : {"\"256 /cm2\"", "\"256 1/cm2\"", "\"256 per cm2\""}) {
    const TreatmentSpec t = treatment_of({"device = \"channels\"", "channel_depth = \"150 um\"",
                                          "channel_diameter = \"50 um\"", std::string("density = ") + density});
    EXPECT_DOUBLE_EQ(t.density_per_cm2.value, 256.0);
    EXPECT_EQ(t.density_per_cm2.source, "config");
    EXPECT_DOUBLE_EQ(t.channel_depth_cm.value, 0.015);
    EXPECT_EQ(t.channel_depth_cm.source, "config");
    EXPECT_DOUBLE_EQ(t.channel_diameter_cm.value, 50e-4);
    EXPECT_EQ(t.channel_diameter_cm.source, "config");
    EXPECT_FALSE(t.needle_length_cm);
  }
}

TEST(TreatmentConfig, GivenDepthSetsTheFraction) {
  const TreatmentSpec t =
      treatment_of({"device = \"dermaroller\"", "needle_length = \"770 um\"", "channel_depth = \"152.5 um\""});
  EXPECT_DOUBLE_EQ(t.channel_depth_cm.value, 152.5e-4);
  EXPECT_NEAR(t.penetration_fraction.value, 152.5 / 770.0, 1e-15);
  EXPECT_EQ(t.penetration_fraction.source, "channel_depth / needle_length");
  const TreatmentSpec f = treatment_of({"device = \"pen\"", "needle_length = \"1 mm\"", "penetration_fraction = 0.5"});
  EXPECT_DOUBLE_EQ(f.channel_depth_cm.value, 0.05);
  EXPECT_EQ(f.penetration_fraction.source, "config");
}

TEST(TreatmentConfig, ClosurePresetsAndOverrides) {
  const std::vector<std::string> base = {"device = \"dermaroller\"", "needle_length = \"0.5 mm\""};
  auto with = [&](const std::string& key) {
    std::vector<std::string> keys = base;
    keys.push_back(key);
    return treatment_of(keys);
  };
  const TreatmentSpec occluded = treatment_of(base, kOccludedSkin);
  EXPECT_TRUE(occluded.occluded);
  EXPECT_DOUBLE_EQ(occluded.closure_tau_s.value, 23.0 * 3600.0 / std::log(2.0));
  EXPECT_TRUE(contains(occluded.closure_tau_s.source, "PMC8259462"));
  EXPECT_DOUBLE_EQ(treatment_of(base).closure_tau_s.value, 5400.0);
  const TreatmentSpec given = with("closure_time_constant = \"3 h\"");
  EXPECT_DOUBLE_EQ(given.closure_tau_s.value, 10800.0);
  EXPECT_EQ(given.closure_tau_s.source, "config");
  EXPECT_TRUE(std::isinf(with("closure_time_constant = \"never\"").closure_tau_s.value));
  EXPECT_DOUBLE_EQ(with("closure_time_constant = \"0 s\"").closure_tau_s.value, 0.0);
  EXPECT_FALSE(with("filling = \"drained\"").formulation_filled);
  EXPECT_DOUBLE_EQ(with("channel_diffusivity = \"9e-6 cm2/s\"").channel_diffusivity_cm2_s->value, 9e-6);
}

TEST(TreatmentConfig, ConeAndPatch) {
  const TreatmentSpec t =
      treatment_of({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "shape = \"cone\"", "domain = \"patch\"",
                    "patch_width = \"5 mm\"", "patch_length = \"4 mm\"", "seed = 7", "jitter = \"20 um\"",
                    "wall_cell = \"2 um\"", "lateral_max_cell = \"50 um\""});
  EXPECT_EQ(t.shape, poreflux::ChannelShape::cone);
  EXPECT_DOUBLE_EQ(t.tip_diameter_cm, 0.2 * 70.7e-4);
  EXPECT_EQ(t.domain, poreflux::DomainKind::patch);
  EXPECT_EQ(t.pattern, poreflux::PatternKind::roller);  // the dermaroller's default
  EXPECT_DOUBLE_EQ(t.patch_width_cm, 0.5);
  EXPECT_DOUBLE_EQ(t.patch_length_cm, 0.4);
  EXPECT_EQ(t.seed, 7u);
  EXPECT_DOUBLE_EQ(t.jitter_cm, 20e-4);
  EXPECT_DOUBLE_EQ(t.wall_cell_cm, 2e-4);
  EXPECT_DOUBLE_EQ(t.lateral_max_cell_cm, 50e-4);
  const TreatmentSpec stamp =
      treatment_of({"device = \"stamp\"", "needle_length = \"0.6 mm\"", "density = \"100 /cm2\"", "domain = \"patch\"",
                    "patch_width = \"2 mm\"", "patch_length = \"2 mm\""});
  EXPECT_EQ(stamp.pattern, poreflux::PatternKind::lattice);
  EXPECT_EQ(treatment_of({"device = \"pen\"", "needle_length = \"1 mm\"", "domain = \"patch\"",
                          "patch_width = \"2 mm\"", "patch_length = \"2 mm\""})
                .pattern,
            poreflux::PatternKind::pen);
  EXPECT_EQ(treatment_of({"device = \"pen\"", "needle_length = \"1 mm\"", "domain = \"axisymmetric\""}).domain,
            poreflux::DomainKind::axisymmetric);
}

// Outside a patch the channels stand on a regular lattice, square or hexagonal, so a [treatment]
// that names no domain gets the lattice's axisymmetric equal-area cell, marked as taken by default
// (the summary says so: tests/test_cli.cpp); a domain that is named is kept and not so marked.
TEST(TreatmentConfig, RegularLatticeDefaultsToTheAxisymmetricCell) {
  for (const std::vector<std::string>& keys :
       {std::vector<std::string>{"device = \"pen\"", "needle_length = \"1 mm\""},
        std::vector<std::string>{"device = \"stamp\"", "needle_length = \"600 um\"", "lattice = \"hexagonal\"",
                                 "pitch = \"1 mm\""}}) {
    const Study study = parse_study(with_treatment(keys), "study.toml");
    ASSERT_TRUE(study.treatment);
    EXPECT_EQ(study.treatment->domain, poreflux::DomainKind::axisymmetric) << keys[0];
    EXPECT_TRUE(study.treatment->domain_by_default) << keys[0];
    // The resolved record names the domain taken, so it reads back the same.
    EXPECT_TRUE(contains(study.resolved_toml, "domain = 'axisymmetric'")) << study.resolved_toml;
    const Study again = parse_study(study.resolved_toml, "study.toml");
    EXPECT_EQ(again.treatment->domain, poreflux::DomainKind::axisymmetric);
  }
  for (const char* named : {"unit_cell", "axisymmetric"}) {
    const Study study = parse_study(
        with_treatment({"device = \"pen\"", "needle_length = \"1 mm\"", std::string("domain = \"") + named + "\""}),
        "study.toml");
    EXPECT_EQ(study.treatment->domain,
              std::string(named) == "unit_cell" ? poreflux::DomainKind::unit_cell : poreflux::DomainKind::axisymmetric);
    EXPECT_FALSE(study.treatment->domain_by_default) << named;
  }
}

TEST(TreatmentConfig, ResolvedTomlReadsBackToTheSameTreatment) {
  const std::vector<std::vector<std::string>> cases = {
      {"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "passes = 15"},
      {"device = \"pen\"", "needle_length = \"1 mm\"", "domain = \"patch\"", "patch_width = \"3 mm\"",
       "patch_length = \"3 mm\"", "jitter = \"10 um\""},
      {"device = \"stamp\"", "needle_length = \"770 um\"", "channel_depth = \"152.5 um\"", "lattice = \"hexagonal\"",
       "pitch = \"0.7 mm\"", "shape = \"cone\"", "closure_time_constant = \"never\"", "filling = \"drained\""},
      {"device = \"channels\"", "channel_depth = \"150 um\"", "density = \"100 /cm2\"", "lateral_max_cell = \"40 um\"",
       "channel_partition = 0.8"},
  };
  for (const auto& keys : cases) {
    const Study study = parse_study(with_treatment(keys), "study.toml");
    const Study again = parse_study(study.resolved_toml, "study.toml");
    ASSERT_TRUE(again.treatment) << study.resolved_toml;
    const TreatmentSpec& a = *study.treatment;
    const TreatmentSpec& b = *again.treatment;
    EXPECT_EQ(b.device, a.device);
    EXPECT_EQ(b.needle_length_cm, a.needle_length_cm);
    EXPECT_EQ(b.channel_depth_cm.value, a.channel_depth_cm.value) << study.resolved_toml;
    EXPECT_EQ(b.channel_diameter_cm.value, a.channel_diameter_cm.value);
    EXPECT_EQ(b.tip_diameter_cm, a.tip_diameter_cm);
    EXPECT_EQ(b.shape, a.shape);
    EXPECT_EQ(b.lattice, a.lattice);
    EXPECT_EQ(b.density_per_cm2.value, a.density_per_cm2.value);
    EXPECT_EQ(b.occluded, a.occluded);
    EXPECT_EQ(b.closure_tau_s.value, a.closure_tau_s.value);
    EXPECT_EQ(b.formulation_filled, a.formulation_filled);
    EXPECT_EQ(b.channel_diffusivity_cm2_s->value, a.channel_diffusivity_cm2_s->value);
    EXPECT_EQ(b.channel_partition, a.channel_partition);
    EXPECT_EQ(b.domain, a.domain);
    EXPECT_EQ(b.pattern, a.pattern);
    EXPECT_EQ(b.patch_width_cm, a.patch_width_cm);
    EXPECT_EQ(b.patch_length_cm, a.patch_length_cm);
    EXPECT_EQ(b.seed, a.seed);
    EXPECT_EQ(b.jitter_cm, a.jitter_cm);
    EXPECT_EQ(b.passes, a.passes);
    EXPECT_EQ(b.roller_needles, a.roller_needles);
    EXPECT_EQ(b.roller_rows, a.roller_rows);
    EXPECT_EQ(b.drum_diameter_cm, a.drum_diameter_cm);
    EXPECT_EQ(b.drum_width_cm, a.drum_width_cm);
    EXPECT_EQ(b.pen_needles, a.pen_needles);
    EXPECT_EQ(b.pen_stamps_per_cm2, a.pen_stamps_per_cm2);
    EXPECT_EQ(b.wall_cell_cm, a.wall_cell_cm);
    EXPECT_EQ(b.lateral_max_cell_cm, a.lateral_max_cell_cm);
  }
  // Derived values keep their provenance in the record, as comments.
  const Study roller = parse_study(with_treatment(cases[0]), "study.toml");
  EXPECT_TRUE(contains(roller.resolved_toml, "# treatment.density: roller: passes*needles/(pi*D*W)"))
      << roller.resolved_toml;
  EXPECT_TRUE(contains(roller.resolved_toml, "# treatment.channel_diffusivity: Stokes-Einstein"));
  // and the record keeps its short floats (no long derived float forces 17 digits everywhere).
  EXPECT_TRUE(contains(roller.resolved_toml, "partition = 0.7\n")) << roller.resolved_toml;
}

// ---------------------------------------------------------------- bad [treatment]

TEST(TreatmentConfigErrors, ChannelDeeperThanTheSkin) {
  // 3 mm x 0.5 = 1500 um, the skin is 1296.8 um.
  expect_error({"device = \"dermaroller\"", "needle_length = \"3 mm\"", "penetration_fraction = 0.5"}, key_line(2),
               "needle_length",
               {"1500 um", "1297 um", "sum of the [[layer]] thicknesses", "expected a depth < 1297 um"});
  expect_error({"device = \"channels\"", "channel_depth = \"2 mm\"", "density = \"100 /cm2\""}, key_line(2),
               "channel_depth", {"channel_depth 2000 um", "1297 um thick"});
}

TEST(TreatmentConfigErrors, ChannelMustCrossTheStratumCorneum) {
  expect_error(
      {"device = \"stamp\"", "needle_length = \"0.5 mm\"", "channel_depth = \"10 um\"", "density = \"100 /cm2\""},
      key_line(3), "channel_depth",
      {"must cross the stratum corneum", "\"stratum_corneum\" (16.8 um", "expected a depth > 16.8 um"});
}

TEST(TreatmentConfigErrors, DiameterNotBelowPitch) {
  expect_error({"device = \"stamp\"", "needle_length = \"0.5 mm\"", "pitch = \"50 um\""}, key_line(3), "pitch",
               {"channels overlap", "expected a pitch > 70.7 um"});
}

TEST(TreatmentConfigErrors, DensitySoHighChannelsOverlap) {
  // 70.7 um channels: at most 1/(70.7 um)^2 = 20006 /cm2 on a square lattice.
  expect_error({"device = \"stamp\"", "needle_length = \"0.5 mm\"", "density = \"30000 /cm2\""}, key_line(3), "density",
               {"channels overlap", "square lattice the density must stay below 20006 /cm2"});
  // A derived density is blamed on the [treatment] table and says how it was derived.
  expect_error(
      {"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "channel_diameter = \"100 um\"", "passes = 1000"},
      kTreatmentLine, "density",
      {"derived from the device", "roller: passes*needles/(pi*D*W)", "must stay below 10000 /cm2"});
}

TEST(TreatmentConfigErrors, DensityAndPitchBoth) {
  expect_error({"device = \"stamp\"", "needle_length = \"0.5 mm\"", "density = \"100 /cm2\"", "pitch = \"1 mm\""},
               key_line(4), "pitch", {"give either 'density' or 'pitch', not both"});
}

TEST(TreatmentConfigErrors, PatchKeysNeedAPatchDomain) {
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "patch_width = \"2 mm\""}, key_line(3),
               "patch_width", {"only used with domain = \"patch\"", "domain = \"axisymmetric\" (the default)"});
  expect_error({"device = \"pen\"", "needle_length = \"1 mm\"", "domain = \"axisymmetric\"", "seed = 3"}, key_line(4),
               "seed", {"domain = \"axisymmetric\"; set domain = \"patch\""});
}

TEST(TreatmentConfigErrors, PatchSmallerThanOnePitch) {
  // Roller defaults: 15.28 /cm2, pitch 2.558 mm.
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "domain = \"patch\"",
                "patch_width = \"5 mm\"", "patch_length = \"1 mm\""},
               key_line(5), "patch_length", {"at least one channel spacing", "expected patch_length >= 2558 um"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "domain = \"patch\""}, kTreatmentLine,
               "patch_width", {"required key is missing", "patch_width = \"2 mm\""});
}

TEST(TreatmentConfigErrors, KeyOfAnotherDevice) {
  expect_error({"device = \"pen\"", "needle_length = \"1 mm\"", "drum_diameter = \"2 cm\""}, key_line(3),
               "drum_diameter",
               {"unknown key 'drum_diameter' for device = \"pen\"", "belongs to device \"dermaroller\"",
                "device keys valid for \"pen\": needle_length, penetration_fraction, needles, "
                "passes, stamps_per_cm2"});
  expect_error(
      {"device = \"channels\"", "needle_length = \"1 mm\"", "channel_depth = \"150 um\"", "density = \"100 /cm2\""},
      key_line(2), "needle_length",
      {"unknown key 'needle_length' for device = \"channels\"",
       "describes the channels themselves: give channel_depth"});
  expect_error({"device = \"stamp\"", "needle_length = \"1 mm\"", "density = \"100 /cm2\"", "passes = 2"}, key_line(4),
               "passes", {"belongs to device \"dermaroller\", \"pen\""});
}

TEST(TreatmentConfigErrors, NonPositiveValues) {
  expect_error({"device = \"dermaroller\"", "needle_length = \"-0.5 mm\""}, key_line(2), "needle_length",
               {"expected a length between 1 um and 5 mm"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "channel_diameter = \"0 um\""}, key_line(3),
               "channel_diameter", {"expected a length between 1 um and 2 mm"});
  expect_error({"device = \"stamp\"", "needle_length = \"0.5 mm\"", "density = \"0 /cm2\""}, key_line(3), "density",
               {"expected a count per area > 0 and at most 1e5 /cm2"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "passes = 0"}, key_line(3), "passes",
               {"expected a number in [1, 1000]"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "channel_partition = -1"}, key_line(3),
               "channel_partition", {"expected a number between 1e-12 and 1e12"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "closure_time_constant = \"-1 h\""},
               key_line(3), "closure_time_constant", {"expected a time between 0 s and 1 year"});
}

TEST(TreatmentConfigErrors, MissingOrBadDevice) {
  expect_error({"needle_length = \"0.5 mm\""}, kTreatmentLine, "device",
               {"required key is missing", "\"dermaroller\", \"pen\", \"stamp\", \"channels\""});
  expect_error({"device = \"roller\""}, key_line(1), "device",
               {"expected one of \"dermaroller\", \"pen\", \"stamp\", \"channels\""});
}

TEST(TreatmentConfigErrors, MissingGeometry) {
  expect_error({"device = \"pen\""}, kTreatmentLine, "needle_length",
               {"required key is missing", "needle_length = \"0.5 mm\"", "channel_depth"});
  expect_error({"device = \"channels\"", "density = \"100 /cm2\""}, kTreatmentLine, "channel_depth",
               {"required key is missing", "device = \"channels\""});
  expect_error({"device = \"stamp\"", "needle_length = \"0.6 mm\""}, kTreatmentLine, "density",
               {"device = \"stamp\" needs density = \"100 /cm2\" or pitch = \"1 mm\""});
}

TEST(TreatmentConfigErrors, NoChannelDiffusivityAndNoMolecularWeight) {
  const std::string skin = kSkin.substr(kSkin.find("[vehicle]"));  // drops [compound]
  const int line = kTreatmentLine - 2;
  try {
    parse_study(with_treatment({"device = \"dermaroller\"", "needle_length = \"0.5 mm\""}, skin), "study.toml");
    ADD_FAILURE() << "expected a ConfigError";
  } catch (const ConfigError& error) {
    const std::string what = error.what();
    EXPECT_EQ(error.line(), line) << what;
    EXPECT_EQ(error.key_path(), "treatment.channel_diffusivity") << what;
    EXPECT_TRUE(contains(what, "channel_diffusivity = \"9e-6 cm2/s\"")) << what;
    EXPECT_TRUE(contains(what, "molecular_weight = \"176.12 g/mol\" in [compound]")) << what;
  }
}

TEST(TreatmentConfigErrors, ConeTip) {
  expect_error(
      {"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "shape = \"cone\"", "tip_diameter = \"80 um\""},
      key_line(4), "tip_diameter", {"< channel_diameter (70.7 um)"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "tip_diameter = \"10 um\""}, key_line(3),
               "tip_diameter", {"only used with shape = \"cone\""});
}

TEST(TreatmentConfigErrors, ValuesOfTheWrongKind) {
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "needles = 192.5"}, key_line(3), "needles",
               {"expected a whole number in [1, 100000] such as 192"});
  // Occlusion moved to [protocol]: one switch for the film and the channels.
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "occluded = true"}, key_line(3), "occluded",
               {"one switch", "occluded = true in [protocol]"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "closure_time_constant = \"soon\""},
               key_line(3), "closure_time_constant", {"expected a time", "\"never\""});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "penetration_fraction = 1.5"}, key_line(3),
               "penetration_fraction", {"expected a number in (0, 1]"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "density = \"100 1/s\""}, key_line(3),
               "density", {"(units: /cm2, 1/cm2, per cm2, /mm2)", "a first-order rate"});
}

TEST(TreatmentConfigErrors, ContradictoryOrImpossibleDepth) {
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "penetration_fraction = 0.3",
                "channel_depth = \"150 um\""},
               key_line(4), "channel_depth", {"give either 'penetration_fraction' or 'channel_depth', not both"});
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "channel_depth = \"600 um\""}, key_line(3),
               "channel_depth", {"cannot be deeper than the needle", "expected a depth <= needle_length"});
}

TEST(TreatmentConfigErrors, PatternForAnotherDevice) {
  expect_error({"device = \"stamp\"", "needle_length = \"0.5 mm\"", "density = \"100 /cm2\"", "domain = \"patch\"",
                "patch_width = \"2 mm\"", "patch_length = \"2 mm\"", "pattern = \"roller\""},
               key_line(7), "pattern", {"pattern = \"roller\" needs device = \"dermaroller\"", "expected \"lattice\""});
}

TEST(TreatmentConfigErrors, GridCells) {
  expect_error({"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "wall_cell = \"100 um\""}, key_line(3),
               "wall_cell", {"wall_cell < channel_diameter (70.7 um)"});
  expect_error(
      {"device = \"dermaroller\"", "needle_length = \"0.5 mm\"", "wall_cell = \"5 um\"", "lateral_max_cell = \"2 um\""},
      key_line(3), "wall_cell", {"expected wall_cell <= lateral_max_cell"});
}

TEST(TreatmentConfigErrors, MisspelledKeyIsUnknown) {
  expect_error({"device = \"stamp\"", "needle_length = \"0.5 mm\"", "density = \"100 /cm2\"", "ocluded = true"},
               key_line(4), "ocluded", {"unknown key 'ocluded' in [treatment]", "did you mean 'occluded'"});
}
