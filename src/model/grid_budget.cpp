#include "grid_budget.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
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

// The estimate's constants, fitted by bench/calibrate_estimate.py on 2026-12-05 after ESDIRK
// became `auto`'s method at the default rtol and multigrid the 3D Krylov preconditioner (one run
// of its 7 problems on an idle machine, 18:02 UTC, bench/calibration/2026-12-05_esdirk.json: the
// 1D column, three axisymmetric cells of 1.5 k to 50 k cells, three 3D cells of 30 k to 58 k;
// this project's 2-core machine, CUDA on, 2 threads; every problem within 22 % in the fit, worst
// leave-one-out 31 % (the 1D column's start cost rests on itself) for time, 17 % for memory;
// docs/BENCHMARKS.md, "validate's estimates against measured runs"). Earlier fits (z-line,
// multigrid with TR-BDF2) are kept beside it in bench/calibration/.
// The script reads them from here by name, fits them with a leave-one-out check and prints the
// values to put here. Rerun it after any change to the solvers (a preconditioner, a time method,
// threads) and copy its printout; `--json F` keeps a run's figures and `--refit F...` refits runs.
//
// Wall time of `poreflux run` = kRunStartSeconds + the sum over its scenarios of cells x steps x
// the cost per cell and step of the scenario's geometry (2 threads), quoted at kReferenceCells and
// growing as (cells / kReferenceCells)^kCostGrowthExponent: Krylov iterations per solve (3D) and
// the Cholesky factor's fill-in (flat) grow with the grid.
constexpr double kRunStartSeconds = 0.0345;
constexpr double kFlatSecondsPerCellStep = 1.25e-7;  // 1D and axisymmetric grids (sparse Cholesky)
constexpr double kGridSecondsPerCellStep = 2.83e-7;  // 3D grids (multigrid-preconditioned conjugate gradients)
constexpr double kCostGrowthExponent = 0.34;
constexpr double kReferenceCells = 1e4;  // fixed, not fitted: where the costs above are quoted
// Peak RSS = kProcessBaseBytes + the bytes counted per cell below (the largest scenario's) x the
// factor of its geometry: the Cholesky factor's fill-in is more than the ~20 doubles per cell
// counted for it, and not every counted vector of a 3D solve is resident at once.
constexpr double kProcessBaseBytes = 2.24e7;  // 21.4 MiB
constexpr double kFlatResidentFactor = 2.32;
constexpr double kGridResidentFactor = 0.833;

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

double estimated_run_seconds(double cells, bool flat, std::size_t applications, std::size_t washes) {
  // Accepted steps of a typical study (TR-BDF2 at rtol 1e-5): the start and every event that
  // restarts the transients cost most of them (measured: 300-550 per 24 h scenario). The cost
  // per cell and step is fitted (above); the process's start is not in it (run_start_seconds).
  const double steps = 400.0 + 300.0 * static_cast<double>(applications) + 100.0 * static_cast<double>(washes);
  return cells * steps * (flat ? kFlatSecondsPerCellStep : kGridSecondsPerCellStep) *
         std::pow(cells / kReferenceCells, kCostGrowthExponent);
}

double estimated_run_seconds(const DiscreteProblem& p) {
  std::size_t applications = 0, washes = 0;
  for (const FilmEvent& e : p.film.events) (e.added_state_ug_per_cm3 > 0.0 ? applications : washes) += 1;
  return estimated_run_seconds(static_cast<double>(p.cell_count()), p.nx() == 1 || p.ny() == 1, applications, washes);
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
  const double seconds = estimated_run_seconds(cells, p.nx() == 1 || p.ny() == 1, study.protocol.applications.size(),
                                               study.protocol.washes.size() + (study.protocol.wipe_time_s ? 1 : 0));
  if (seconds > kMaxRunSeconds)
    throw ConfigError(study.source_file, 0, "",
                      "the " + scenario + " scenario (" + count(cells) + " cells) would take about " +
                          format_seconds(seconds) + " on the CPU, more than the " + format_seconds(kMaxRunSeconds) +
                          " limit; " + size_drivers(p, study) +
                          ". Coarsen those, run on a GPU, or run anyway with --allow-large");
}

}  // namespace poreflux
