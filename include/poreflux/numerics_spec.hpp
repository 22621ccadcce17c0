// [numerics]: the solver settings of a study, each field with the declaration of the config key
// that sets it (poreflux/key_decl.hpp). The config layer reads, range-checks and writes back these
// keys and documents them from keys(); a new plain key is a field and its entry here.
#pragma once

#include <string>

#include "poreflux/key_decl.hpp"
#include "poreflux/time_methods.hpp"

namespace poreflux {

struct NumericsSpec {
  double rtol = 1e-5;           // relative tolerance of the time integrator's error test
  double atol_fraction = 1e-9;  // absolute tolerance as a fraction of the vehicle concentration
  double initial_step_s = 1e-3;
  std::string backend = "auto";        // auto | cpu | cuda
  std::string method = "auto";         // auto | rkc | implicit (MODEL.md §8)
  std::string linear_solver = "auto";  // auto | direct | krylov (implicit stages)
  // Treated skin: how much each lateral cell may be wider than its neighbour nearer a channel wall
  // (model/graded_axis.hpp). Smaller grades more gently and costs cells: a grid-convergence knob.
  double lateral_growth = 1.25;
  // Lift the size and run-time limits (model/grid_budget.hpp); set by --allow-large.
  bool allow_large = false;
  // The run goes to a GPU (set by the command line once the backend is known): the run-time
  // limit, measured on the CPU, does not apply.
  bool on_gpu = false;

  // The config keys of [numerics], in the order "valid keys" and docs/CONFIG.md list them;
  // defaults are the initialisers above.
  static const KeyFields<NumericsSpec>& keys() {
    static const KeyFields<NumericsSpec> fields = [] {
      const char* defaults = "NumericsSpec, include/poreflux/numerics_spec.hpp";
      auto key = [&](const char* name) { return KeyDecl("numerics", name).defaults_to("", defaults); };
      return KeyFields<NumericsSpec>{
          key_field(
              key("rtol")
                  .number(Bounds::open(0.0, 0.1).because("beyond 0.1 the error test no longer controls the error"),
                          "1e-5")
                  .doc_line("relative tolerance of the time integrator's error test")
                  .lands("Study::numerics.rtol"),
              &NumericsSpec::rtol),
          key_field(key("atol")
                        .number(Bounds::positive(), "1e-9")
                        .doc_line("absolute tolerance, as a fraction of the vehicle concentration")
                        .lands("Study::numerics.atol_fraction"),
                    &NumericsSpec::atol_fraction),
          key_field(key("initial_step")
                        .quantity(Dimension::time, Bounds::positive())
                        .doc_line("first time step")
                        .lands("Study::numerics.initial_step_s"),
                    &NumericsSpec::initial_step_s),
          key_field(key("backend")
                        .one_of({"auto", "cpu", "cuda"})
                        .doc_line("`\"auto\"` (CUDA when a GPU answers, else CPU), `\"cpu\"` or `\"cuda\"`; "
                                  "`--backend` overrides")
                        .lands("Study::numerics.backend"),
                    &NumericsSpec::backend),
          // The method choices are the time-method registry's names (poreflux/time_methods.hpp).
          key_field(key("method")
                        .one_of(time_method_choices())
                        .doc_line("time integrator: `\"rkc\"` (explicit RKC2), `\"implicit\"` (TR-BDF2, second "
                                  "order), `\"esdirk\"` (ESDIRK4(3)6L[2]SA, fourth order), `\"auto\"` (from the "
                                  "estimated stiffness and `rtol`: rkc, else esdirk below rtol 1e-4 (the default 1e-5 "
                                  "included), else implicit; "
                                  "docs/MODEL.md §8). `--method` overrides")
                        .lands("Study::numerics.method")
                        .not_written_back("the run's method is recorded in the results instead"),
                    &NumericsSpec::method),
          key_field(key("linear_solver")
                        .one_of({"auto", "direct", "krylov"})
                        .doc_line("implicit stages: `\"direct\"` (sparse Cholesky, host), `\"krylov\"` (conjugate "
                                  "gradients on the backend), `\"auto\"` (direct on 1D/2D grids, Krylov on 3D and "
                                  "GPU). `--linear-solver` overrides")
                        .lands("Study::numerics.linear_solver")
                        .not_written_back("the run's linear solver is recorded in the results instead"),
                    &NumericsSpec::linear_solver),
          key_field(key("lateral_growth")
                        .number(Bounds::closed(1.05, 2.0).because(
                                    "below 1.05 the cell count grows for little gain; above 2 the flux between "
                                    "unequal neighbours loses accuracy (its error grows with the ratio - 1)"),
                                "1.25")
                        .doc_line("treated skin (unit cell, axisymmetric cell): the ratio of neighbouring lateral cell "
                                  "widths away from a channel wall, from `wall_cell` up to `lateral_max_cell`; lower "
                                  "it to check that a result does not depend on the grid")
                        .lands("Study::numerics.lateral_growth"),
                    &NumericsSpec::lateral_growth),
      };
    }();
    return fields;
  }
};

}  // namespace poreflux
