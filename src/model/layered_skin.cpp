#include "layered_skin.hpp"

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "poreflux/config.hpp"
#include "poreflux/time_methods.hpp"

#include "vehicle/film_history_builder.hpp"

#include <algorithm>
#include <cmath>
#include <string>


namespace poreflux::model {
DepthGrid make_depth_grid(const std::vector<LayerSpec>& layers, const std::vector<double>& extra_cuts_cm) {
  DepthGrid grid;
  double top = 0.0;
  grid.interfaces_cm.push_back(0.0);
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const double h = layers[l].thickness_cm;
    const double max_cell = layers[l].max_cell_cm > 0.0 ? layers[l].max_cell_cm : h / 20.0;
    std::vector<double> cuts{top};
    for (double c : extra_cuts_cm)
      if (c > top + 1e-9 * h && c < top + h * (1.0 - 1e-9)) cuts.push_back(c);
    std::sort(cuts.begin() + 1, cuts.end());
    cuts.push_back(top + h);
    for (std::size_t s = 0; s + 1 < cuts.size(); ++s) {
      const double len = cuts[s + 1] - cuts[s];
      // 1e-9: a length that is an exact multiple of max_cell must not gain a sliver cell.
      const double cells = std::ceil(len / max_cell - 1e-9);
      if (!(cells <= 1e7))  // the config's ranges keep it far below; this guards the int below
        throw std::invalid_argument("layer '" + layers[l].name + "': max_cell makes more than 1e7 cells");
      const int n = std::max(1, static_cast<int>(cells));
      for (int c = 0; c < n; ++c) {
        grid.dz.push_back(len / n);
        grid.layer_of_z.push_back(static_cast<int>(l));
      }
    }
    top += h;
    grid.interfaces_cm.push_back(top);
  }
  return grid;
}

namespace {

// No inf, NaN or absurd number reaches the solver: each coefficient is checked where it is
// discretised, and a bad one is reported against the key (and relation) that produced it.
void check_coefficient(const LayerSpec& layer, std::size_t index, const char* what, double value, double lower,
                       double upper, const std::string& source) {
  if (std::isfinite(value) && value >= lower && value <= upper) return;
  const std::size_t colon = layer.config_line.rfind(':');
  const std::string file = colon == std::string::npos ? layer.config_line : layer.config_line.substr(0, colon);
  const int line = colon == std::string::npos ? 0 : std::atoi(layer.config_line.c_str() + colon + 1);
  char range[96];
  std::snprintf(range, sizeof range, "; expected a finite value in [%g, %g]", lower, upper);
  throw ConfigError(file, line, "layer[" + std::to_string(index + 1) + "]." + what,
                    std::string(what) + " of layer '" + layer.name + "' came out as " + std::to_string(value) + " (" +
                        source + ")" + range + ": check the compound's properties and the layer's values");
}

}  // namespace

DiscreteProblem layered_problem_skeleton(const Study& study) {
  DiscreteProblem p;
  for (std::size_t i = 0; i < study.layers.size(); ++i) {
    const LayerSpec& layer = study.layers[i];
    if (layer.diffusivity_cm2_s)
      check_coefficient(layer, i, "diffusivity", layer.diffusivity_cm2_s->value, 1e-20, 1e-3,
                        layer.diffusivity_cm2_s->source);
    if (layer.partition)
      check_coefficient(layer, i, "partition", layer.partition->value, 1e-12, 1e12, layer.partition->source);
    if (layer.clearance_per_s)
      check_coefficient(layer, i, "clearance_rate", layer.clearance_per_s->value, 0.0, 1.0,
                        layer.clearance_per_s->source);
    Material m;
    m.name = layer.name;
    m.diffusivity_cm2_s = layer.diffusivity_cm2_s ? layer.diffusivity_cm2_s->value : 0.0;
    m.partition = layer.partition ? layer.partition->value : 0.0;
    m.degradation_per_s = layer.degradation_per_s;
    if (layer.partial_diffusivity_cm2_s && layer.partial_partition) {
      check_coefficient(layer, i, "diffusivity", layer.partial_diffusivity_cm2_s->value, 1e-20, 1e-3,
                        layer.partial_diffusivity_cm2_s->source);
      check_coefficient(layer, i, "partition", layer.partial_partition->value, 1e-12, 1e12,
                        layer.partial_partition->source);
      m.partial_diffusivity_cm2_s = layer.partial_diffusivity_cm2_s->value;
      m.partial_partition = layer.partial_partition->value;
    }
    m.clearance_per_s =
        study.bottom == BottomBoundary::clearance && layer.clearance_per_s ? layer.clearance_per_s->value : 0.0;
    p.materials.push_back(m);
    p.layer_names.push_back(layer.name);
    p.layer_roles.push_back(layer.role);
  }
  p.sink_bottom = study.bottom == BottomBoundary::sink;
  p.periodic_x = p.periodic_y = study.lateral == LateralBoundary::periodic;
  p.infinite_dose = study.vehicle.mode == DoseMode::infinite;
  p.vehicle_concentration = study.vehicle.concentration_ug_per_cm3;
  p.film_thickness_cm = study.vehicle.film_thickness_cm;
  p.vehicle_degradation_per_s = study.vehicle.degradation_per_s;
  p.duration_s = study.protocol.duration_s;
  p.output_times_s = study.protocol.output_times_s;
  // A wipe is one of the film's events (attach_film_history), not the problem's own.
  p.rtol = study.numerics.rtol;
  p.atol = study.numerics.atol_fraction * study.vehicle.concentration_ug_per_cm3;
  p.initial_step_s = study.numerics.initial_step_s;
  p.method = time_method_from_name(study.numerics.method).value_or(TimeMethod::automatic);
  const std::string& l = study.numerics.linear_solver;
  p.linear_solver = l == "direct"   ? LinearSolverKind::direct
                    : l == "krylov" ? LinearSolverKind::krylov
                                    : LinearSolverKind::automatic;
  return p;
}

void attach_film_history(DiscreteProblem& p, const Study& study) {
  p.film = vehicle::build_film_history(vehicle::film_plan(study, p.film_thickness_cm));
}

}  // namespace poreflux::model
