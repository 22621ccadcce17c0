// The study: what a user's TOML config says, resolved to SI-like internal units
// (cm, s, µg). Plain data, no parsing and no numerics; src/config fills it, src/model
// discretises it. The structs of sections read key by key declare their config keys beside
// their fields (static keys(), poreflux/key_decl.hpp). Every physical value here is in the
// internal unit named in its field.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "poreflux/key_decl.hpp"
#include "poreflux/numerics_spec.hpp"
#include "poreflux/parameters.hpp"
#include "poreflux/plausible_ranges.hpp"
#include "poreflux/vehicle.hpp"

namespace poreflux {

// The compartments a layer can report to (MODEL.md §6), top to bottom.
inline const std::vector<std::string>& layer_role_names() {
  static const std::vector<std::string> roles{"stratum_corneum", "viable_epidermis", "dermis"};
  return roles;
}

// One skin layer, top (stratum corneum) to bottom (dermis).
struct LayerSpec {
  std::string name;                          // free, e.g. "papillary_dermis"
  std::string role;                          // one of layer_role_names(): the compartment it reports to
  double thickness_cm = 0.0;                 // > 0
  std::string thickness_source = "config";   // or the skin site preset it came from
  std::optional<Sourced> diffusivity_cm2_s;  // D; derived by the resolve step when absent
  std::optional<Sourced> partition;          // K relative to the vehicle (dimensionless)
  double max_cell_cm = 0.0;                  // largest grid spacing allowed in this layer
  double degradation_per_s = 0.0;            // first-order k_deg in this tissue
  std::optional<Sourced> clearance_per_s;    // first-order dermal clearance (in vivo only)
  // Stratum corneum only: D and K once partially hydrated (MODEL.md §3), from the relation set's
  // ratio to the fully hydrated values (the resolve step); absent: no change with hydration.
  std::optional<Sourced> partial_diffusivity_cm2_s;
  std::optional<Sourced> partial_partition;
  // The partially hydrated SC's thickness over the layer's (13.4 / 43.4 um): its partition per
  // volume of that SC is partial_partition / this (the grid keeps one thickness).
  double partial_thickness_ratio = 1.0;
  std::string config_line;  // "file:line" of the [[layer]] table, for later messages
};

enum class DoseMode { finite, infinite };

// What the film's physics needs of the active (filled by the resolve step).
struct FilmActive {
  double log_kow = 0.0;
  double fraction_non_ionised = 1.0;  // at the vehicle's pH
  double evaporation_cm_per_s = 0.0;  // evaporation flux per area per unit of activity (0: not volatile)
  // A dried deposit ([vehicle] deposit): its activity against the skin (0: as the saturated
  // liquid), and the transfer resistance it dissolves through [s/cm] (0: none).
  double dry_deposit_activity = 0.0;
  double dry_deposit_resistance_s_per_cm = 0.0;
  // The density cap on the liquid film's saturation activity: density / K_sc/v of the hydrated
  // SC, so that no film drives the SC above the active's density (0: none).
  double density_cap_activity = 0.0;
  // A particulate deposit's amount per area at full coverage [ug/cm2] (0: full contact).
  double deposit_full_coverage_ug_per_cm2 = 0.0;
};

struct VehicleSpec {
  DoseMode mode = DoseMode::finite;
  double concentration_ug_per_cm3 = 0.0;  // active concentration in the formulation
  double film_thickness_cm = 0.0;         // applied volume per area (1 µL/cm² = 10 µm)
  double degradation_per_s = 0.0;         // first-order loss in the film
  double ph = 7.0;                        // sets the non-ionised fraction in the film
  // Vehicle/water partition of the active: 1 for an aqueous vehicle; larger when an oil
  // phase holds the active back. Tissue partitions are divided by it.
  Sourced water_partition{1.0, "aqueous vehicle assumed (vehicle/water partition 1)"};
  std::optional<Sourced> solubility_ug_per_cm3;  // in the vehicle; derived from water solubility
  // What the vehicle is made of (MODEL.md §3). Absent: a film that keeps its volume and
  // composition for the whole study (nothing evaporates), as an in vitro donor under a cap.
  std::optional<VehicleComposition> composition;
  // Degree of saturation the film tolerates before the excess precipitates (1: none; a
  // polymer-stabilised drying film can hold 2-4, Davis & Hadgraft 1991).
  double supersaturation_limit = 1.0;
  // How a dried deposit is taken up ([vehicle] deposit, docs/VEHICLES.md): "deposition_zone"
  // (Dancik/OSP: the SC's saturated concentration min(K_sc/w S_w, density), released as the SC
  // below takes it), "lipid_solubility" (Kasting & Saiyasombati 2001: K_oct S_w drives it) or
  // "dissolution" (the deposit dissolves into the skin through a transfer coefficient).
  std::string deposit = "lipid_solubility";  // chosen by the qualification suite (docs/VALIDATION.md)
  // The "dissolution" model's transfer coefficient, water-equivalent [cm/s].
  Sourced deposit_transfer_cm_s{0.0, "not used"};
  // How a dry deposit touches the skin ([vehicle] deposit_contact): "full", or "particles"
  // (crystals covering (M / (density x size))^(2/3) of the surface, Hixson-Crowell).
  std::string deposit_contact = "particles";  // chosen by the qualification suite (docs/VALIDATION.md)
  Sourced deposit_particle_size_cm{0.0, "not used"};
  FilmActive active;  // filled by the resolve step
  // The formulation's density [g/cm3]: [vehicle] density, else the volume-weighted mean of the
  // composition's components; absent when neither is given. Converts what formulators write per
  // mass ("10 % w/w", "2 mg/cm2" of formulation) into the per-volume amounts above.
  std::optional<Sourced> density_g_per_cm3;
  // Each such conversion in words ("concentration 10 % w/w x density 1.03 g/mL = 103 mg/mL"),
  // for the printed summary and the summary JSON.
  std::vector<std::string> conversions;

  // The config keys of [vehicle] bound to a field above, in the order "valid keys" and
  // docs/CONFIG.md list them; the keys that land in no one field (formulation_per_area,
  // dose_per_area, density, composition, evaporation_rates, degradation_half_life) are declared
  // between them in src/config/keys_vehicle.cpp. The film and the amount are either/or pairs
  // converted through the density, and some keys apply to one deposit model only: read_vehicle
  // and read_formulation.cpp read those (`read_by`), taking each range from here.
  static const KeyFields<VehicleSpec>& keys() {
    static const KeyFields<VehicleSpec> fields = [] {
      const char* defaults = "VehicleSpec, include/poreflux/study.hpp";
      const char* pairs = "read_vehicle (either/or film and amount keys, read_formulation.cpp)";
      const char* qualified = "VehicleSpec; chosen by the qualification suite, docs/VALIDATION.md";
      auto key = [](const char* name) { return KeyDecl("vehicle", name); };
      // Active per volume: more than none, and no more than a solid holds.
      Bounds positive_concentration = ranges::concentration();
      positive_concentration.lower_open = true;
      positive_concentration.text = "> 0 and at most 2 g/mL";
      return KeyFields<VehicleSpec>{
          key_field(key("dose")
                        .one_of({"finite", "infinite"})
                        .defaults_to("", defaults)
                        .doc_line("`\"finite\"`: the film is depleted as the active enters the skin; `\"infinite\"`: "
                                  "its concentration stays fixed")
                        .lands("VehicleSpec::mode"),
                    &VehicleSpec::mode, {{"finite", DoseMode::finite}, {"infinite", DoseMode::infinite}}),
          key_field(key("volume_per_area")
                        .quantity(Dimension::volume_per_area, ranges::film_thickness())
                        .no_default("one of three")
                        .doc_line("applied volume per skin area; sets the film thickness")
                        .lands("VehicleSpec::film_thickness_cm")
                        .read_by_function(pairs)
                        .not_written_back("written as film_thickness"),
                    &VehicleSpec::film_thickness_cm),
          key_field(key("film_thickness")
                        .quantity(Dimension::length, ranges::film_thickness())
                        .no_default("one of three")
                        .doc_line("the film thickness directly")
                        .lands("VehicleSpec::film_thickness_cm")
                        .read_by_function(pairs),
                    &VehicleSpec::film_thickness_cm),
          key_field(key("concentration")
                        .quantity(Dimension::concentration, positive_concentration)
                        .mixed("quantity, or a mass fraction")
                        .no_default("one of two")
                        .doc_line("active concentration in the formulation: per volume (`\"150 mg/mL\"`, `\"15 % "
                                  "w/v\"`) or per mass (`\"10 % w/w\"`, `\"10 wt%\"`, `\"100 mg/g\"`, `\"500 "
                                  "ppm\"`, converted with the density, see \"Quantities and units\")")
                        .lands("VehicleSpec::concentration_ug_per_cm3")
                        .read_by_function("read_concentration (read_formulation.cpp)"),
                    &VehicleSpec::concentration_ug_per_cm3),
          key_field(key("degradation_rate")
                        .quantity(Dimension::rate, ranges::rate())
                        .defaults_to("\"0 1/s\"", "")
                        .doc_line("first-order loss in the film (oxidation, light); not with `degradation_half_life`")
                        .lands("VehicleSpec::degradation_per_s")
                        .read_by_function("read_degradation (one of a pair)"),
                    &VehicleSpec::degradation_per_s),
          key_field(key("ph")
                        .number(Bounds::closed(0.0, 14.0).because("the pH scale of water"), "5.5")
                        .defaults_to("", defaults)
                        .doc_line("formulation pH; sets the active's non-ionised fraction (docs/PARAMETERS.md)")
                        .lands("VehicleSpec::ph"),
                    &VehicleSpec::ph),
          key_field(
              key("water_partition")
                  .number(ranges::partition(), "1000")
                  .defaults_to("1", "or from `composition`")
                  .doc_line("vehicle/water partition of the active (1: aqueous; an oil phase holding a lipophilic "
                            "active: ≫ 1); every tissue K is divided by it. Refused together with "
                            "`composition`, which sets it")
                  .lands("VehicleSpec::water_partition")
                  .read_by_function("read_vehicle (not with composition)"),
              &VehicleSpec::water_partition)
              .written_when([](const VehicleSpec& v) { return !v.composition; }),
          key_field(
              key("solubility")
                  .quantity(Dimension::concentration, declaration_in(CompoundSpec::keys(), "water_solubility").range)
                  .no_default("water solubility × vehicle/water partition")
                  .doc_line("the active's solubility in the applied vehicle; sets the saturation activity "
                            "(deposit); a concentration above it warns")
                  .lands("VehicleSpec::solubility_ug_per_cm3"),
              &VehicleSpec::solubility_ug_per_cm3)
              .written_when([](const VehicleSpec& v) {
                return v.solubility_ug_per_cm3 && v.solubility_ug_per_cm3->source == "config";
              }),
          key_field(key("supersaturation_limit")
                        .number(Bounds::closed(1.0, 20.0).because(
                                    "1: none; a polymer-stabilised drying film holds 2-4 (Davis & Hadgraft 1991)"),
                                "1")
                        .defaults_to("", defaults)
                        .doc_line("degree of saturation the film tolerates before the excess precipitates; the "
                                  "saturation activity is this × the solubility in the vehicle")
                        .lands("VehicleSpec::supersaturation_limit"),
                    &VehicleSpec::supersaturation_limit),
          key_field(key("deposit")
                        .one_of({"deposition_zone", "lipid_solubility", "dissolution"})
                        .defaults_to("", qualified)
                        .doc_line("what drives a **dried** deposit into the skin (docs/VEHICLES.md §6): "
                                  "`\"lipid_solubility\"` — its concentration in the SC is the lipid solubility f_non "
                                  "K_oct S_w (Kasting & Saiyasombati 2001), capped at the density; "
                                  "`\"deposition_zone\"` — the SC's saturated concentration min(K_sc/w S_w, density) "
                                  "(Dancik 2013 / the OSP skin model); `\"dissolution\"` — the saturated liquid's "
                                  "activity through a transfer coefficient")
                        .lands("VehicleSpec::deposit"),
                    &VehicleSpec::deposit),
          key_field(key("deposit_transfer_coefficient")
                        .quantity(Dimension::speed,
                                  Bounds::plausible(1e-6 / 3600.0, 100.0 / 3600.0, "between 1e-6 cm/h and 100 cm/h",
                                                    "a stirred solution dissolves a solid at about D/10 um ~ 30 cm/h; "
                                                    "below 1e-6 cm/h nothing is taken up"))
                        .defaults_to("\"1e-3 cm/h\"", "estimate")
                        .doc_line("the `\"dissolution\"` model's water-equivalent transfer coefficient (`\"1e-3 "
                                  "cm/h\"`); only with `deposit = \"dissolution\"`")
                        .lands("VehicleSpec::deposit_transfer_cm_s")
                        .read_by_function("read_vehicle (only with deposit = \"dissolution\")"),
                    &VehicleSpec::deposit_transfer_cm_s)
              .written_when([](const VehicleSpec& v) {
                return v.deposit == "dissolution" && v.deposit_transfer_cm_s.value > 0.0;
              }),
          key_field(key("deposit_contact")
                        .one_of({"full", "particles"})
                        .defaults_to("", qualified)
                        .doc_line("how a dried deposit touches the skin: `\"particles\"` — crystals cover (M / "
                                  "(density × `deposit_particle_size`))^(2/3) of the surface (Hixson–Crowell: their "
                                  "number stays as they dissolve) and present their activity over that share; "
                                  "`\"full\"` — the whole surface, however little there is")
                        .lands("VehicleSpec::deposit_contact"),
                    &VehicleSpec::deposit_contact),
          key_field(key("deposit_particle_size")
                        .quantity(Dimension::length,
                                  Bounds::plausible(0.01e-4, 1000e-4, "between 0.01 um and 1 mm",
                                                    "smaller is a molecular film, larger no longer a deposit of a "
                                                    "topical dose"))
                        .defaults_to("\"10 um\"", "fitted, docs/VALIDATION.md")
                        .doc_line("the crystal size at which a deposit covers the whole surface; only with "
                                  "`deposit_contact = \"particles\"`")
                        .lands("VehicleSpec::deposit_particle_size_cm")
                        .read_by_function("read_vehicle (only with deposit_contact = \"particles\")"),
                    &VehicleSpec::deposit_particle_size_cm)
              .written_when([](const VehicleSpec& v) {
                return v.deposit_contact == "particles" && v.deposit_particle_size_cm.value > 0.0;
              }),
      };
    }();
    return fields;
  }
};

// A later application of the formulation (the first is [vehicle] itself, at t = 0).
struct ApplicationSpec {
  double time_s = 0.0;
  double concentration_ug_per_cm3 = 0.0;
  double film_thickness_cm = 0.0;  // applied volume per area
};

// A wash or wipe: this fraction of what is on the surface (liquid, deposit) is removed.
struct WashSpec {
  double time_s = 0.0;
  double efficiency = 1.0;  // 0..1
};

// How the parameters the config does not give are derived (MODEL.md §5, docs/PARAMETERS.md).
struct ParameterModel {
  std::string relations = "potts_guy";     // SC relation set: potts_guy | kasting | chen_lian
  std::vector<std::string> library_files;  // compound files searched before the built-in one
  std::string site;                        // skin site preset the layers came from ("" = none)
  // Stratum corneum hydration ([skin] hydration, MODEL.md §3): "auto" (follows the film),
  // "full" or "partial".
  std::string sc_hydration = "auto";
  std::string site_description;

  // The plain config keys of [skin] (poreflux/key_decl.hpp); `site` has rules of its own (read_skin).
  static const KeyFields<ParameterModel>& keys() {
    static const KeyFields<ParameterModel> fields{
        key_field(KeyDecl("skin", "hydration")
                      .one_of({"auto", "full", "partial"})
                      .defaults_to("", "ParameterModel, include/poreflux/study.hpp")
                      .doc_line("the stratum corneum's hydration (docs/MODEL.md, \"Stratum corneum hydration\"): "
                                "`\"auto\"` — fully hydrated under occlusion, under an infinite dose and while an "
                                "aqueous film (≥ 50 % water by volume) wets the skin, partially hydrated on open skin "
                                "once the film's water share falls below half, and from the start under a neat or "
                                "volatile-solvent dose (acetone, ethanol); re-wetted by each application. `\"full\"` "
                                "or `\"partial\"` hold one state for the whole study")
                      .lands("Study::parameter_model.sc_hydration"),
                  &ParameterModel::sc_hydration),
    };
    return fields;
  }
};

// A multiplicative factor fitted by `poreflux calibrate`, applied after the derivation.
struct CalibrationFactor {
  std::string target;  // "stratum_corneum.diffusivity", "stratum_corneum.partition", ...
  double factor = 1.0;
  std::string source;  // the calibration file and data it was fitted to
};

enum class BottomBoundary { sink /*in vitro receptor*/, clearance /*in vivo, no flux*/ };
enum class LateralBoundary { mirror, periodic };

// [boundary] as read; the Study keeps its two values as Study::bottom and Study::lateral.
struct BoundarySpec {
  BottomBoundary bottom = BottomBoundary::sink;
  LateralBoundary lateral = LateralBoundary::mirror;

  // The config keys of [boundary] (poreflux/key_decl.hpp). The bottom's default is the [skin]
  // site's when there is one (read_boundary sets it before the keys are read).
  static const KeyFields<BoundarySpec>& keys() {
    static const KeyFields<BoundarySpec> fields{
        key_field(KeyDecl("boundary", "bottom")
                      .one_of({"in_vitro", "in_vivo"})
                      .defaults_to("\"in_vitro\"", "or the [skin] site's setting: in vivo sites \"in_vivo\"")
                      .doc_line("`\"in_vitro\"`: a receptor sink under the last layer (Franz cell); `\"in_vivo\"`: no "
                                "flux out of the bottom, the active leaves through each layer's `clearance_rate`")
                      .lands("Study::bottom"),
                  &BoundarySpec::bottom, {{"in_vitro", BottomBoundary::sink}, {"in_vivo", BottomBoundary::clearance}}),
        key_field(KeyDecl("boundary", "lateral")
                      .one_of({"mirror", "periodic"})
                      .defaults_to("", "BoundarySpec, include/poreflux/study.hpp")
                      .doc_line("`\"mirror\"` or `\"periodic\"` side walls")
                      .lands("Study::lateral"),
                  &BoundarySpec::lateral,
                  {{"mirror", LateralBoundary::mirror}, {"periodic", LateralBoundary::periodic}}),
    };
    return fields;
  }
};

struct ProtocolSpec {
  double duration_s = 0.0;
  std::vector<double> output_times_s;         // strictly increasing, ends at duration
  std::optional<double> wipe_time_s;          // vehicle removed ("removed") at this time
  std::vector<ApplicationSpec> applications;  // after t = 0, increasing
  std::vector<WashSpec> washes;               // increasing (a wipe_at is one with efficiency 1)
  // Air over the film, and occlusion: one switch for the film (no evaporation), the channels'
  // closure preset and the stratum corneum's hydration factor.
  FilmEnvironment environment;
  Sourced occlusion_sc_diffusivity_factor{1.0, "not applied (no hydration factor given)"};

  // The plain config keys of [protocol] that land here (the air and occlusion are
  // FilmEnvironment::keys(), poreflux/vehicle.hpp). The output schedule, repeated applications
  // and washes are checked against each other and the duration: src/config/keys_protocol.cpp
  // declares them, read_protocol and read_schedule read them.
  static const KeyFields<ProtocolSpec>& keys() {
    static const KeyFields<ProtocolSpec> fields{
        key_field(KeyDecl("protocol", "duration")
                      .quantity(Dimension::time, Bounds::plausible(1.0, 3.2e7, "between 1 s and 1 year",
                                                                   "a study outside this is a unit slip", 86400.0))
                      .no_default("required")
                      .lands("ProtocolSpec::duration_s")
                      .read_by_function("read_protocol (required: every time of the schedule is checked against it)")
                      .doc_line("length of the simulated study"),
                  &ProtocolSpec::duration_s),
        key_field(KeyDecl("protocol", "wipe_at")
                      .quantity(Dimension::time, ranges::time_in_study())
                      .no_default("no wipe")
                      .lands("ProtocolSpec::wipe_time_s")
                      .doc_line("remove everything on the surface at this time (before the end of the study; not "
                                "with `wash_at`)"),
                  &ProtocolSpec::wipe_time_s),
    };
    return fields;
  }
};

struct OutputSpec {
  std::string path;  // HDF5 file; empty = <config stem>.h5 next to the config

  // The config keys of [output] (poreflux/key_decl.hpp).
  static const KeyFields<OutputSpec>& keys() {
    static const KeyFields<OutputSpec> fields{
        key_field(KeyDecl("output", "file")
                      .text("results.h5")
                      .defaults_to("", "OutputSpec, include/poreflux/study.hpp")
                      .doc_line("HDF5 result file, stored as written; empty lets the command line tool choose "
                                "`<config stem>.h5`")
                      .lands("Study::output.path"),
                  &OutputSpec::path),
    };
    return fields;
  }
};

// ---- Microneedle pre-treatment ([treatment], MODEL.md §1, §4) ------------------------------

enum class Lattice { square, hexagonal };
enum class ChannelShape { cylinder, cone };  // cone: a frustum from surface to tip diameter
enum class DomainKind {
  unit_cell,     // 3D unit cell of a regular lattice, symmetry-reduced where exact
  axisymmetric,  // r-z cell of equal area around one channel (the fast path)
  patch,         // a rectangular skin area with an explicit, device-generated pattern
};
enum class PatternKind { lattice, roller, pen };  // how a patch places its channels

struct TreatmentSpec {
  std::string device;  // "dermaroller" | "pen" | "stamp" | "channels"
  std::optional<double> needle_length_cm;
  Sourced penetration_fraction;  // channel depth / needle length
  Sourced channel_depth_cm;      // from needle length x fraction, or given
  Sourced channel_diameter_cm;   // at the surface
  double tip_diameter_cm = 0.0;  // cone only: diameter at the channel bottom
  ChannelShape shape = ChannelShape::cylinder;
  Lattice lattice = Lattice::square;
  Sourced density_per_cm2;  // channels per cm², derived from the device or given
  bool occluded = false;
  Sourced closure_tau_s;                             // open fraction exp(-t/tau); from occlusion or given
  std::vector<double> repeat_at_s;                   // later needling sessions (increasing, > 0): channels reopen
  bool formulation_filled = true;                    // false: drained, filled with interstitial fluid
  std::optional<Sourced> channel_diffusivity_cm2_s;  // the active in the channel's liquid; derived when absent
  double channel_partition = 1.0;                    // channel liquid vs vehicle

  DomainKind domain = DomainKind::unit_cell;  // a config without the key gets its lattice's default
  // No `domain` key: the domain is the lattice's default (config/read_treatment.cpp,
  // default_domain_name), which the printed summary says, with the key that gives the 3D cell.
  bool domain_by_default = false;
  // Patch only.
  PatternKind pattern = PatternKind::lattice;
  double patch_width_cm = 0.0, patch_length_cm = 0.0;
  unsigned seed = 1;
  int passes = 1;
  // Device details (recorded with the derivation of density).
  int roller_needles = 0, roller_rows = 0;
  double drum_diameter_cm = 0.0, drum_width_cm = 0.0;
  int pen_needles = 0;
  double pen_stamps_per_cm2 = 0.0;  // stamp positions per cm² in one pass
  double jitter_cm = 0.0;           // random offset of each stamp / needle position

  // Grid resolution.
  double wall_cell_cm = 0.0;         // lateral cell at the channel wall (0 = automatic)
  double lateral_max_cell_cm = 0.0;  // largest lateral cell (0 = automatic)
  std::string config_line;           // "file:line" of [treatment], for geometry errors

  // The plain config keys of [treatment] (the channel's shape, lattice, filling and liquid, the
  // grid's domain and cells), listed after the device keys; the device with its presets and
  // provenance, the depth, the density, the closure, the patch's size and the keys of one device
  // only are declared in src/config/keys_treatment.cpp and read by read_treatment.cpp's rules.
  static const KeyFields<TreatmentSpec>& keys() {
    static const KeyFields<TreatmentSpec> fields = [] {
      const char* defaults = "TreatmentSpec, include/poreflux/study.hpp";
      auto key = [](const char* name) { return KeyDecl("treatment", name); };
      return KeyFields<TreatmentSpec>{
          key_field(key("shape")
                        .one_of({"cylinder", "cone"})
                        .defaults_to("", defaults)
                        .doc_line("channel shape: a cylinder, or a cone narrowing to `tip_diameter`")
                        .lands("TreatmentSpec::shape"),
                    &TreatmentSpec::shape, {{"cylinder", ChannelShape::cylinder}, {"cone", ChannelShape::cone}}),
          key_field(key("lattice")
                        .one_of({"square", "hexagonal"})
                        .defaults_to("", defaults)
                        .doc_line("arrangement of the channels")
                        .lands("TreatmentSpec::lattice"),
                    &TreatmentSpec::lattice, {{"square", Lattice::square}, {"hexagonal", Lattice::hexagonal}}),
          key_field(key("filling")
                        .one_of({"formulation", "drained"})
                        .defaults_to("", defaults)
                        .doc_line("what fills the channels: the formulation, or interstitial fluid (drained)")
                        .lands("TreatmentSpec::formulation_filled"),
                    &TreatmentSpec::formulation_filled, {{"formulation", true}, {"drained", false}}),
          key_field(key("channel_diffusivity")
                        .quantity(Dimension::diffusivity, ranges::diffusivity())
                        .no_default("Stokes-Einstein in water at 32 °C (src/parameters)")
                        .doc_line("the active in the channel liquid")
                        .lands("TreatmentSpec::channel_diffusivity_cm2_s"),
                    &TreatmentSpec::channel_diffusivity_cm2_s),
          key_field(key("channel_partition")
                        .number(ranges::partition(), "1.0")
                        .defaults_to("", defaults)
                        .doc_line("channel liquid vs vehicle")
                        .lands("TreatmentSpec::channel_partition"),
                    &TreatmentSpec::channel_partition),
          key_field(key("domain")
                        .one_of({"unit_cell", "axisymmetric", "patch"})
                        // read_treatment's default_domain: every lattice outside a patch is regular.
                        .defaults_to("\"axisymmetric\"", "the regular lattice's equal-area r-z cell (issue 19)")
                        .doc_line("the grid's domain: an r-z cell of equal area around one channel (the default: the "
                                  "regular lattice's cheap equivalent, within ~0.01 % of the 3D cell in uptake, and "
                                  "the summary's treatment: line says so), a 3D unit cell of the lattice, or a patch "
                                  "of skin with the device's pattern")
                        .lands("TreatmentSpec::domain"),
                    &TreatmentSpec::domain,
                    {{"unit_cell", DomainKind::unit_cell},
                     {"axisymmetric", DomainKind::axisymmetric},
                     {"patch", DomainKind::patch}}),
          key_field(key("wall_cell")
                        .quantity(Dimension::length, Bounds::non_negative().because(
                                                         "0 = automatic; otherwise within lateral_max_cell's range"))
                        .defaults_to("", "automatic")
                        .doc_line("lateral cell at the channel wall, smaller than the channel and than "
                                  "`lateral_max_cell`")
                        .lands("TreatmentSpec::wall_cell_cm")
                        .read_by_function("read_grid (against the channel and lateral_max_cell)"),
                    &TreatmentSpec::wall_cell_cm),
          key_field(key("lateral_max_cell")
                        .quantity(Dimension::length,
                                  Bounds::plausible(1e-5, 1.0, "between 0.1 um and 1 cm",
                                                    "finer than 0.1 um resolves nothing a channel wall has; coarser "
                                                    "than 1 cm is no grid",
                                                    5e-4))
                        .no_default("automatic")
                        .doc_line("largest lateral cell")
                        .lands("TreatmentSpec::lateral_max_cell_cm"),
                    &TreatmentSpec::lateral_max_cell_cm)
              .written_when([](const TreatmentSpec& s) { return s.lateral_max_cell_cm > 0.0; }),
          key_field(
              key("jitter")
                  .quantity(Dimension::length, Bounds::plausible(0.0, 1.0, "between 0 and 1 cm",
                                                                 "a stamp placed more than 1 cm off is another stamp"))
                  .defaults_to("", defaults)
                  .doc_line("patch only: random offset of each stamp / needle position")
                  .lands("TreatmentSpec::jitter_cm")
                  .read_by_function("read_patch (domain = \"patch\" only)"),
              &TreatmentSpec::jitter_cm)
              .written_when([](const TreatmentSpec& s) { return s.domain == DomainKind::patch; }),
      };
    }();
    return fields;
  }
};

struct Study {
  std::string source_file;  // the config file it was read from
  std::string title;
  CompoundSpec compound;
  ParameterModel parameter_model;
  std::vector<LayerSpec> layers;
  VehicleSpec vehicle;
  ProtocolSpec protocol;
  BottomBoundary bottom = BottomBoundary::sink;
  LateralBoundary lateral = LateralBoundary::mirror;
  NumericsSpec numerics;
  OutputSpec output;
  std::optional<TreatmentSpec> treatment;  // absent: intact skin only
  std::vector<CalibrationFactor> calibration;
  std::string resolved_toml;  // the config as resolved (defaults filled), for the HDF5
  // What the reader took differently from how it was written ("device \"dermapen\" read as
  // \"pen\""), printed with the summary.
  std::vector<std::string> notes;

  // Filled by the resolve step (src/parameters): every derived or checked value with its
  // relation and inputs, and what stretched a relation beyond its domain.
  std::vector<DerivedParameter> parameters;
  std::vector<StudyWarning> warnings;

  // Applied dose per skin area, µg/cm² (finite dose: C_v h_v; infinite: the initial film).
  double applied_ug_per_cm2() const { return vehicle.concentration_ug_per_cm3 * vehicle.film_thickness_cm; }
};

}  // namespace poreflux
