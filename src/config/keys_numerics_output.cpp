// [numerics] and [output]: plain keys, read, checked and written back by the generic path.
#include "poreflux/time_methods.hpp"
#include "section_keys.hpp"

namespace poreflux::config {

namespace {
const char* const kNumericsDefaults = "NumericsSpec, include/poreflux/study.hpp";
}

const std::vector<BoundKey<NumericsSpec>>& numerics_bindings() {
  static const std::vector<BoundKey<NumericsSpec>> keys{
      bind(Key("numerics", "rtol")
               .number(
                   [] {
                     Bounds b = Bounds::open(0.0, 0.1);
                     b.why = "beyond 0.1 the error test no longer controls the error";
                     return b;
                   }(),
                   "1e-5")
               .defaults_to("", kNumericsDefaults)
               .doc_line("relative tolerance of the time integrator's error test")
               .lands("Study::numerics.rtol"),
           &NumericsSpec::rtol),
      bind(Key("numerics", "atol")
               .number(Bounds::positive(), "1e-9")
               .defaults_to("", kNumericsDefaults)
               .doc_line("absolute tolerance, as a fraction of the vehicle concentration")
               .lands("Study::numerics.atol_fraction"),
           &NumericsSpec::atol_fraction),
      bind(Key("numerics", "initial_step")
               .quantity(Dimension::time, Bounds::positive())
               .defaults_to("", kNumericsDefaults)
               .doc_line("first time step")
               .lands("Study::numerics.initial_step_s"),
           &NumericsSpec::initial_step_s),
      bind(Key("numerics", "backend")
               .one_of({"auto", "cpu", "cuda"})
               .defaults_to("", kNumericsDefaults)
               .doc_line(
                   "`\"auto\"` (CUDA when a GPU answers, else CPU), `\"cpu\"` or `\"cuda\"`; `--backend` overrides")
               .lands("Study::numerics.backend"),
           &NumericsSpec::backend),
      // The method choices are the time-method registry's names (poreflux/time_methods.hpp).
      bind(Key("numerics", "method")
               .one_of(time_method_choices())
               .defaults_to("", kNumericsDefaults)
               .doc_line(
                   "time integrator: `\"rkc\"` (explicit RKC2), `\"implicit\"` (TR-BDF2, second order), `\"esdirk\"` "
                   "(ESDIRK4(3)6L[2]SA, fourth order), `\"auto\"` (from the estimated stiffness and `rtol`: rkc, "
                   "else esdirk below rtol 1e-5, else implicit; docs/MODEL.md §8). `--method` overrides")
               .lands("Study::numerics.method")
               .not_written_back("the run's method is recorded in the results instead"),
           &NumericsSpec::method),
      bind(Key("numerics", "linear_solver")
               .one_of({"auto", "direct", "krylov"})
               .defaults_to("", kNumericsDefaults)
               .doc_line(
                   "implicit stages: `\"direct\"` (sparse Cholesky, host), `\"krylov\"` (conjugate gradients on the "
                   "backend), `\"auto\"` (direct on 1D/2D grids, Krylov on 3D and GPU). `--linear-solver` overrides")
               .lands("Study::numerics.linear_solver")
               .not_written_back("the run's linear solver is recorded in the results instead"),
           &NumericsSpec::linear_solver),
  };
  return keys;
}

const std::vector<BoundKey<OutputSpec>>& output_bindings() {
  static const std::vector<BoundKey<OutputSpec>> keys{
      bind(Key("output", "file")
               .text("results.h5")
               .defaults_to("", "OutputSpec, include/poreflux/study.hpp")
               .doc_line(
                   "HDF5 result file, stored as written; empty lets the command line tool choose `<config stem>.h5`")
               .lands("Study::output.path"),
           &OutputSpec::path),
  };
  return keys;
}

std::vector<KeyDecl> numerics_keys() { return declarations_of(numerics_bindings()); }
std::vector<KeyDecl> output_keys() { return declarations_of(output_bindings()); }

}  // namespace poreflux::config
