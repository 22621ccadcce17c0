// The discretised problem: everything a backend needs, as plain host data.
// Built by src/model from a Study; handed to a Backend. No Thrust, no CUDA, no TOML here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "poreflux/film.hpp"

namespace poreflux {

enum class Geometry {
  cartesian,     // x, y, z boxes
  axisymmetric,  // x is the radius from the channel axis, y one wedge of angle dy[0] (2π = full)
};

// The time integrator (MODEL.md §8): RKC2 (explicit, stabilised), TR-BDF2 (implicit, L-stable,
// second order) or ESDIRK4(3)6L[2]SA (implicit, L-stable, fourth order). automatic picks from
// the estimated stiffness and the tolerance and says why (SolverStats::method_choice). Each
// method's name, description, memory and stepper: time_methods.hpp, the one list.
enum class TimeMethod { automatic, rkc, implicit, esdirk };
// The implicit stages' linear solver: sparse Cholesky on the host, or matrix-free conjugate
// gradients on the backend's vectors; automatic picks by grid size and backend.
enum class LinearSolverKind { automatic, direct, krylov };

// A material: one tissue layer, or an open channel that closes into a tissue.
struct Material {
  std::string name;
  double diffusivity_cm2_s = 0.0;
  double partition = 1.0;  // K relative to the vehicle
  double degradation_per_s = 0.0;
  double clearance_per_s = 0.0;
  int closes_into = -1;  // >= 0: channel material relaxing towards that material (MODEL §4)
  // The stratum corneum's coefficients once it is partially hydrated (MODEL.md §3: open skin
  // after the film's water has gone); 0: the same as hydrated. The switch is a jump at a known
  // time (FilmSegment::dehydrated_from_s); the state is C, so it conserves mass exactly.
  double partial_diffusivity_cm2_s = 0.0;
  double partial_partition = 0.0;
};

// Per-material coefficients at one instant, as the kernels read them. Pure data (shared by
// every backend, so it carries no functions that two compilers could define differently).
constexpr int kMaxMaterials = 16;
struct MaterialTable {
  int count = 0;
  double half_resistance[kMaxMaterials] = {};  // 1 / (2 K D)   [s/cm²]
  double inv_partition[kMaxMaterials] = {};    // 1 / K
  double degradation[kMaxMaterials] = {};      // k_deg  [1/s]
  double clearance[kMaxMaterials] = {};        // k_clear [1/s]
  double top_contact[kMaxMaterials] = {};      // 0..1: how much of a surface cell the film touches
  // A transfer resistance between the film and the skin, in series with the top half-cell
  // [s/cm, per unit of vehicle-equivalent activity]: a dried deposit that dissolves into the
  // skin only as fast as its transfer coefficient allows ([vehicle] deposit = "dissolution").
  double top_resistance = 0.0;
  bool any_volume_sink = false;  // some k_deg or k_clear is non-zero
};

struct DiscreteProblem {
  Geometry geometry = Geometry::cartesian;
  std::vector<double> dx, dy, dz;      // cell widths [cm] (dy[0] in radians when axisymmetric)
  std::vector<std::uint8_t> material;  // one per cell, index i + nx*(j + ny*k), k = 0 at the surface
  std::vector<Material> materials;
  std::vector<int> layer_of_z;  // tissue layer index of each z plane (for compartments)
  std::vector<std::string> layer_names;
  // The compartment each layer reports to ("stratum_corneum", ...); empty: the names are roles.
  std::vector<std::string> layer_roles;
  std::vector<double> initial_concentration;  // ug/cm³ per cell; empty = all zero

  bool periodic_x = false, periodic_y = false;  // otherwise mirror (no flux)
  bool sink_bottom = true;                      // in vitro receptor; else no flux (in vivo)

  // Vehicle film on top (MODEL §3).
  bool infinite_dose = false;
  double vehicle_concentration = 0.0;  // C_v at t = 0 [ug/cm³]
  double film_thickness_cm = 0.0;      // after any channel filling
  double vehicle_degradation_per_s = 0.0;
  double applied_ug = 0.0;  // dose on the modelled top area [ug]

  // Channel closure: open fraction f(t) = exp(-t / tau). Infinity = never closes.
  double closure_tau_s = std::numeric_limits<double>::infinity();
  // Later needling sessions: at each the channels are made again (fully open) and close anew.
  std::vector<double> needling_times_s;

  // Schedule.
  double duration_s = 0.0;
  std::vector<double> output_times_s;  // increasing, last = duration
  std::optional<double> wipe_time_s;   // used only without a film history: a complete wipe-off
  // How the film's capacity changes and what events happen (film.hpp); empty = a film that
  // keeps its volume and composition (then wipe_time_s, if any, empties it).
  FilmHistory film;

  // Numerics.
  TimeMethod method = TimeMethod::automatic;
  LinearSolverKind linear_solver = LinearSolverKind::automatic;
  double rtol = 1e-5;
  double atol = 1e-9;  // absolute, in ug/cm³
  double initial_step_s = 1e-3;
  int max_stages = 2000;

  int nx() const { return static_cast<int>(dx.size()); }
  int ny() const { return static_cast<int>(dy.size()); }
  int nz() const { return static_cast<int>(dz.size()); }
  std::size_t cell_count() const { return dx.size() * dy.size() * dz.size(); }
  std::size_t index(int i, int j, int k) const {
    return static_cast<std::size_t>(i) +
           dx.size() * (static_cast<std::size_t>(j) + dy.size() * static_cast<std::size_t>(k));
  }

  // Geometric factors that let one finite-volume stencil serve both geometries:
  // cell volume = x_measure[i] * dy[j] * dz[k]; x-face area = x_face_area[f] * dy[j] * dz[k].
  std::vector<double> x_measure() const;
  std::vector<double> x_face_area() const;  // nx + 1 faces
  double top_area_cm2() const;              // area of the skin surface modelled
  double cell_volume(int i, int j, int k) const;

  // Channel open fraction at time t, the channels last made at `needled_at_s` (0, or a later
  // needling session): exp(-(t - needled_at) / tau).
  double open_fraction(double t_s, double needled_at_s = 0.0) const;
  // Everything applied over the run [ug]: the first film (and filled channels), then the
  // later applications of the film's history.
  double total_dose_ug() const;
  // film_liquid: the film still holds liquid; once it has dried, open channels are no longer
  // fed (their surface face is closed in proportion to the open fraction).
  // sc_hydrated: false once the stratum corneum has partially dehydrated (materials with
  // partial-hydration coefficients take them); top_resistance: the film-side transfer
  // resistance in force (MaterialTable::top_resistance).
  MaterialTable coefficients_at(double t_s, bool film_liquid = true, double needled_at_s = 0.0, bool sc_hydrated = true,
                                double top_resistance = 0.0) const;

  // Checks invariants (sizes, positivity, material count); throws std::invalid_argument.
  void validate() const;
};

}  // namespace poreflux
