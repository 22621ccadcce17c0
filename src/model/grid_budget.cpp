#include "grid_budget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>

#include "poreflux/config.hpp"
#include "poreflux/kernels/state_layout.hpp"
#include "poreflux/time_methods.hpp"

namespace poreflux {
namespace {

std::string count(double n) {
  char buf[32];
  std::snprintf(buf, sizeof buf, n < 1e6 ? "%.0f" : "%.3g", n);
  return buf;
}

// The keys that set each axis, for the message that refuses a grid.
std::string size_drivers(const DiscreteProblem& p, const Study& study) {
  std::string depth = "depth: " + std::to_string(p.nz()) + " cells from the layers' max_cell (";
  for (std::size_t i = 0; i < study.layers.size(); ++i) {
    const LayerSpec& l = study.layers[i];
    char buf[96];
    std::snprintf(buf, sizeof buf, "%slayer[%zu] %s %.3g um", i ? ", " : "", i + 1, l.name.c_str(),
                  (l.max_cell_cm > 0.0 ? l.max_cell_cm : l.thickness_cm / 20.0) * 1e4);
    depth += buf;
  }
  depth += ")";
  if (p.nx() * static_cast<double>(p.ny()) <= 1.0 || !study.treatment) return depth;
  const TreatmentSpec& t = *study.treatment;
  std::string lateral = "lateral: " + std::to_string(p.nx()) + " x " + std::to_string(p.ny()) + " cells from ";
  if (t.domain == DomainKind::patch)
    lateral +=
        "treatment.patch_width, patch_length and the cell size (treatment.lateral_max_cell, else treatment.wall_cell)";
  else
    lateral += "treatment.wall_cell and treatment.lateral_max_cell over the channel pitch (treatment.density or pitch)";
  return depth + "; " + lateral;
}

// The estimate's time constants. The start, the flat cost and the flat exponent were refitted by
// bench/calibrate_estimate.py --hold-3d on 2026-12-06 (03:11-03:22 UTC) after the direct solver
// got faster (its substitutions and assembly, docs/BENCHMARKS.md "The axisymmetric process under
// 50 ms") and the flat work began to count the refactorisations of closing channels
// (kFactorisationInSolves below): the union of three runs of its 9 problems
// (bench/calibration/2026-12-06_solves_{1,2,3}.json: the 1D column, three axisymmetric cells of
// 1.5 k to 50 k cells, three open 3D cells of 30 k to 58 k, and the pen example with closing
// channels and a drying serum, axisymmetric and as a 3D unit cell) and the 4.1 M-cell patch's
// whole hour (bench/calibration/2026-12-06_patch_hour.json); this project's 2-core machine, CUDA
// on, 2 threads, ESDIRK and multigrid. The flat problems within 0.93-1.06 (leave-one-out
// 0.87-1.08, the pen's axisymmetric cell 0.96, was 0.35). The 3D cost and exponent are the
// 2026-12-05 fit's (bench/calibration/2026-12-05_twin_{1,2,3}.json; the 3D solver has not changed
// since): the small 3D problems at 0.80-1.06 in these runs, and the patch at 2.1x its time. Let
// free, the 3D exponent falls to 0.14 with the patch in the set (it is then within 8 %) and rises
// to 0.6 without it (the 3D cells of 22 k to 58 k varied by up to 1.8x between the runs: the
// machine's second core), and at 0.14 the size check before building, which has no axisymmetric
// twin to count and guesses the work from the events, would estimate configs/patch_gpu_example.toml
// (32 M cells) at 3.6 h and let it start, where the twin-counted estimate says 7.7 h and the
// patch's measured hour scaled to its cells and 6 h says more: not adopted. Memory constants:
// below. docs/BENCHMARKS.md, "validate's estimates against measured runs". Earlier fits are kept
// beside them in bench/calibration/.
// The script reads them from here by name, fits them with a leave-one-out check and prints the
// values to put here. Rerun it after any change to the solvers (a preconditioner, a time method,
// threads) and copy its printout; `--json F` keeps a run's figures and `--refit F...` refits runs.
//
// Wall time of `poreflux run` = kRunStartSeconds + the sum over its scenarios of cells x work x
// the cost per cell and unit of work of the scenario's geometry (2 threads), quoted at
// kReferenceCells and growing as (cells / kReferenceCells)^(the geometry's exponent): Krylov
// iterations per solve and memory traffic (3D) and the Cholesky factor's fill-in (flat) grow with
// the grid. The work is the linear solves on a flat grid (and their refactorisations when the
// channels close), the axisymmetric twin's conjugate-gradient iterations on a 3D one
// (grid_budget.hpp). (The script's names say "CellStep": its unit is whatever count the estimate
// multiplies by.)
constexpr double kRunStartSeconds = 0.0277;
constexpr double kFlatSecondsPerCellStep = 8.18e-8;  // 1D and axisymmetric grids, per solve (sparse Cholesky)
constexpr double kGridSecondsPerCellStep = 2.28e-8;  // 3D grids, per twin CG iteration (multigrid-preconditioned CG)
constexpr double kFlatCostGrowthExponent = 0.56;
constexpr double kGridCostGrowthExponent = 0.28;

// typical_linear_solves: accepted steps of a 24 h TR-BDF2 study at rtol 1e-5 (the start and
// every event that restarts the transients cost most of them; measured 300-550 per scenario when
// this was set), times the solves per step (TR-BDF2: two stages and the error estimate, 3;
// ESDIRK4(3)6L: five implicit stages and the estimate, 6) and, for ESDIRK, the share of TR-BDF2's
// steps it takes: 0.21, the mean over 9 scenarios of the shipped configs (configs/*.toml run with
// --method implicit and --method esdirk, 2026-12-05: 0.16-0.27; docs/BENCHMARKS.md).
constexpr double kStepsAtStart = 400.0, kStepsPerApplication = 300.0, kStepsPerWash = 100.0;
constexpr double kTrbdf2SolvesPerStep = 3.0, kEsdirkSolvesPerStep = 6.0, kEsdirkShareOfSteps = 0.21;
// Without a twin, a 3D grid's work: the twin's conjugate-gradient iterations per solve, 9.5, the
// mean of four configs' twins (the open benchmark cell 12.2, the pen example 11.2,
// configs/retinol_pen.toml 8.3, configs/vitamin_c_dermaroller.toml 6.5; 2026-12-05).
constexpr double kTwinIterationsPerSolve = 9.5;
// On a flat grid the sparse Cholesky refactorises when dh or the coefficients change. With open
// channels dh changes every couple of steps as they grow (34 factorisations in the axisymmetric
// benchmark cell's 450 solves), which the cost per solve absorbs. Closing channels change the
// coefficients at every stage time, so every solve of a step but the error estimate's
// refactorises ((solves per step - 1) / solves per step of them: 650 of the pen example's 780
// solves, 5/6 = 0.83), each costing as much as kFactorisationInSolves solves: measured, not
// fitted (one factorisation 190 us, one solve 20 us on the axisymmetric cell's 1 465 unknowns,
// 2026-12-06). Without this term the pen's axisymmetric cell ran 2.8x its estimate.
constexpr double kFactorisationInSolves = 9.0;
constexpr double kReferenceCells = 1e4;  // fixed, not fitted: where the costs above are quoted
// Peak RSS = kProcessBaseBytes + the bytes counted per cell below (the largest scenario's) x the
// factor of its geometry: the Cholesky factor's fill-in is more than the ~20 doubles per cell
// counted for it. Refitted on 2026-12-06 (bench/calibration/2026-12-06_memory_patch.json; the
// time constants above are not from that run) after two changes: the executable links HDF5
// statically (the base fell from 21.5 to ~15 MiB) and the multigrid no longer copies its levels
// while building them (a transient 6.7 doubles per cell that set the peak: heaptrack). The set
// now has two patches of 0.78 M and 4.1 M cells; every problem within 16 % leave-one-out, the
// 4.1 M-cell patch 0.91 (0.86 leave-one-out). At millions of cells the count is exact (heaptrack:
// 39.2 doubles per cell resident, 38 counted, on the 0.78 M-cell patch); on the small 3D cells
// the base's share dominates and the count is ~10 % high, which a factor below 1 splits.
constexpr double kProcessBaseBytes = 1.5e7;  // 14.3 MiB
constexpr double kFlatResidentFactor = 2.45;
constexpr double kGridResidentFactor = 0.933;

}  // namespace

double run_start_seconds() { return kRunStartSeconds; }

double memory_estimate_bytes(const DiscreteProblem& p) {
  const double n = static_cast<double>(p.cell_count() + kScalarSlots);
  // Doubles per cell, counted from the code: the state, the dense output's three vectors, the
  // six cached coefficients (3 face conductances, 1/K, decay, clearance), the host volumes, and
  // the host copy handed to the recorder: 12. Each time method adds its own work vectors (the
  // registry, time_methods.hpp); an implicit one adds its linear solver's: 16 for conjugate
  // gradients (4 vectors, 3 column factors, and the default multigrid preconditioner's hierarchy:
  // 6 stencil and factor vectors on the finest level, 8 on each coarser one, which together hold
  // a third of the cells: ~9) or, with the sparse Cholesky, the host copies of the coefficients
  // and the factor (~20 on the grids it is chosen for). A chosen method counts
  // alone; under auto the estimate takes the largest of the methods it may pick (ESDIRK only
  // below kHighOrderRtol). Plus the material byte.
  const bool flat = p.nx() == 1 || p.ny() == 1;
  double per_cell = 0.0;
  for (const TimeMethodInfo& m : kTimeMethods) {
    if (p.method != TimeMethod::automatic && p.method != m.id) continue;
    if (p.method == TimeMethod::automatic && m.id == TimeMethod::esdirk && !(p.rtol < kHighOrderRtol)) continue;
    per_cell = std::max(per_cell, 12.0 + m.work_vectors_per_cell + (m.implicit ? (flat ? 20.0 : 16.0) : 0.0));
  }
  return kProcessBaseBytes + (flat ? kFlatResidentFactor : kGridResidentFactor) *
                                 (8.0 * per_cell * n + static_cast<double>(p.cell_count()));
}

std::string format_bytes(double bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  while (bytes >= 1024.0 && u < 4) {
    bytes /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g %s", bytes, units[u]);
  return buf;
}

std::string format_seconds(double seconds) {
  char buf[32];
  if (seconds < 60.0) std::snprintf(buf, sizeof buf, "%.2g s", seconds);
  else if (seconds < 3600.0) std::snprintf(buf, sizeof buf, "%.2g min", seconds / 60.0);
  else std::snprintf(buf, sizeof buf, "%.3g h", seconds / 3600.0);
  return buf;
}

double available_memory_bytes() {
  std::ifstream in("/proc/meminfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("MemAvailable:", 0) != 0) continue;
    std::istringstream fields(line.substr(13));
    double kib = 0.0;
    fields >> kib;
    return kib * 1024.0;
  }
  return 0.0;
}

namespace {

// The cost per cell and unit of work is fitted (above); the process's start is not in it. Work:
// linear solves on a flat grid, (twin) conjugate-gradient iterations on a 3D one.
double seconds_for(double cells, bool flat, double work) {
  return cells * work * (flat ? kFlatSecondsPerCellStep : kGridSecondsPerCellStep) *
         std::pow(cells / kReferenceCells, flat ? kFlatCostGrowthExponent : kGridCostGrowthExponent);
}

// Whether the run will integrate with ESDIRK (named, or `auto` below kHighOrderRtol, as
// run_transport.hpp chooses among the implicit methods).
bool expects_esdirk(const DiscreteProblem& p) {
  return p.method == TimeMethod::esdirk || (p.method == TimeMethod::automatic && p.rtol < kHighOrderRtol);
}

double typical_solves(const DiscreteProblem& p, double applications, double washes) {
  const double steps = kStepsAtStart + kStepsPerApplication * applications + kStepsPerWash * washes;
  return expects_esdirk(p) ? steps * kEsdirkShareOfSteps * kEsdirkSolvesPerStep : steps * kTrbdf2SolvesPerStep;
}

// A flat grid's work in solves, the refactorisations of closing channels counted (above).
double flat_work(const DiscreteProblem& p, double solves) {
  if (!(p.closure_tau_s < std::numeric_limits<double>::infinity())) return solves;
  const double per_step = expects_esdirk(p) ? kEsdirkSolvesPerStep : kTrbdf2SolvesPerStep;
  return solves * (1.0 + (per_step - 1.0) / per_step * kFactorisationInSolves);
}

}  // namespace

double typical_linear_solves(const DiscreteProblem& p) {
  double applications = 0.0, washes = 0.0;
  for (const FilmEvent& e : p.film.events) (e.added_state_ug_per_cm3 > 0.0 ? applications : washes) += 1.0;
  return typical_solves(p, applications, washes);
}

double estimated_run_seconds_from_twin(const DiscreteProblem& p, double twin_krylov_iterations) {
  return seconds_for(static_cast<double>(p.cell_count()), false, twin_krylov_iterations);
}

double estimated_run_seconds(const DiscreteProblem& p) {
  const bool flat = p.nx() == 1 || p.ny() == 1;
  const double solves = typical_linear_solves(p);
  return seconds_for(static_cast<double>(p.cell_count()), flat,
                     flat ? flat_work(p, solves) : solves * kTwinIterationsPerSolve);
}

void check_grid_budget(const DiscreteProblem& p, const Study& study, const std::string& scenario) {
  if (study.numerics.allow_large) return;
  const double cells = static_cast<double>(p.nx()) * p.ny() * p.nz();
  const double bytes = memory_estimate_bytes(p);
  const double available = available_memory_bytes();
  if (available > 0.0 && bytes > kMemoryFraction * available)
    throw ConfigError(study.source_file, 0, "",
                      "the " + scenario + " grid would have " + count(cells) + " cells and need about " +
                          format_bytes(bytes) + ", more than 80 % of the " + format_bytes(available) +
                          " this machine has available; " + size_drivers(p, study) +
                          ". Coarsen those, or run anyway with --allow-large");
  if (study.numerics.on_gpu) return;
  // The film's events are not attached yet: the protocol's count them.
  const double solves =
      typical_solves(p, static_cast<double>(study.protocol.applications.size()),
                     static_cast<double>(study.protocol.washes.size() + (study.protocol.wipe_time_s ? 1 : 0)));
  const bool flat = p.nx() == 1 || p.ny() == 1;
  const double seconds = seconds_for(cells, flat, flat ? flat_work(p, solves) : solves * kTwinIterationsPerSolve);
  if (seconds > kMaxRunSeconds)
    throw ConfigError(study.source_file, 0, "",
                      "the " + scenario + " scenario (" + count(cells) + " cells) would take about " +
                          format_seconds(seconds) + " on the CPU, more than the " + format_seconds(kMaxRunSeconds) +
                          " limit; " + size_drivers(p, study) +
                          ". Coarsen those, run on a GPU, or run anyway with --allow-large");
}

}  // namespace poreflux
