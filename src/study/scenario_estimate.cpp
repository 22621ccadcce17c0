#include "scenario_estimate.hpp"

#include <stdexcept>
#include <vector>

#include "model/build_problem.hpp"
#include "model/grid_budget.hpp"

namespace poreflux {
namespace {

// The twin's states are not kept: only its counters are wanted.
class DiscardingSink : public SnapshotSink {
 public:
  void record(double, const std::vector<double>&) override {}
};

}  // namespace

std::optional<double> twin_krylov_iterations(const Study& study, Backend& backend) {
  if (!study.treatment || study.treatment->domain == DomainKind::axisymmetric) return std::nullopt;
  DiscreteProblem twin;
  try {
    twin = model::build_axisymmetric_cell(study);
  } catch (const std::exception&) {  // the 3D scenario's own build reports what is wrong
    return std::nullopt;
  }
  // The 3D grid's implicit stages go to conjugate gradients, whose threshold for leaving RKC
  // (run_transport.hpp, plan_method) is higher than the direct solver's: the twin is given the
  // same solver, so that `auto` chooses for it as for the 3D cell.
  twin.linear_solver = LinearSolverKind::krylov;
  DiscardingSink sink;
  const SolverStats stats = backend.solve(twin, sink, RunControl{});
  if (stats.linear_iterations == 0) return std::nullopt;  // RKC: its cost is not counted in iterations
  return static_cast<double>(stats.linear_iterations);
}

bool has_3d_treated(const std::vector<Scenario>& scenarios) {
  for (const Scenario& s : scenarios)
    if (s.name == "treated" && s.problem.nx() > 1 && s.problem.ny() > 1) return true;
  return false;
}

double estimated_scenario_seconds(const Scenario& scenario, std::optional<double> twin_iterations) {
  const DiscreteProblem& p = scenario.problem;
  if (twin_iterations && scenario.name == "treated" && p.nx() > 1 && p.ny() > 1)
    return estimated_run_seconds_from_twin(p, *twin_iterations);
  return estimated_run_seconds(p);
}

}  // namespace poreflux
