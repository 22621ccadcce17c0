#!/usr/bin/env python3
"""Compare `poreflux validate`'s run-time and memory estimates with measured figures (issue 19 item 4).

Runs, in one go, the problems of issue 19's table (1D intact column, axisymmetric treated cell,
3D quarter unit cell, and a refined 3D cell), records validate's estimate, the measured wall time
and the peak RSS (os.wait4's rusage of each `run` child), and prints estimate/measured ratios.

It then fits a model of the measured time: a fixed start cost plus one factor on the estimate per
geometry class (flat = 1D or axisymmetric, 3D), and of the peak RSS: a base plus a factor on the
memory estimate, each over the whole set, and prints the leave-one-out error of
each problem (its ratio predicted by a constant fitted without it), so no constant is tuned to one
case. The constants live in src/model/grid_budget.cpp (estimated_run_seconds); rerun this script
after changing the solver and copy the fitted values there.

Usage: /usr/bin/python3 bench/calibrate_estimate.py [--binary build/poreflux] [--skip-3d]
STATUS: the constants in grid_budget.cpp are not yet recalibrated from these fits (docs/BENCHMARKS.md).
"""
import argparse
import json
import math
import os
import re
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


def validate_estimate(binary, config):
    """Cells of the largest scenario, and the estimates summed over every scenario `run` solves."""
    out = subprocess.run([binary, "validate", config], capture_output=True, text=True, check=True).stdout
    found = re.findall(r"^\s*\w+: .*?= (\d+) cells, about ([\d.e+]+ \w+), roughly ([\d.e+-]+ \w+) on the CPU", out, re.M)
    if not found:
        sys.exit("could not read the estimates from `validate %s`" % config)
    cells = max(int(c) for c, _, _ in found)
    mem = max(float(b.split()[0]) * UNITS[b.split()[1]] for _, b, _ in found)  # scenarios run one after another
    secs = sum(seconds_of(t) for _, _, t in found)
    return cells, mem, secs


def measure(binary, config, workdir):
    """Wall seconds and peak RSS bytes of one `poreflux run` (a fresh child each time)."""
    start = time.perf_counter()
    child = subprocess.Popen([binary, "run", config, "-o", os.path.join(workdir, "out.h5"), "--force"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not the max over all children
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit("`poreflux run %s` failed (exit %d)" % (config, child.returncode))
    peak = usage.ru_maxrss  # KiB on Linux
    return wall, peak * 1024.0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "poreflux"))
    ap.add_argument("--skip-3d", action="store_true", help="only the flat problems (a quick check)")
    ap.add_argument("--json", help="also write the raw figures to this file")
    ap.add_argument("--refit", help="refit from a --json file of an earlier run instead of running")
    args = ap.parse_args()
    if args.refit:
        keys = ("label", "class", "cells", "est_s", "wall_s", "est_bytes", "rss_bytes")
        report_fit([tuple(d[k] for k in keys) for d in json.load(open(args.refit))])
        return
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
            cells, est_bytes, est_s = validate_estimate(args.binary, path)
            wall, rss = measure(args.binary, path, work)
            rows.append((label, cls, cells, est_s, wall, est_bytes, rss))
            print("%-28s %8d cells  time est %8.3g s  measured %8.3g s  ratio %5.2f   mem est %9.3g MiB  "
                  "peak RSS %9.3g MiB  ratio %5.2f" % (label, cells, est_s, wall, est_s / wall,
                                                      est_bytes / 2 ** 20, rss / 2 ** 20, est_bytes / rss), flush=True)
    if args.json:
        json.dump([dict(zip(("label", "class", "cells", "est_s", "wall_s", "est_bytes", "rss_bytes"), r)) for r in rows],
                  open(args.json, "w"), indent=1)
    report_fit(rows)


def fit(rows, columns, measured_index):
    """Least squares in relative error: measured ~ sum_j coef_j * column_j(row)."""
    import numpy as np
    A = np.array([[col(r) / r[measured_index] for col in columns] for r in rows])
    coef, *_ = np.linalg.lstsq(A, np.ones(len(rows)), rcond=None)
    return coef


def report_fit(rows):
    # Time model: a fixed start (process, HDF5, resolve) plus each class's estimate scaled by its
    # own factor (the per-cell-step constant of grid_budget.cpp times that factor).
    classes = sorted({r[1] for r in rows})
    time_cols = [lambda r: 1.0] + [(lambda c: (lambda r: r[3] if r[1] == c else 0.0))(c) for c in classes]
    mem_cols = [lambda r: 1.0, lambda r: r[5]]
    for name, cols, idx, pred_label in (("time", time_cols, 4, "start s, then factor per class " + str(classes)),
                                        ("memory", mem_cols, 6, "base bytes, factor on the estimate")):
        coef = fit(rows, cols, idx)
        print("\n%s model fitted over all %d problems: %s = %s" % (name, len(rows), pred_label,
                                                                  ", ".join("%.4g" % c for c in coef)))
        for i, r in enumerate(rows):
            rest = rows[:i] + rows[i + 1:]
            full = sum(c * col(r) for c, col in zip(coef, cols)) / r[idx]
            try:
                loo_coef = fit(rest, cols, idx)
                loo = "%5.2f" % (sum(c * col(r) for c, col in zip(loo_coef, cols)) / r[idx])
            except Exception as e:  # too few problems left to fit
                loo = "n/a (%s)" % e
            print("  %-28s model/measured %5.2f   leave-one-out %s" % (r[0], full, loo))

if __name__ == "__main__":
    main()
