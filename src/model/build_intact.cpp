#include "build_problem.hpp"
#include "grid_budget.hpp"
#include "layered_skin.hpp"

namespace poreflux::model {

DiscreteProblem build_intact_problem(const Study& study) {
  DiscreteProblem p = layered_problem_skeleton(study);
  const DepthGrid depth = make_depth_grid(study.layers);
  p.dx = {1.0};
  p.dy = {1.0};
  p.dz = depth.dz;
  p.layer_of_z = depth.layer_of_z;
  check_grid_budget(p, study, "intact");
  p.material.assign(depth.layer_of_z.begin(), depth.layer_of_z.end());
  p.applied_ug = p.vehicle_concentration * p.film_thickness_cm * p.top_area_cm2();
  attach_film_history(p, study);
  p.validate();
  return p;
}

}  // namespace poreflux::model
