#!/usr/bin/python3
"""Krylov iterations per linear solve and time against grid size on the 3D quarter unit cell
(bench/problems/treated_unit_cell_open.toml) for each preconditioner, then thread scaling on the
unmodified cell, in one run. Prints one table; docs/BENCHMARKS.md quotes it.

  bench/iterations_vs_grid.py [--levels N] [--first-level L] [--duration "1 h"] [--repeats R] [--threads T] [--threads-only]
                              [--no-threads] [--preconditioners z_line,two_level,multigrid]

Each preconditioner is selected with POREFLUX_KRYLOV_PRECONDITIONER (include/poreflux/solver/
linear_solvers.hpp); thread scaling uses the last one listed. With --repeats R every
(level, preconditioner) runs R times, the preconditioners alternating, and the median solver time
is printed (this machine is shared and noisy; iteration counts do not vary).

Refinement level r divides every layer's max_cell and the lateral grid's automatic cell sizes
(wall_cell = channel diameter / 12 = 5.892 um, lateral_max_cell = 50 um) by 1.43^r: 29.5 k,
69 k, 168 k and 423 k cells for levels 0-3, the issue's ~2.3x steps (level 0 keeps the
problem's automatic lateral grid). The simulated time is shortened (default 1 h) so the refined
cells finish on a shared 2-core machine (the whole default run: ~10-15 min); seconds per cell
per simulated hour are printed so the levels compare.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBLEM = os.path.join(ROOT, "bench", "problems", "treated_unit_cell_open.toml")
BINARY = os.path.join(ROOT, "build", "poreflux")


STEP = 1.43  # refinement factor per level (cells grow ~2.3x)
WALL_CELL_UM, LATERAL_MAX_CELL_UM = 5.892, 50.0  # the automatic lateral sizes of level 0
# The uptake (fraction of the dose at the end; include/poreflux/outputs.hpp, uptake_fraction):
# printed so the preconditioners' answers can be compared, not only their cost.
UPTAKE_COMPARTMENTS = ("stratum_corneum", "viable_epidermis", "dermis", "receptor", "systemic")


def variant(text, level, duration):
    text = re.sub(r'^duration = "[^"]*"', f'duration = "{duration}"', text, flags=re.M)
    if level == 0:
        return text
    f = STEP ** level

    def shrink(m):
        value, unit = float(m.group(1)), m.group(2)
        return f'max_cell = "{value / f:.4g} {unit}"'

    text = re.sub(r'^max_cell = "([0-9.]+) (um|mm)"', shrink, text, flags=re.M)
    text = text.replace('domain = "unit_cell"', f'domain = "unit_cell"\nwall_cell = "{WALL_CELL_UM / f:.4g} um"\n'
                        f'lateral_max_cell = "{LATERAL_MAX_CELL_UM / f:.4g} um"')
    return text


def run(config_text, threads, workdir, preconditioner):
    path = os.path.join(workdir, "study.toml")
    out = os.path.join(workdir, "run.h5")
    with open(path, "w") as fh:
        fh.write(config_text)
    for old in (out, out[:-3] + ".xmf"):
        if os.path.exists(old):
            os.remove(old)
    # OMP_WAIT_POLICY is left as the caller has it (unset: the library's default, what a user
    # gets; PASSIVE makes the many short parallel regions of a solve slower on two threads).
    # A multigrid variant is named "multigrid:w" (W-cycle), "multigrid:s2" (two smoothing sweeps)
    # or both ("multigrid:w:s2"): POREFLUX_MULTIGRID_CYCLE / _SWEEPS (multigrid_preconditioner.hpp);
    # "multigrid:g0" solves a half sweep's lines one column at a time, as before the grouped
    # lines (POREFLUX_MULTIGRID_GROUPED; the same z, the same iterations to round-off).
    name, *variant = preconditioner.split(":")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), POREFLUX_KRYLOV_PRECONDITIONER=name)
    for v in variant:
        if v in ("v", "w"):
            env["POREFLUX_MULTIGRID_CYCLE"] = v
        elif v.startswith("s") and v[1:].isdigit():
            env["POREFLUX_MULTIGRID_SWEEPS"] = v[1:]
        elif v in ("g0", "g1"):
            env["POREFLUX_MULTIGRID_GROUPED"] = v[1:]
        else:
            raise SystemExit(f"--preconditioners: unknown multigrid variant \"{v}\" in \"{preconditioner}\" "
                             "(valid: v, w, s1..s4, g0, g1)")
    start = time.time()
    subprocess.run([BINARY, "run", path, "-q", "--allow-large", "-o", out], check=True, env=env)
    wall = time.time() - start
    with h5py.File(out, "r") as f:
        s = f["scenarios/treated/solver"].attrs
        hours = float(f["scenarios/treated/time_h"][-1])
        dose = f["scenarios/treated/summary/fraction_of_dose"].attrs
        uptake = sum(float(dose[k]) for k in UPTAKE_COMPARTMENTS)
        return dict(uptake=uptake, cells=int(s["cells"]), steps=int(s["steps"]), solves=int(s["linear_solves"]),
                    iterations=int(s["linear_iterations"]), solver=float(s["wall_s"]), wall=wall, hours=hours,
                    linear=str(s["linear_solver"]))


def collect(results, key, config_text, threads, work, preconditioner):
    """Appends one run to results[key]."""
    results.setdefault(key, []).append(run(config_text, threads, work, preconditioner))


def summary(runs):
    r = dict(runs[0])
    for key in ("solver", "wall"):
        r[key] = statistics.median(x[key] for x in runs)
    return r


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--levels", type=int, default=4, help="refinement levels 0..N-1 (default 4)")
    ap.add_argument("--first-level", type=int, default=0, help="start at this level (default 0)")
    ap.add_argument("--duration", default="1 h", help='simulated time of each run (default "1 h")')
    ap.add_argument("--repeats", type=int, default=1, help="runs per case, alternating; medians printed")
    ap.add_argument("--threads", type=int, default=2, help="OMP_NUM_THREADS of the grid table (default 2)")
    ap.add_argument("--threads-only", action="store_true")
    ap.add_argument("--no-threads", action="store_true")
    ap.add_argument("--preconditioners", default="z_line,two_level,multigrid")
    a = ap.parse_args()
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"iterations_vs_grid: {BINARY} is missing; build first (tools/build.sh)")
    text = open(PROBLEM).read()
    choices = a.preconditioners.split(",")
    with tempfile.TemporaryDirectory() as work:
        if not a.threads_only:
            print(f"# iterations per solve vs grid, {a.duration} simulated, OMP_NUM_THREADS={a.threads}, "
                  f"median of {a.repeats} run(s)")
            print(f"{'preconditioner':>14} {'level':>5} {'cells':>8} {'steps':>6} {'solves':>7} {'CG it':>8} {'it/solve':>8} "
                  f"{'solver[s]':>10} {'us/cell/h':>10} {'uptake':>12} {'rel. diff':>9}  linear solver", flush=True)
            for level in range(a.first_level, a.levels):
                results = {}
                config = variant(text, level, a.duration)
                for _ in range(a.repeats):
                    for pc in choices:
                        collect(results, pc, config, a.threads, work, pc)
                first = summary(results[choices[0]])["uptake"]
                for pc in choices:
                    r = summary(results[pc])
                    per = r["iterations"] / max(r["solves"], 1)
                    # rel. diff: this uptake against the first preconditioner's
                    diff = abs(r["uptake"] - first) / first
                    print(f"{pc:>14} {level:5d} {r['cells']:8d} {r['steps']:6d} {r['solves']:7d} {r['iterations']:8d} "
                          f"{per:8.1f} {r['solver']:10.2f} {1e6 * r['solver'] / r['cells'] / r['hours']:10.1f} "
                          f"{r['uptake']:12.9f} {diff:9.1e}  {r['linear']}", flush=True)
        if not a.no_threads:
            print(f"\n# thread scaling, level 0, {a.duration} simulated, {choices[-1]}, median of {a.repeats} run(s)")
            print(f"{'threads':>7} {'solver[s]':>10} {'wall[s]':>8} {'speed-up':>8}", flush=True)
            results = {}
            config = variant(text, 0, a.duration)
            for _ in range(a.repeats):
                for threads in (1, 2):
                    collect(results, threads, config, threads, work, choices[-1])
            base = summary(results[1])["solver"]
            for threads in (1, 2):
                r = summary(results[threads])
                print(f"{threads:7d} {r['solver']:10.2f} {r['wall']:8.2f} {base / r['solver']:8.2f}", flush=True)


if __name__ == "__main__":
    main()
