// The parts of a discretised problem every scenario shares: the depth grid through the skin
// layers, one material per layer, and the vehicle, schedule and numerics from the study.
#pragma once

#include <vector>

#include "poreflux/problem.hpp"
#include "poreflux/study.hpp"

namespace poreflux::model {

struct DepthGrid {
  std::vector<double> dz;             // cm, top to bottom
  std::vector<int> layer_of_z;        // layer index per plane
  std::vector<double> interfaces_cm;  // depths of the layer boundaries (0 and total included)
};

// Uniform cells per layer, each no larger than the layer's max_cell. Depths in `extra_cuts_cm`
// (a channel's bottom) split the layer they fall in, so a cell face lies exactly there.
DepthGrid make_depth_grid(const std::vector<LayerSpec>& layers, const std::vector<double>& extra_cuts_cm = {});

// Materials (one per layer, same order), vehicle, schedule and numerics; grid and material
// map are left to the caller.
DiscreteProblem layered_problem_skeleton(const Study& study);

// The film's history (film.hpp) for the problem's first film (after any channel filling):
// evaporation, saturation, applications and washes. Call when the film thickness is final.
void attach_film_history(DiscreteProblem& p, const Study& study);

}  // namespace poreflux::model
