// The one seam between host code and a compute backend. The host hands a DiscreteProblem
// over; the backend integrates it and hands host copies of the state back at output times.
// Free of Thrust and CUDA types: both backends and the host code include it.
#pragma once

#include <csignal>
#include <cstddef>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "poreflux/problem.hpp"

namespace poreflux {

struct SolverStats {
  std::string method;         // what ran, in words
  std::string method_choice;  // how it was chosen (the stiffness estimate under auto)
  std::string method_name;    // a name of time_methods.hpp: "rkc", "implicit", "esdirk"
  std::string linear_solver;  // "direct", "krylov" or "" (RKC)
  long steps = 0;             // accepted
  long rejected_steps = 0;
  long rhs_evaluations = 0;    // F(x, t) on the state
  long operator_products = 0;  // B p (Jacobian-vector) products inside Krylov solves
  long linear_solves = 0;
  long linear_iterations = 0;          // Krylov iterations
  long factorizations = 0;             // sparse factorisations or preconditioner builds
  int max_stages = 0;                  // RKC stages in the longest step (0 for implicit)
  double spectral_radius_per_s = 0.0;  // Gershgorin bound at t = 0
  std::size_t cells = 0;
  double wall_s = 0.0;
};

// Receives the full state (cells, then the scalar slots of kernels/state_layout.hpp) at t = 0
// and at every output time.
class SnapshotSink {
 public:
  virtual ~SnapshotSink() = default;
  virtual void record(double t_s, const std::vector<double>& state) = 0;
  // At t = 0 and after every accepted step: the permeated amount (receptor + systemic) [ug] and
  // its rate [ug/s] at the step's end, from the continuous solution (no output-time sampling).
  virtual void record_step(double /*t_s*/, double /*permeated_ug*/, double /*rate_ug_per_s*/) {}
  // At t = 0 and after every accepted step: the film's slot (film.hpp) in history segment
  // `segment`, for the film's figures (saturation, deposit) between output times.
  virtual void record_film(double /*t_s*/, std::size_t /*segment*/, double /*film_slot_ug_per_cm3*/) {}
};

struct RunControl {
  std::function<void(double t_s)> progress;               // after accepted steps (may be empty)
  const volatile std::sig_atomic_t* interrupt = nullptr;  // non-zero: stop with Interrupted
};

struct Interrupted : std::runtime_error {
  Interrupted() : std::runtime_error("interrupted") {}
};

struct BackendUnavailable : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Throughput figures of one backend (poreflux bench).
struct BenchFigures {
  std::string backend;
  int nx = 0, ny = 0, nz = 0;
  double triad_GBps = 0.0;            // a[i] = b[i] + s*c[i]
  double stencil_Mcells_per_s = 0.0;  // operator applications
  double stencil_GBps = 0.0;          // from the minimal bytes moved per cell
  double rkc_stage_GBps = 0.0;        // operator + stage update, minimal bytes
  double rkc_stage_Mcells_per_s = 0.0;
  int repetitions = 0;
};

class Backend {
 public:
  virtual ~Backend() = default;
  virtual std::string name() const = 0;         // "cpu", "cuda", "reference"
  virtual std::string description() const = 0;  // e.g. "Thrust 1.17 OpenMP, 2 threads"
  virtual SolverStats solve(const DiscreteProblem& problem, SnapshotSink& sink, const RunControl& control) = 0;
  virtual BenchFigures bench(int nx, int ny, int nz, int repetitions) = 0;
};

// Factories. Each throws BackendUnavailable with a reason when it cannot run here.
std::unique_ptr<Backend> make_reference_backend();
std::unique_ptr<Backend> make_cpu_backend();
std::unique_ptr<Backend> make_cuda_backend();

// Whether this build has a CUDA backend, and whether a device answers (why not, if not).
bool cuda_backend_built();
bool cuda_device_available(std::string* why_not);

// "auto" | "cpu" | "cuda" | "reference". auto = CUDA when a device answers, else CPU; the
// notice says which was chosen in one plain line ("running on the CPU; no GPU found"), and
// `detail` (optional) why no GPU was used, as the CUDA runtime says it.
std::unique_ptr<Backend> make_backend(const std::string& which, std::string* notice, std::string* detail = nullptr);

// The names of the backends this build contains (for tests that run every backend).
std::vector<std::string> built_backends();

}  // namespace poreflux
