#!/usr/bin/env python3
"""Compare `poreflux validate`'s run-time and memory estimates with measured figures (issue 19 item 4).

Runs, in one go, the problems of issue 19's table (1D intact column, axisymmetric treated cell,
3D quarter unit cell, and a refined 3D cell), records validate's estimate, the measured wall time
and the peak RSS (resource.getrusage of the child), and prints estimate/measured ratios.

It then fits the estimate's per-cell-step cost constants (one per geometry class: flat = 1D or
axisymmetric, 3D), each over every problem of its class, and prints the leave-one-out error of
each problem (its ratio predicted by a constant fitted without it), so no constant is tuned to one
case. The constants live in src/model/grid_budget.cpp (estimated_run_seconds); rerun this script
after changing the solver and copy the fitted values there.

Usage: /usr/bin/python3 bench/calibrate_estimate.py [--binary build/poreflux] [--skip-3d]
STATUS: written at the deadline of the session that added it; the fit has not yet been run over
the full set and the constants in grid_budget.cpp are not yet recalibrated (see docs/BENCHMARKS.md).
"""
import argparse
import math
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (label, config, scenario printed by validate, geometry class, extra edits to the TOML text)
PROBLEMS = [
    ("1D intact column", "configs/default.toml", "intact", "flat", {}),
    ("axisymmetric treated cell", "bench/problems/treated_axisymmetric_open.toml", "treated", "flat", {}),
    ("3D quarter unit cell", "bench/problems/treated_unit_cell_open.toml", "treated", "3d", {}),
    ("3D unit cell, refined SC", "bench/problems/treated_unit_cell_open.toml", "treated", "3d",
     {'max_cell = "1 um"': 'max_cell = "0.7 um"'}),
]

UNITS = {"B": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3, "TiB": 1024 ** 4}


def seconds_of(text):
    value, unit = text.split()
    return float(value) * {"s": 1, "min": 60, "h": 3600}[unit]


def validate_estimate(binary, config, scenario):
    out = subprocess.run([binary, "validate", config], capture_output=True, text=True, check=True).stdout
    m = re.search(r"^\s*%s: .*?= (\d+) cells, about ([\d.e+]+ \w+), roughly ([\d.e+-]+ \w+) on the CPU" % scenario,
                  out, re.M)
    if not m:
        sys.exit("could not read the %s estimate from `validate %s`" % (scenario, config))
    number, unit = m.group(2).split()
    return int(m.group(1)), float(number) * UNITS[unit], seconds_of(m.group(3))


def measure(binary, config, workdir):
    """Wall seconds and peak RSS bytes of one `poreflux run` (a fresh child each time)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run([binary, "run", config, "-o", os.path.join(workdir, "out.h5"), "--force"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB, max over children so far
    if peak <= before:
        print("  (peak RSS not above an earlier child's; reported as that maximum)")
    return wall, peak * 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "poreflux"))
    ap.add_argument("--skip-3d", action="store_true", help="only the flat problems (a quick check)")
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for label, config, scenario, cls, edits in PROBLEMS:
            if args.skip_3d and cls == "3d":
                continue
            path = os.path.join(ROOT, config)
            if edits:
                text = open(path).read()
                for old, new in edits.items():
                    text = text.replace(old, new)
                path = os.path.join(work, os.path.basename(config).replace(".toml", "_refined.toml"))
                open(path, "w").write(text)
            cells, est_bytes, est_s = validate_estimate(args.binary, path, scenario)
            wall, rss = measure(args.binary, path, work)
            rows.append((label, cls, cells, est_s, wall, est_bytes, rss))
            print("%-28s %8d cells  time est %8.3g s  measured %8.3g s  ratio %5.2f   mem est %9.3g MiB  "
                  "peak RSS %9.3g MiB  ratio %5.2f" % (label, cells, est_s, wall, est_s / wall,
                                                      est_bytes / 2 ** 20, rss / 2 ** 20, est_bytes / rss), flush=True)
    # Note: a run's wall time covers both scenarios (intact and treated); the treated one dominates.
    print("\nfitted correction of each class's per-cell-step cost (geometric mean of measured/estimate),"
          " and leave-one-out errors:")
    for cls in sorted({r[1] for r in rows}):
        members = [r for r in rows if r[1] == cls]
        logs = [math.log(r[4] / r[3]) for r in members]
        factor = math.exp(sum(logs) / len(logs))
        print("  %s: multiply the constant by %.3g" % (cls, factor))
        for i, r in enumerate(members):
            others = logs[:i] + logs[i + 1:]
            if not others:
                print("    %-28s no leave-one-out (the only problem of its class)" % r[0])
                continue
            f = math.exp(sum(others) / len(others))
            print("    %-28s leave-one-out estimate/measured %5.2f" % (r[0], r[3] * f / r[4]))


if __name__ == "__main__":
    main()
