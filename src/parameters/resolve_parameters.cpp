#include "resolve_parameters.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "device_presets.hpp"
#include "ionisation.hpp"
#include "poreflux/config.hpp"
#include "relations.hpp"
#include "vehicle/film_composition.hpp"
#include "vehicle/film_history_builder.hpp"

namespace poreflux {
namespace {

constexpr double kTissuePh = 7.4;       // binding and clearance see the tissue's pH
constexpr double kOffByWarning = 10.0;  // explicit vs derived
constexpr double kLogKowLow = -2.0, kLogKowHigh = 5.5, kMwHigh = 500.0;
// The density cap of a deposit's concentration in the SC (MODEL.md §3): a typical organic
// solid, 1.2 g/cm3 (the OSP benchmark actives span 0.9-1.12 g/cm3); no library value exists.
constexpr double kActiveDensityUgPerCm3 = 1.2e6;
// The "dissolution" deposit model's default transfer coefficient (docs/VEHICLES.md).
// The "dissolution" alternative's default transfer coefficient: not fitted (the suite chose the
// particulate deposit); 1e-3 cm/h puts it between the caffeine (3e-6) and testosterone (1e-3)
// figures the measurements imply (docs/VEHICLES.md). Selectable, not the default.
constexpr double kDepositTransferCmPerS = 1e-3 / 3600.0;
constexpr const char* kDepositTransferSource = "estimate (not fitted; docs/VEHICLES.md)";
// The one fitted constant of the deposit model: fitted on half of the qualification suite and
// scored on the other (tools/fit_deposit_particle_size.py, docs/VALIDATION.md): half A chose
// 10 um (held-out half B: GMFE 3.37 against its own best 3.09), half B chose 30 um (held-out A:
// 2.99 against 2.76); the grid spanned 0.3-100 um, crystals seen on and in the outer SC after a
// solvent evaporates (Saar et al. 2011 Mol Pharm 8:969; Hadgraft & Lane 2016 Expert Opin Drug
// Deliv 13:817; sizes not read as numbers there: the range is this project's bound).
constexpr double kDepositParticleSizeCm = 10e-4;
constexpr const char* kDepositParticleSizeSource =
    "fitted: two-fold cross-validation on the qualification suite (half A 10 um, half B 30 um; docs/VALIDATION.md)";

std::string fmt(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4g", v);
  return buffer;
}

class Resolver {
 public:
  explicit Resolver(Study& study) : study_(study) {}

  void run() {
    read_compound();
    resolve_vehicle_partition();
    for (std::size_t i = 0; i < study_.layers.size(); ++i) resolve_layer(i);
    apply_occlusion();
    resolve_channel();
    apply_calibration();
    resolve_partial_hydration();
    check_solubility();
    resolve_dry_deposit();
    check_residue();
    resolve_active_evaporation();
    check_derived_ranges();
    warn_unusual_values();
  }

 private:
  Study& study_;
  bool have_properties_ = false;
  double mw_ = 0.0, log_kow_ = 0.0;
  double f_non_vehicle_ = 1.0, f_non_tissue_ = 1.0;
  std::vector<Pka> pka_;
  bool clearance_recorded_ = false;  // by the derivation, with its inputs
  // Per SC layer: partial / full hydration ratios of the capacity K h and of kp (MODEL.md §3).
  struct HydrationRatios {
    double capacity = 1.0, permeability = 1.0, thickness = 1.0;
    std::vector<DerivationInput> inputs;
  };
  std::vector<std::optional<HydrationRatios>> hydration_ratios_;

  void record(std::string name, double value, std::string unit, std::string relation,
              std::vector<DerivationInput> inputs = {}) {
    study_.parameters.push_back({std::move(name), value, std::move(unit), std::move(relation), std::move(inputs)});
  }
  void warn(std::string code, std::string message) { study_.warnings.push_back({std::move(code), std::move(message)}); }

  [[noreturn]] void fail_at(const std::string& config_line, const std::string& key, const std::string& why) {
    const std::size_t colon = config_line.rfind(':');
    const std::string file = colon == std::string::npos ? study_.source_file : config_line.substr(0, colon);
    const int line = colon == std::string::npos ? 0 : std::atoi(config_line.c_str() + colon + 1);
    throw ConfigError(file, line, key, why);
  }

  void require_properties(const std::string& config_line, const std::string& key, const std::string& what) {
    if (have_properties_) return;
    fail_at(config_line, key,
            "required key is missing: " + what +
                " cannot be derived without the active's "
                "molecular weight and log Kow; give it here, or name a library compound in [compound] "
                "name = \"niacinamide\" (see `poreflux compounds`), or define one inline with "
                "molecular_weight and log_kow");
  }

  void read_compound() {
    const CompoundSpec& c = study_.compound;
    have_properties_ = c.molecular_weight_g_per_mol && c.log_kow;
    if (!have_properties_) return;
    mw_ = c.molecular_weight_g_per_mol->value;
    log_kow_ = c.log_kow->value;
    record("compound.molecular_weight", mw_, "g/mol", c.molecular_weight_g_per_mol->source);
    record("compound.log_kow", log_kow_, "1", c.log_kow->source);
    if (c.pka) {
      pka_ = *c.pka;
    } else {
      warn("pka_unknown", "no pka given for \"" + c.name +
                              "\": it is treated as non-ionisable; give "
                              "pka = [] to say so, or its pKa values with their type");
    }
    std::vector<DerivationInput> inputs{{"ph", study_.vehicle.ph, "1"}};
    for (std::size_t i = 0; i < pka_.size(); ++i) {
      inputs.push_back(
          {"pka" + std::to_string(i + 1) + (pka_[i].type == PkaType::acid ? "_acid" : "_base"), pka_[i].value, "1"});
    }
    f_non_vehicle_ = parameters::non_ionised_fraction(pka_, study_.vehicle.ph);
    f_non_tissue_ = parameters::non_ionised_fraction(pka_, kTissuePh);
    const std::string hh = pka_.empty() ? "no ionisable group" : "Henderson-Hasselbalch (docs/PARAMETERS.md)";
    record("vehicle.non_ionised_fraction", f_non_vehicle_, "1", hh, inputs);
    inputs.front().value = kTissuePh;
    record("tissue.non_ionised_fraction", f_non_tissue_, "1", hh + " at tissue pH 7.4", inputs);

    if (log_kow_ < kLogKowLow || log_kow_ > kLogKowHigh) {
      warn("log_kow_out_of_range",
           "log Kow " + fmt(log_kow_) + " of \"" + c.name + "\" is outside " + fmt(kLogKowLow) + ".." +
               fmt(kLogKowHigh) +
               ", where the SC and tissue relations were calibrated: derived D and K are extrapolations");
    }
    if (mw_ > kMwHigh) {
      warn("molecular_weight_high", "molecular weight " + fmt(mw_) + " g/mol of \"" + c.name + "\" is above " +
                                        fmt(kMwHigh) +
                                        " g/mol, beyond the relations' data: derived values are extrapolations");
    }
    if (f_non_vehicle_ < 0.5) {
      warn("mostly_ionised", "\"" + c.name + "\" is " + fmt(100.0 * (1.0 - f_non_vehicle_)) +
                                 " % ionised at the vehicle pH " + fmt(study_.vehicle.ph) +
                                 ": it crosses intact SC mainly by the slow polar pathway");
    }
  }

  std::vector<DerivationInput> molecule_inputs() const {
    return {{"molecular_weight", mw_, "g/mol"}, {"log_kow", log_kow_, "1"}};
  }

  // A derived value, or the given one checked against it. Returns the value to use.
  Sourced settle(const std::optional<Sourced>& given, const std::string& name, double derived, const std::string& unit,
                 const std::string& relation, std::vector<DerivationInput> inputs) {
    if (!given) {
      record(name, derived, unit, relation, std::move(inputs));
      return {derived, relation};
    }
    record(name, given->value, unit, given->source);
    record(name + ".derived", derived, unit, relation + " (not used: the config's value wins)", std::move(inputs));
    const double ratio = given->value / derived;
    if (ratio > kOffByWarning || ratio < 1.0 / kOffByWarning) {
      warn("explicit_value_far_from_derived", name + " = " + fmt(given->value) + " " + unit + " from the config is " +
                                                  fmt(ratio) + "x the derived " + fmt(derived) + " (" + relation + ")");
    }
    return *given;
  }

  void resolve_layer(std::size_t index) {
    LayerSpec& layer = study_.layers[index];
    const std::string key = "layer[" + std::to_string(index + 1) + "]";
    const std::string prefix = layer.name;
    record(prefix + ".thickness", layer.thickness_cm * 1e4, "um", layer.thickness_source);
    const bool need_transport = !layer.diffusivity_cm2_s || !layer.partition;
    if (need_transport)
      require_properties(layer.config_line, key + (layer.diffusivity_cm2_s ? ".partition" : ".diffusivity"),
                         "the " + layer.name + " " + (layer.diffusivity_cm2_s ? "partition" : "diffusivity"));
    const double k_vehicle_water = study_.vehicle.water_partition.value;
    if (have_properties_) {
      if (layer.role == "stratum_corneum") resolve_stratum_corneum(layer, prefix, k_vehicle_water);
      else resolve_viable_tissue(layer, prefix, k_vehicle_water);
    }
    // In vivo, clearance acts in the dermis (Dancik 2013); other layers clear nothing unless told.
    if (study_.bottom == BottomBoundary::clearance && !layer.clearance_per_s && layer.role == "dermis" &&
        !have_properties_) {
      warn("no_dermal_clearance",
           layer.name + ": no clearance_rate and no compound to derive it from: nothing is cleared");
    }
    if (layer.clearance_per_s && !clearance_recorded_)
      record(prefix + ".clearance_rate", layer.clearance_per_s->value, "1/s", layer.clearance_per_s->source);
    clearance_recorded_ = false;
  }

  void resolve_stratum_corneum(LayerSpec& layer, const std::string& prefix, double k_vehicle_water) {
    const bool kasting = study_.parameter_model.relations == "kasting";
    const double k_neutral = parameters::kasting_sc_water_partition(log_kow_);
    const double k_ion = parameters::kasting_sc_water_partition_of_ion();
    const double k_sc_water = f_non_vehicle_ * k_neutral + (1.0 - f_non_vehicle_) * k_ion;
    const double kp_lipid =
        kasting ? parameters::kasting_sc_kp_cm_h(mw_, log_kow_) : parameters::potts_guy_kp_cm_h(mw_, log_kow_);
    const double kp_polar = parameters::polar_pathway_kp_cm_h(mw_);
    const double kp_water = f_non_vehicle_ * kp_lipid + kp_polar;  // cm/h, from water
    const double h = layer.thickness_cm;
    const std::string lipid_name = kasting ? "Kasting/CDC brick-and-mortar SC (analytic P^)" : "Potts & Guy 1992";

    std::vector<DerivationInput> in = molecule_inputs();
    record(prefix + ".kp_lipid_route", kp_lipid, "cm/h", lipid_name + ", neutral form", in);
    record(prefix + ".kp_polar_route", kp_polar, "cm/h",
           "polar pathway 1.519e-4/sqrt(MW) (Robinson model, Wilschut 1995)", {{"molecular_weight", mw_, "g/mol"}});
    record(prefix + ".kp_from_water", kp_water, "cm/h", "f_non kp_lipid + kp_polar",
           {{"non_ionised_fraction", f_non_vehicle_, "1"},
            {"kp_lipid", kp_lipid, "cm/h"},
            {"kp_polar", kp_polar, "cm/h"}});
    record(prefix + ".partition_to_water", k_sc_water, "1",
           "Kasting/CDC hydrated SC: f_non (0.014 Kow^0.81 + 0.782 + 1.381 Kow^0.27) + (1 - f_non) 0.782",
           {{"log_kow", log_kow_, "1"}, {"non_ionised_fraction", f_non_vehicle_, "1"}});

    layer.partition =
        settle(layer.partition, prefix + ".partition", k_sc_water / k_vehicle_water, "1", "K_sc/w / K_vehicle/w",
               {{"partition_to_water", k_sc_water, "1"}, {"vehicle_water_partition", k_vehicle_water, "1"}});
    const double d = kp_water / 3600.0 * h / k_sc_water;
    layer.diffusivity_cm2_s = settle(
        layer.diffusivity_cm2_s, prefix + ".diffusivity", d, "cm2/s",
        std::string(kasting ? "kasting" : "potts_guy") + ": kp_from_water h / K_sc/w (homogenised SC)",
        {{"kp_from_water", kp_water, "cm/h"}, {"thickness", h * 1e4, "um"}, {"partition_to_water", k_sc_water, "1"}});
    const double lag_h = h * h / (6.0 * layer.diffusivity_cm2_s->value) / 3600.0;
    record(prefix + ".lag_time_estimate", lag_h, "h", "h^2 / (6 D) (Crank; MODEL.md §7.1)");
    record(prefix + ".kp_from_vehicle", layer.partition->value * layer.diffusivity_cm2_s->value / h * 3600.0, "cm/h",
           "K D / h");

    // The partially hydrated SC (MODEL.md §3): the Wang-Kasting-Nitsche model's ratios of the
    // two states, applied to the values above (either relation set: Potts & Guy is a fit to
    // hydrated skin in vitro, so it maps to the hydrated state). The lipid route by the model's
    // own P ratio, the polar route by its ratio in the hydrophilic (transbilayer-limited) limit,
    // the capacity K h by the states' partitions and thicknesses (43.4 -> 13.4 um: swelling).
    using parameters::ScHydration;
    const double lipid_ratio = parameters::kasting_sc_permeability_cm_h(mw_, log_kow_, ScHydration::partial) /
                               parameters::kasting_sc_permeability_cm_h(mw_, log_kow_, ScHydration::full);
    const double polar_ratio = parameters::kasting_sc_hydrophilic_limit_cm_h(mw_, ScHydration::partial) /
                               parameters::kasting_sc_hydrophilic_limit_cm_h(mw_, ScHydration::full);
    const double kp_partial = f_non_vehicle_ * kp_lipid * lipid_ratio + kp_polar * polar_ratio;
    const double k_partial_per_volume =
        f_non_vehicle_ * parameters::kasting_sc_water_partition(log_kow_, ScHydration::partial) +
        (1.0 - f_non_vehicle_) * parameters::kasting_sc_water_partition_of_ion(ScHydration::partial);
    const double thickness_ratio = parameters::kasting_sc_thickness_cm(ScHydration::partial) /
                                   parameters::kasting_sc_thickness_cm(ScHydration::full);
    HydrationRatios r;
    r.thickness = thickness_ratio;
    r.capacity = k_partial_per_volume * thickness_ratio / k_sc_water;
    r.permeability = kp_partial / kp_water;
    r.inputs = {{"kp_lipid_ratio_partial_full", lipid_ratio, "1"},
                {"kp_polar_ratio_partial_full", polar_ratio, "1"},
                {"partition_to_water_partial", k_partial_per_volume, "1"},
                {"thickness_ratio_partial_full", thickness_ratio, "1"}};
    record(
        prefix + ".partial_hydration.kp_lipid_ratio", lipid_ratio, "1",
        "Wang-Kasting-Nitsche P_sc partial / full (D_lip/3, k_trans/3, fibre fraction 0.60 vs 0.19, h 13.4 vs 43.4 um)",
        in);
    record(prefix + ".partial_hydration.kp_polar_ratio", polar_ratio, "1",
           "Wang-Kasting-Nitsche P_sc partial / full in the hydrophilic limit (transbilayer-limited)",
           {{"molecular_weight", mw_, "g/mol"}});
    record(prefix + ".partial_hydration.kp_from_water", kp_partial, "cm/h",
           "f_non kp_lipid x lipid ratio + kp_polar x polar ratio",
           {{"non_ionised_fraction", f_non_vehicle_, "1"},
            {"kp_lipid", kp_lipid, "cm/h"},
            {"kp_polar", kp_polar, "cm/h"}});
    record(prefix + ".partial_hydration.partition_to_water", k_partial_per_volume, "1",
           "Wang-Kasting-Nitsche partially hydrated SC: f_non (0.040 Kow^0.81 + 0.359 + 4.057 Kow^0.27) + (1 - f_non) "
           "0.359",
           {{"log_kow", log_kow_, "1"}, {"non_ionised_fraction", f_non_vehicle_, "1"}});
    const std::size_t index = static_cast<std::size_t>(&layer - study_.layers.data());
    if (hydration_ratios_.size() <= index) hydration_ratios_.resize(index + 1);
    hydration_ratios_[index] = r;
  }

  // The partially hydrated SC's D and K on the grid: the final hydrated values (given or
  // derived, after occlusion and calibration) times the relation's ratios of capacity (K h)
  // and permeability (K D / h), the thickness change folded in (the grid keeps one thickness).
  void resolve_partial_hydration() {
    for (std::size_t i = 0; i < study_.layers.size() && i < hydration_ratios_.size(); ++i) {
      if (!hydration_ratios_[i]) continue;
      LayerSpec& layer = study_.layers[i];
      if (!layer.partition || !layer.diffusivity_cm2_s) continue;
      const HydrationRatios& r = *hydration_ratios_[i];
      const double k = layer.partition->value * r.capacity;
      const double d = layer.diffusivity_cm2_s->value * r.permeability / r.capacity;
      const std::string relation = "partially hydrated SC (MODEL.md §3): hydrated value x Wang-Kasting-Nitsche ratio";
      layer.partial_partition = Sourced{k, relation + " of K h"};
      layer.partial_thickness_ratio = r.thickness;
      layer.partial_diffusivity_cm2_s = Sourced{d, relation + "s of K D / h and K h"};
      std::vector<DerivationInput> in = r.inputs;
      in.push_back({"capacity_ratio", r.capacity, "1"});
      in.push_back({"permeability_ratio", r.permeability, "1"});
      record(layer.name + ".partial_hydration.partition", k, "1", layer.partial_partition->source, in);
      record(layer.name + ".partial_hydration.diffusivity", d, "cm2/s", layer.partial_diffusivity_cm2_s->source, in);
      const double h = layer.thickness_cm;
      record(layer.name + ".partial_hydration.kp_from_vehicle", k * d / h * 3600.0, "cm/h", "K D / h");
      record(layer.name + ".partial_hydration.lag_time_estimate", h * h / (6.0 * d) / 3600.0, "h", "h^2 / (6 D)");
    }
  }

  // What a dried deposit presents to the skin ([vehicle] deposit, MODEL.md §3, docs/VEHICLES.md).
  // Activities are vehicle-equivalent: a concentration C in the SC is the activity C / K_sc/v.
  void resolve_dry_deposit() {
    VehicleSpec& v = study_.vehicle;
    if (v.mode == DoseMode::infinite || !v.solubility_ug_per_cm3) return;
    const LayerSpec* sc = nullptr;
    for (const LayerSpec& l : study_.layers)
      if (l.role == "stratum_corneum" && l.partition) {
        sc = &l;
        break;
      }
    if (!sc) return;
    // The deposit sits on an SC in the state it has once the film has dried.
    const bool partial =
        study_.parameter_model.sc_hydration != "full" && !study_.protocol.environment.occluded && sc->partial_partition;
    // Per volume of the SC in that state (the deposition zone's concentration is a real one).
    const double k_sc_vehicle =
        partial ? sc->partial_partition->value / sc->partial_thickness_ratio : sc->partition->value;
    v.active.density_cap_activity = kActiveDensityUgPerCm3 / sc->partition->value;
    const double s_vehicle = v.solubility_ug_per_cm3->value;  // the solid's activity
    const double density = kActiveDensityUgPerCm3;
    std::vector<DerivationInput> in{{"solubility_in_vehicle", s_vehicle, "ug/cm3"},
                                    {"sc_partition_to_vehicle", k_sc_vehicle, "1"},
                                    {"active_density", density, "ug/cm3"}};
    if (v.deposit == "deposition_zone") {
      v.active.dry_deposit_activity = std::min(s_vehicle, density / k_sc_vehicle);
      record("vehicle.deposit.sc_concentration", v.active.dry_deposit_activity * k_sc_vehicle, "ug/cm3",
             "deposition zone (Dancik 2013 / OSP): min(K_sc/w S_w, density)", in);
    } else if (v.deposit == "lipid_solubility" && !have_properties_) {
      // Without log Kow there is no lipid solubility: the deposition zone's water-based one.
      v.active.dry_deposit_activity = std::min(s_vehicle, density / k_sc_vehicle);
      warn("deposit_lipid_solubility_unknown",
           "the dried deposit's lipid solubility needs the active's log Kow: it is held at the SC's water-based "
           "saturation "
           "instead (as deposit = \"deposition_zone\"); give log_kow in [compound], or a library compound's name");
    } else if (v.deposit == "lipid_solubility") {
      const double s_water = s_vehicle / v.water_partition.value;
      const double lipid = std::min(std::pow(10.0, log_kow_) * f_non_vehicle_ * s_water, density);
      in.push_back({"log_kow", log_kow_, "1"});
      v.active.dry_deposit_activity = lipid / k_sc_vehicle;
      record("vehicle.deposit.sc_concentration", lipid, "ug/cm3",
             "lipid solubility (Kasting & Saiyasombati 2001): min(f_non K_oct S_w, density)", in);
    } else {  // dissolution
      v.active.dry_deposit_activity = s_vehicle;
      if (v.deposit_transfer_cm_s.source == "not used")
        v.deposit_transfer_cm_s = Sourced{kDepositTransferCmPerS, kDepositTransferSource};
      v.active.dry_deposit_resistance_s_per_cm = v.water_partition.value / v.deposit_transfer_cm_s.value;
      record("vehicle.deposit.transfer_coefficient", v.deposit_transfer_cm_s.value * 3600.0, "cm/h",
             v.deposit_transfer_cm_s.source);
    }
    if (v.deposit_contact == "particles") {
      if (v.deposit_particle_size_cm.source == "not used")
        v.deposit_particle_size_cm = Sourced{kDepositParticleSizeCm, kDepositParticleSizeSource};
      v.active.deposit_full_coverage_ug_per_cm2 = density * v.deposit_particle_size_cm.value;
      record("vehicle.deposit.particle_size", v.deposit_particle_size_cm.value * 1e4, "um",
             v.deposit_particle_size_cm.source);
      record(
          "vehicle.deposit.full_coverage", v.active.deposit_full_coverage_ug_per_cm2, "ug/cm2",
          "density x particle size: the amount per area at which crystals of that size cover the skin; below it they "
          "touch (M / this)^(2/3) of it (Hixson-Crowell)",
          {{"active_density", density, "ug/cm3"}, {"particle_size", v.deposit_particle_size_cm.value * 1e4, "um"}});
    }
    record("vehicle.deposit.activity", v.active.dry_deposit_activity, "ug/cm3",
           "the dried deposit's vehicle-equivalent activity ([vehicle] deposit = \"" + v.deposit + "\")", in);
  }

  void resolve_viable_tissue(LayerSpec& layer, const std::string& prefix, double k_vehicle_water) {
    const bool acid = [&] {
      for (const Pka& g : pka_)
        if (g.type == PkaType::acid && g.value < 9.0) return true;  // ionised at tissue pH
      return false;
    }();
    const double log_d = log_kow_ + std::log10(std::max(f_non_tissue_, 1e-30));
    const double f_u = parameters::fraction_unbound(acid, log_kow_, log_d);
    const double binding = parameters::kretsos_binding_factor(f_u, f_non_tissue_, log_kow_);
    const double d_free = parameters::kretsos_free_diffusivity_cm2_s(mw_);
    record(prefix + ".fraction_unbound", f_u, "1",
           std::string("Yamazaki & Kanaoka 2004 albumin binding, ") +
               (acid ? "acid form" : "base/neutral form at log D(7.4)"),
           {{"log_kow", log_kow_, "1"}, {"log_d_7_4", log_d, "1"}});
    record(
        prefix + ".binding_factor", binding, "1", "Kretsos 2008 / Chen 2015: 0.68 + 0.32/f_u + 0.025 f_non Kow^0.7",
        {{"fraction_unbound", f_u, "1"}, {"non_ionised_fraction_7_4", f_non_tissue_, "1"}, {"log_kow", log_kow_, "1"}});
    record(prefix + ".free_diffusivity", d_free, "cm2/s", "Kretsos 2008: 10^(-4.15 - 0.655 log10 MW)",
           {{"molecular_weight", mw_, "g/mol"}});
    layer.diffusivity_cm2_s =
        settle(layer.diffusivity_cm2_s, prefix + ".diffusivity", d_free / binding, "cm2/s", "Kretsos 2008: D_free / B",
               {{"free_diffusivity", d_free, "cm2/s"}, {"binding_factor", binding, "1"}});
    layer.partition = settle(layer.partition, prefix + ".partition", 0.7 * binding / k_vehicle_water, "1",
                             "Kretsos 2008: 0.7 B / K_vehicle/w",
                             {{"binding_factor", binding, "1"}, {"vehicle_water_partition", k_vehicle_water, "1"}});
    if (study_.bottom == BottomBoundary::clearance && layer.role == "dermis" && !layer.clearance_per_s) {
      const double k = parameters::dancik_dermal_clearance_per_s(mw_, log_kow_, binding);
      const std::string relation =
          "Dancik 2013: [1/(P_cap S) + 1/Q]^-1 / B, P_cap = 100 kp_PottsGuy, S = 100 cm2/cm3, Q = 0.0022 /s";
      record(prefix + ".clearance_rate", k, "1/s", relation,
             {{"molecular_weight", mw_, "g/mol"}, {"log_kow", log_kow_, "1"}, {"binding_factor", binding, "1"}});
      layer.clearance_per_s = Sourced{k, relation};
      clearance_recorded_ = true;
    }
  }

  void resolve_channel() {
    if (!study_.treatment || study_.treatment->channel_diffusivity_cm2_s) {
      if (study_.treatment)
        record("channel.diffusivity", study_.treatment->channel_diffusivity_cm2_s->value, "cm2/s", "config");
      return;
    }
    if (!study_.compound.molecular_weight_g_per_mol) {
      fail_at(study_.treatment->config_line, "treatment.channel_diffusivity",
              "required key is missing in [treatment]: the active's diffusivity in the channel liquid; give "
              "channel_diffusivity = \"9e-6 cm2/s\" here, or molecular_weight = \"176.12 g/mol\" in [compound] "
              "(or a library compound's name) to derive it (Stokes-Einstein)");
    }
    const double mw = study_.compound.molecular_weight_g_per_mol->value;
    const double d = parameters::channel_diffusivity_cm2_s(mw);
    study_.treatment->channel_diffusivity_cm2_s = Sourced{d, std::string(parameters::kChannelDiffusivitySource)};
    record("channel.diffusivity", d, "cm2/s", std::string(parameters::kChannelDiffusivitySource),
           {{"molecular_weight", mw, "g/mol"}});
  }

  void apply_calibration() {
    for (const CalibrationFactor& factor : study_.calibration) {
      const std::size_t dot = factor.target.find('.');
      const std::string role = factor.target.substr(0, dot), what = factor.target.substr(dot + 1);
      bool applied = false;
      for (LayerSpec& layer : study_.layers) {
        if (layer.role != role) continue;
        std::optional<Sourced>* value = what == "diffusivity" ? &layer.diffusivity_cm2_s
                                        : what == "partition" ? &layer.partition
                                                              : &layer.clearance_per_s;
        if (!*value) continue;
        (*value)->value *= factor.factor;
        (*value)->source += " x " + fmt(factor.factor) + " (calibration: " + factor.source + ")";
        record(layer.name + "." + what + ".calibrated", (*value)->value,
               what == "diffusivity" ? "cm2/s"
               : what == "partition" ? "1"
                                     : "1/s",
               (*value)->source, {{"factor", factor.factor, "1"}});
        applied = true;
      }
      if (!applied) {
        warn("calibration_not_applied",
             "calibration factor for " + factor.target + " found no " + role + " layer with that value");
      }
    }
  }

  // The vehicle/water partition from the composition (MODEL.md §3, docs/VEHICLES.md): the
  // tissue partitions, relative to the applied vehicle, are divided by it.
  void resolve_vehicle_partition() {
    VehicleSpec& v = study_.vehicle;
    v.active.log_kow = log_kow_;
    v.active.fraction_non_ionised = f_non_vehicle_;
    if (!v.composition) return;
    std::vector<DerivationInput> inputs{{"log_kow", log_kow_, "1"},
                                        {"vehicle.non_ionised_fraction", f_non_vehicle_, "1"}};
    for (std::size_t i = 0; i < v.composition->components.size(); ++i)
      inputs.push_back({"fraction." + v.composition->components[i].name, v.composition->volume_fractions[i], "1"});
    if (!have_properties_) {
      warn("vehicle_partition_unknown",
           "the composition cannot set the vehicle/water partition without the active's "
           "log Kow: 1 is assumed");
      return;
    }
    const double k = vehicle::vehicle_water_partition(*v.composition, log_kow_, f_non_vehicle_);
    v.water_partition = Sourced{k,
                                "composition: log-linear cosolvency (Millard 2002) in the aqueous phase, Collander "
                                "relation for oil/silicone phases, phase-volume weighted"};
    record("vehicle.water_partition", k, "1", v.water_partition.source, inputs);
  }

  // Under occlusion the hydrated SC is more permeable: its diffusivity times the given factor.
  void apply_occlusion() {
    const ProtocolSpec& p = study_.protocol;
    const double factor = p.occlusion_sc_diffusivity_factor.value;
    if (!p.environment.occluded || factor == 1.0) return;
    for (LayerSpec& layer : study_.layers) {
      if (layer.role != "stratum_corneum" || !layer.diffusivity_cm2_s) continue;
      layer.diffusivity_cm2_s->value *= factor;
      layer.diffusivity_cm2_s->source += " x occlusion hydration factor";
      record(layer.name + ".occlusion_factor", factor, "1", p.occlusion_sc_diffusivity_factor.source);
    }
  }

  // A volatile active (given vapour pressure) evaporates from the film at a rate set by its
  // activity relative to the pure active, whose activity is its solubility in the vehicle.
  void resolve_active_evaporation() {
    const CompoundSpec& c = study_.compound;
    VehicleSpec& v = study_.vehicle;
    if (!c.vapour_pressure_pa || !(c.vapour_pressure_pa->value > 0.0)) return;
    if (!v.solubility_ug_per_cm3 || !have_properties_)
      fail_at(
          c.defined_at, "compound.vapour_pressure",
          "a volatile active needs its solubility (water_solubility, or [vehicle] solubility) and molecular weight: "
          "the evaporation rate scales with its activity relative to the pure active");
    v.active.evaporation_cm_per_s = vehicle::active_evaporation_cm_per_s(
        c.vapour_pressure_pa->value, mw_, v.solubility_ug_per_cm3->value, study_.protocol.environment);
    record("vehicle.active_evaporation_coefficient", v.active.evaporation_cm_per_s, "cm/s",
           "Mackay-Matsugu mass transfer x P_vp M / (R T) / S_vehicle",
           {{"vapour_pressure", c.vapour_pressure_pa->value, "Pa"},
            {"solubility", v.solubility_ug_per_cm3->value, "ug/cm3"}});
  }

  // Derived values obey the ranges given values must (src/config/plausible_ranges.hpp): a
  // relation pushed far outside its domain (a tiny MW, an extreme log Kow) is refused against
  // the key it fills, with the relation, before it can reach the solver.
  void check_derived_ranges() {
    auto check = [&](const std::string& where, const std::string& key, const char* what, double value, double lo,
                     double hi, const std::string& source) {
      if (std::isfinite(value) && value >= lo && value <= hi) return;
      char range[96];
      std::snprintf(range, sizeof range, " outside [%g, %g]", lo, hi);
      fail_at(where, key,
              std::string(what) + " came out as " + fmt(value) + range + " (" + source +
                  "): check the compound's properties (molecular_weight, log_kow) or give the value");
    };
    for (std::size_t i = 0; i < study_.layers.size(); ++i) {
      const LayerSpec& l = study_.layers[i];
      const std::string key = "layer[" + std::to_string(i + 1) + "].";
      if (l.diffusivity_cm2_s)
        check(l.config_line, key + "diffusivity", "the diffusivity", l.diffusivity_cm2_s->value, 1e-20, 1e-3,
              l.diffusivity_cm2_s->source);
      if (l.partition)
        check(l.config_line, key + "partition", "the partition", l.partition->value, 1e-12, 1e12, l.partition->source);
      if (l.clearance_per_s)
        check(l.config_line, key + "clearance_rate", "the clearance rate", l.clearance_per_s->value, 0.0, 1.0,
              l.clearance_per_s->source);
    }
    if (study_.treatment && study_.treatment->channel_diffusivity_cm2_s)
      check(study_.treatment->config_line, "treatment.channel_diffusivity", "the channel diffusivity",
            study_.treatment->channel_diffusivity_cm2_s->value, 1e-20, 1e-3,
            study_.treatment->channel_diffusivity_cm2_s->source);
    const VehicleSpec& v = study_.vehicle;
    const std::string vehicle_line = study_.source_file + ":0";
    check(vehicle_line, "vehicle.water_partition", "the vehicle/water partition", v.water_partition.value, 1e-12, 1e12,
          v.water_partition.source);
    if (v.solubility_ug_per_cm3)
      check(vehicle_line, "vehicle.solubility", "the solubility in the vehicle [ug/mL]", v.solubility_ug_per_cm3->value,
            1e-12, 2e6, v.solubility_ug_per_cm3->source);
  }

  // Possible but unusual for skin: run, and say so (the accepted ranges refuse the impossible).
  void warn_unusual_values() {
    auto unusual = [&](const std::string& what, double value, double lo, double hi, const char* unit, double scale,
                       const std::string& usual) {
      if (value >= lo && value <= hi) return;
      warn("unusual_value", what + " " + fmt(value * scale) + " " + unit + " is outside the usual " + usual);
    };
    for (const LayerSpec& l : study_.layers) {
      if (l.role == "stratum_corneum")
        unusual(l.name + " thickness", l.thickness_cm, 5e-4, 60e-4, "um", 1e4, "5-60 um of human stratum corneum");
      if (l.role == "viable_epidermis")
        unusual(l.name + " thickness", l.thickness_cm, 20e-4, 300e-4, "um", 1e4, "20-300 um of viable epidermis");
      if (l.role == "dermis")
        unusual(l.name + " thickness", l.thickness_cm, 0.01, 0.5, "mm", 10.0, "0.1-5 mm of dermis");
    }
    const VehicleSpec& v = study_.vehicle;
    if (v.mode == DoseMode::finite)
      unusual("the applied volume", v.film_thickness_cm, 1e-4, 0.05, "uL/cm2", 1e3,
              "0.1-50 uL/cm2 of a leave-on dose (more runs off the skin)");
    unusual("the study duration", study_.protocol.duration_s, 60.0, 30.0 * 86400.0, "h", 1.0 / 3600.0,
            "1 min to 30 days");
  }

  // A film whose every component evaporates leaves the active as a dry deposit, which is
  // modelled at its saturation activity: that needs the solubility.
  void check_residue() {
    const VehicleSpec& v = study_.vehicle;
    if (!v.composition || v.solubility_ug_per_cm3 || study_.protocol.environment.occluded) return;
    for (const VehicleComponent& c : v.composition->components)
      if (!vehicle::is_volatile(c)) return;
    fail_at(v.composition->defined_at, "vehicle.composition",
            "every component of this vehicle evaporates, so the active is left as a dry deposit, and its solubility "
            "is not known: give the compound's water_solubility or [vehicle] solubility, or add a non-volatile "
            "component (e.g. glycerol)");
  }

  void check_solubility() {
    VehicleSpec& v = study_.vehicle;
    if (!v.solubility_ug_per_cm3 && study_.compound.water_solubility_ug_per_cm3) {
      const double s = study_.compound.water_solubility_ug_per_cm3->value * v.water_partition.value;
      v.solubility_ug_per_cm3 = Sourced{s, "water solubility x vehicle/water partition"};
    }
    if (!v.solubility_ug_per_cm3) return;
    record("vehicle.solubility", v.solubility_ug_per_cm3->value / 1e3, "mg/mL", v.solubility_ug_per_cm3->source);
    if (v.concentration_ug_per_cm3 > v.supersaturation_limit * v.solubility_ug_per_cm3->value) {
      warn("above_solubility",
           "the concentration " + fmt(v.concentration_ug_per_cm3 / 1e3) +
               " mg/mL is above the active's solubility in the vehicle, " + fmt(v.solubility_ug_per_cm3->value / 1e3) +
               " mg/mL (" + v.solubility_ug_per_cm3->source + ")" +
               (v.supersaturation_limit > 1.0 ? " times the supersaturation limit " + fmt(v.supersaturation_limit)
                                              : std::string()) +
               ": the excess is an undissolved deposit from the start (it dissolves as the film loses active)");
    }
  }
};

}  // namespace

void resolve_parameters(Study& study) {
  study.parameters.clear();
  study.warnings.clear();
  Resolver(study).run();
}

const char* relation_set_description(const std::string& relations) {
  return relations == "kasting" ? "kasting: SC lipid route from the Kasting/CDC brick-and-mortar model, hydrated SC "
                                  "partition (Nitsche 2006), polar pathway, Kretsos 2008 tissue, Dancik 2013 clearance"
                                : "potts_guy: SC lipid route from Potts & Guy 1992, hydrated SC partition (Nitsche "
                                  "2006), polar pathway, Kretsos 2008 tissue, Dancik 2013 clearance";
}

}  // namespace poreflux
