// The study: what a user's TOML config says, resolved to SI-like internal units
// (cm, s, µg). Plain data, no parsing and no numerics; src/config fills it, src/model
// discretises it. Every physical value here is in the internal unit named in its field.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace poreflux {

// A value together with where it came from ("config", or the relation that derived it),
// so that every number in the output can say what produced it.
struct Sourced {
  double value = 0.0;
  std::string source = "config";
};

// One skin layer, top (stratum corneum) to bottom (dermis).
struct LayerSpec {
  std::string name;               // e.g. "stratum_corneum"
  double thickness_cm = 0.0;      // > 0
  std::optional<Sourced> diffusivity_cm2_s;   // D; a later [compound] block may derive it
  std::optional<Sourced> partition;           // K relative to the vehicle (dimensionless)
  double max_cell_cm = 0.0;       // largest grid spacing allowed in this layer
  double degradation_per_s = 0.0; // first-order k_deg in this tissue
  double clearance_per_s = 0.0;   // first-order dermal clearance (in vivo only)
  std::string config_line;        // "file:line" of the [[layer]] table, for later messages
};

enum class DoseMode { finite, infinite };

struct VehicleSpec {
  DoseMode mode = DoseMode::finite;
  double concentration_ug_per_cm3 = 0.0;  // active concentration in the formulation
  double film_thickness_cm = 0.0;         // applied volume per area (1 µL/cm² = 10 µm)
  double degradation_per_s = 0.0;         // first-order loss in the film
  double ph = 7.0;                        // recorded now; ionisation later ([compound])
};

// What the active is. Only name and MW are used today; the QSPR library will fill the
// layers' D and K from these when they are not given.
struct CompoundSpec {
  std::string name = "unnamed";
  std::optional<double> molecular_weight_g_per_mol;
  std::optional<double> log_kow;
  std::optional<double> pka;
};

enum class BottomBoundary { sink /*in vitro receptor*/, clearance /*in vivo, no flux*/ };
enum class LateralBoundary { mirror, periodic };

struct ProtocolSpec {
  double duration_s = 0.0;
  std::vector<double> output_times_s;  // strictly increasing, ends at duration
  std::optional<double> wipe_time_s;   // vehicle removed ("removed") at this time
};

struct NumericsSpec {
  double rtol = 1e-5;               // RKC relative tolerance
  double atol_fraction = 1e-9;      // absolute tolerance as a fraction of the vehicle concentration
  double initial_step_s = 1e-3;
  std::string backend = "auto";     // auto | cpu | cuda
};

struct OutputSpec {
  std::string path;                 // HDF5 file; empty = <config stem>.h5 next to the config
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
  std::string device;                    // "dermaroller" | "pen" | "stamp" | "channels"
  std::optional<double> needle_length_cm;
  Sourced penetration_fraction;          // channel depth / needle length
  Sourced channel_depth_cm;              // from needle length x fraction, or given
  Sourced channel_diameter_cm;           // at the surface
  double tip_diameter_cm = 0.0;          // cone only: diameter at the channel bottom
  ChannelShape shape = ChannelShape::cylinder;
  Lattice lattice = Lattice::square;
  Sourced density_per_cm2;               // channels per cm², derived from the device or given
  bool occluded = false;
  Sourced closure_tau_s;                 // open fraction exp(-t/tau); from occlusion or given
  bool formulation_filled = true;        // false: drained, filled with interstitial fluid
  Sourced channel_diffusivity_cm2_s;     // the active in the channel's liquid
  double channel_partition = 1.0;        // channel liquid vs vehicle

  DomainKind domain = DomainKind::unit_cell;
  // Patch only.
  PatternKind pattern = PatternKind::lattice;
  double patch_width_cm = 0.0, patch_length_cm = 0.0;
  unsigned seed = 1;
  int passes = 1;
  // Device details (recorded with the derivation of density).
  int roller_needles = 0, roller_rows = 0;
  double drum_diameter_cm = 0.0, drum_width_cm = 0.0;
  int pen_needles = 0;
  double pen_stamps_per_cm2 = 0.0;       // stamp positions per cm² in one pass
  double jitter_cm = 0.0;                // random offset of each stamp / needle position

  // Grid resolution.
  double wall_cell_cm = 0.0;             // lateral cell at the channel wall (0 = automatic)
  double lateral_max_cell_cm = 0.0;      // largest lateral cell (0 = automatic)
  std::string config_line;               // "file:line" of [treatment], for geometry errors
};

struct Study {
  std::string source_file;          // the config file it was read from
  std::string title;
  CompoundSpec compound;
  std::vector<LayerSpec> layers;
  VehicleSpec vehicle;
  ProtocolSpec protocol;
  BottomBoundary bottom = BottomBoundary::sink;
  LateralBoundary lateral = LateralBoundary::mirror;
  NumericsSpec numerics;
  OutputSpec output;
  std::optional<TreatmentSpec> treatment;  // absent: intact skin only
  std::string resolved_toml;        // the config as resolved (defaults filled), for the HDF5

  // Applied dose per skin area, µg/cm² (finite dose: C_v h_v; infinite: the initial film).
  double applied_ug_per_cm2() const {
    return vehicle.concentration_ug_per_cm3 * vehicle.film_thickness_cm;
  }
};

}  // namespace poreflux
