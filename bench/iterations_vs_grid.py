#!/usr/bin/python3
"""Krylov iterations per linear solve and wall time against grid size on the 3D quarter unit
cell (bench/problems/treated_unit_cell_open.toml), then thread scaling on the unmodified cell,
in one run. Prints one table; docs/BENCHMARKS.md quotes it.

  bench/iterations_vs_grid.py [--levels N] [--duration "3 h"] [--threads-only] [--no-threads]
                              [--preconditioners z_line,two_level]

Each preconditioner is selected with POREFLUX_KRYLOV_PRECONDITIONER (include/poreflux/solver/
run_transport.hpp); thread scaling uses the last one listed.

Refinement level r divides every layer's max_cell by 1.5^r and sets the lateral grid's
wall_cell / lateral_max_cell to (5 um, 10 um) / 1.5^r (level 0 keeps the problem's automatic
lateral grid, the cell the issue quotes). The duration is shortened (default 3 h) so the
refined cells finish on a shared 2-core machine; iterations per solve do not depend on it much,
seconds per cell per simulated hour are printed so the levels compare.
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBLEM = os.path.join(ROOT, "bench", "problems", "treated_unit_cell_open.toml")
BINARY = os.path.join(ROOT, "build", "poreflux")


def variant(text, level, duration):
    text = re.sub(r'^duration = "[^"]*"', f'duration = "{duration}"', text, flags=re.M)
    if level == 0:
        return text
    f = 1.5 ** level

    def shrink(m):
        value, unit = float(m.group(1)), m.group(2)
        return f'max_cell = "{value / f:.4g} {unit}"'

    text = re.sub(r'^max_cell = "([0-9.]+) (um|mm)"', shrink, text, flags=re.M)
    text = text.replace('domain = "unit_cell"',
                        f'domain = "unit_cell"\nwall_cell = "{5.0 / f:.4g} um"\nlateral_max_cell = "{10.0 / f:.4g} um"')
    return text


def run(config_text, threads, workdir, preconditioner):
    path = os.path.join(workdir, "study.toml")
    out = os.path.join(workdir, "run.h5")
    with open(path, "w") as fh:
        fh.write(config_text)
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), OMP_WAIT_POLICY="PASSIVE",
               POREFLUX_KRYLOV_PRECONDITIONER=preconditioner)
    start = time.time()
    subprocess.run([BINARY, "run", path, "-q", "--force", "--allow-large", "-o", out], check=True, env=env)
    wall = time.time() - start
    with h5py.File(out, "r") as f:
        s = f["scenarios/treated/solver"].attrs
        hours = float(f["scenarios/treated/time_h"][-1])
        return dict(cells=int(s["cells"]), steps=int(s["steps"]), solves=int(s["linear_solves"]),
                    iterations=int(s["linear_iterations"]), solver=float(s["wall_s"]), wall=wall, hours=hours,
                    linear=str(s["linear_solver"]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--levels", type=int, default=3, help="refinement levels 0..N-1 (default 3)")
    ap.add_argument("--duration", default="3 h", help='simulated time of each run (default "3 h")')
    ap.add_argument("--threads-only", action="store_true")
    ap.add_argument("--no-threads", action="store_true")
    ap.add_argument("--preconditioners", default="z_line,two_level")
    a = ap.parse_args()
    if not os.access(BINARY, os.X_OK):
        sys.exit(f"iterations_vs_grid: {BINARY} is missing; build first (tools/build.sh)")
    text = open(PROBLEM).read()
    with tempfile.TemporaryDirectory() as work:
        if not a.threads_only:
            print(f"# iterations per solve vs grid, {a.duration} simulated, OMP_NUM_THREADS=2")
            print(f"{'preconditioner':>14} {'level':>5} {'cells':>8} {'steps':>6} {'solves':>7} {'CG it':>8} {'it/solve':>8} {'solver[s]':>10} "
                  f"{'us/cell/h':>10}  linear solver")
            for level in range(a.levels):
                for pc in a.preconditioners.split(","):
                    r = run(variant(text, level, a.duration), 2, work, pc)
                    per = r["iterations"] / max(r["solves"], 1)
                    print(f"{pc:>14} {level:5d} {r['cells']:8d} {r['steps']:6d} {r['solves']:7d} {r['iterations']:8d} {per:8.1f} "
                          f"{r['solver']:10.2f} {1e6 * r['solver'] / r['cells'] / r['hours']:10.1f}  {r['linear']}", flush=True)
        if not a.no_threads:
            print(f"\n# thread scaling, level 0, {a.duration} simulated")
            print(f"{'threads':>7} {'solver[s]':>10} {'wall[s]':>8} {'speed-up':>8}")
            base = None
            for threads in (1, 2):
                r = run(variant(text, 0, a.duration), threads, work, a.preconditioners.split(",")[-1])
                base = base or r["solver"]
                print(f"{threads:7d} {r['solver']:10.2f} {r['wall']:8.2f} {base / r['solver']:8.2f}", flush=True)


if __name__ == "__main__":
    main()
