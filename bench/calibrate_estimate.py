#!/usr/bin/env python3
"""Compare `poreflux validate`'s run-time and memory estimates with measured figures (issue 19 item 4).

Runs, in one go, the problems of issue 19's table (1D intact column, axisymmetric treated cell,
3D quarter unit cell) and refined variants of the axisymmetric and 3D cells (PROBLEMS below),
records validate's estimates, the measured wall time and the peak RSS (os.wait4's rusage of
each `run` child; runs under 10 s three times, the median kept), and prints estimate/measured.

It then fits the model the estimates use (src/model/grid_budget.cpp): time = a start cost plus,
per scenario, cells x steps x its geometry's cost per cell and step x (cells / 1e4)^p; peak RSS
= a process base plus a factor per geometry on the bytes counted per cell. Each problem's
leave-one-out error (its ratio predicted by constants fitted without it) is printed, so no
constant is tuned to one case.

Usage: /usr/bin/python3 bench/calibrate_estimate.py [--binary build/poreflux] [--skip-3d] [--skip-large] [--json F]
       /usr/bin/python3 bench/calibrate_estimate.py --refit F   (refit an earlier run's figures)
       ... --hold-3d   (fit the start and the flat class only; the 3D cost and exponent as they are)
It prints the constants to copy into src/model/grid_budget.cpp; after a solver change (a new
preconditioner, time method or thread count) rerun it and copy them (docs/BENCHMARKS.md).
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (label, config, geometry class, edits). An edit is (old text, new text) or refine(f): every
# layer's max_cell divided by f and, unless depth_only, the lateral grid's wall_cell /
# lateral_max_cell set to (5 um, 10 um) / f, as bench/iterations_vs_grid.py's levels. The flat
# class spans 77 to 50 k cells; the 3D class 22 k to 60 k for time (a laterally refined 3D cell of
# this 1.3 mm pitch has ~900 k cells: minutes, too long for a calibration run on 2 shared cores)
# and up to 4.1 M cells for memory (the patches at the end, 6 s of simulated time each).
def refine(f, depth_only=False):
    return ("refine", f, depth_only)


def patch(width_mm, lateral_um):
    """configs/patch_gpu_example.toml at width_mm x width_mm with lateral_um cells, for 6 s."""
    return [('patch_width = "4 mm"', 'patch_width = "%g mm"' % width_mm),
            ('patch_length = "4 mm"', 'patch_length = "%g mm"' % width_mm),
            ('lateral_max_cell = "5 um"', 'lateral_max_cell = "%g um"' % lateral_um),
            ('duration = "6 h"', 'duration = "6 s"'), ('output_interval = "30 min"', 'output_interval = "6 s"'),
            ('backend = "auto"', 'backend = "auto"\nmethod = "implicit"')]


MEMORY_ONLY = "memory only"  # a problem's fifth element: measured for the memory fit alone

PROBLEMS = [
    ("1D intact column", "configs/default.toml", "flat", []),
    ("axisymmetric treated cell", "bench/problems/treated_axisymmetric_open.toml", "flat", []),
    ("axisymmetric cell, refined 2x", "bench/problems/treated_axisymmetric_open.toml", "flat", [refine(2)]),
    ("axisymmetric cell, refined 3.4x", "bench/problems/treated_axisymmetric_open.toml", "flat", [refine(3.375)]),
    ("3D quarter unit cell", "bench/problems/treated_unit_cell_open.toml", "3d", []),
    ("3D unit cell, SC 0.7 um", "bench/problems/treated_unit_cell_open.toml", "3d",
     [('max_cell = "1 um"', 'max_cell = "0.7 um"')]),
    ("3D unit cell, depth refined 2x", "bench/problems/treated_unit_cell_open.toml", "3d", [refine(2, True)]),
    # Closing channels and a drying serum (issue 19 item 5's example): more, harder steps than the
    # open cells above, the case the estimate missed by 2x before it counted the twin's solves.
    ("pen, axisymmetric (default)", "configs/first_study_niacinamide_pen.toml", "flat", []),
    ("pen, 3D unit cell", "configs/first_study_niacinamide_pen.toml", "3d",
     [('device = "pen"', 'device = "pen"\ndomain = "unit_cell"')]),
    # The peak RSS of grids of millions of cells (issue 19 item 4: the patch's RSS within 20 %),
    # TR-BDF2 forced as the patch's hour runs it. The peak is set by the allocations at the run's
    # start (a 6 s and a 1 min run of the 781 k-cell patch peaked within 0.03 %), so 6 s of
    # simulated time measure it; those runs say nothing about a whole run's time, and the time
    # fit leaves them out (MEMORY_ONLY).
    ("patch 1.5 mm, 12 um cells, 6 s", "configs/patch_gpu_example.toml", "3d", patch(1.5, 12), MEMORY_ONLY),
    ("patch 2 mm, 7 um cells, 6 s", "configs/patch_gpu_example.toml", "3d", patch(2, 7), MEMORY_ONLY),
]


def apply_edits(text, edits):
    for edit in edits:
        if edit[0] == "refine":
            _, f, depth_only = edit
            text = re.sub(r'^max_cell = "([0-9.]+) (um|mm)"',
                          lambda m: 'max_cell = "%.4g %s"' % (float(m.group(1)) / f, m.group(2)), text, flags=re.M)
            if not depth_only:
                text = re.sub(r'^(domain = "\w+")', r'\1\nwall_cell = "%.4g um"\nlateral_max_cell = "%.4g um"'
                              % (5.0 / f, 10.0 / f), text, flags=re.M)
        else:
            assert edit[0] in text, edit
            text = text.replace(edit[0], edit[1])
    return text


# The constants of src/model/grid_budget.cpp the estimates were made with: the fit's factors
# multiply them, so the script prints the values to copy there.
CONSTANTS = ("kRunStartSeconds", "kFlatSecondsPerCellStep", "kGridSecondsPerCellStep", "kFlatCostGrowthExponent",
             "kGridCostGrowthExponent",
             "kProcessBaseBytes", "kFlatResidentFactor", "kGridResidentFactor")
REFERENCE_CELLS = 1e4  # kReferenceCells: the size at which the per-cell-step costs are quoted


def current_constants():
    text = open(os.path.join(ROOT, "src", "model", "grid_budget.cpp")).read()
    found = {}
    for name in CONSTANTS:
        m = re.search(r"constexpr double %s = ([^;]+);" % name, text)
        if not m:
            sys.exit("src/model/grid_budget.cpp has no constexpr double %s" % name)
        found[name] = float(eval(m.group(1), {"__builtins__": {}}))  # e.g. 22.0 * 1024 * 1024
    return found


UNITS = {"B": 1, "KiB": 1024, "MiB": 1024 ** 2, "GiB": 1024 ** 3, "TiB": 1024 ** 4}


# A run shorter than QUICK_S is measured QUICK_REPEATS times and the median kept: on a shared
# machine one short run can be off by 50 %.
QUICK_S, QUICK_REPEATS = 10.0, 3


def seconds_of(text):
    value, unit = text.split()
    return float(value) * {"s": 1, "min": 60, "h": 3600}[unit]


def validate_estimate(binary, config):
    """validate's figures: each scenario's cells, geometry class, seconds and bytes, and the whole
    run's estimate (the scenarios run one after another: the bytes are the largest one's)."""
    out = subprocess.run([binary, "validate", config], capture_output=True, text=True, check=True).stdout
    found = re.findall(r"^\s*\w+: (\d+) x (\d+) x \d+ = (\d+) cells, about ([\d.e+]+ \w+), roughly ([\d.e+-]+ \w+) "
                       r"on the CPU", out, re.M)
    total = re.search(r"^\s*in all: roughly ([\d.e+-]+ \w+) on the CPU", out, re.M)
    if not found or not total:
        sys.exit("could not read the estimates from `validate %s`:\n%s" % (config, out))
    scenarios = [{"cells": int(c), "class": "flat" if nx == "1" or ny == "1" else "3d", "est_s": seconds_of(t),
                  "est_bytes": float(b.split()[0]) * UNITS[b.split()[1]]} for nx, ny, c, b, t in found]
    return {"cells": max(sc["cells"] for sc in scenarios), "est_bytes": max(sc["est_bytes"] for sc in scenarios),
            "est_total_s": seconds_of(total.group(1)), "scenarios": scenarios}


def measure(binary, config, workdir):
    """Wall seconds and peak RSS bytes of one `poreflux run` (a fresh child each time)."""
    start = time.perf_counter()
    child = subprocess.Popen([binary, "run", config, "-o", os.path.join(workdir, "out.h5"), "--force",
                              "--allow-large"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage, not the max over all children
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit("`poreflux run %s` failed (exit %d)" % (config, code))
    return wall, usage.ru_maxrss * 1024.0  # ru_maxrss is KiB on Linux


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--binary", default=os.path.join(ROOT, "build", "poreflux"))
    ap.add_argument("--skip-3d", action="store_true", help="only the flat problems (a quick check)")
    ap.add_argument("--skip-large", action="store_true",
                    help="leave out the patches of millions of cells (a few minutes, >1 GiB)")
    ap.add_argument("--json", help="also write the raw figures to this file")
    ap.add_argument("--hold-3d", action="store_true",
                    help="fit the start and the flat class only, the 3D cost and exponent held at "
                         "src/model/grid_budget.cpp's")
    ap.add_argument("--refit", nargs="+", metavar="JSON",
                    help="refit from --json files of earlier runs instead of running (several: their union, "
                         "each problem left out with all its runs)")
    args = ap.parse_args()
    global HOLD_3D
    if args.hold_3d:
        k = current_constants()
        HOLD_3D = (k["kGridSecondsPerCellStep"], k["kGridCostGrowthExponent"])
    if args.refit:
        rows = []
        for path in args.refit:
            data = json.load(open(path))
            for r in data["rows"]:
                r["k"] = data["constants"]  # each run's estimates were made with its own constants
                rows.append(r)
        report_fit(rows)
        return
    constants = current_constants()
    rows = []
    print("%-32s %7s  %9s %9s %6s  %10s %10s %6s" % ("problem", "cells", "time est", "measured", "ratio",
                                                   "mem est", "peak RSS", "ratio"))
    with tempfile.TemporaryDirectory() as work:
        for label, config, cls, edits, *flags in PROBLEMS:
            if args.skip_3d and cls == "3d":
                continue
            if args.skip_large and MEMORY_ONLY in flags:
                continue
            path = os.path.join(ROOT, config)
            if edits:
                path = os.path.join(work, "variant_%d.toml" % len(rows))
                open(path, "w").write(apply_edits(open(os.path.join(ROOT, config)).read(), edits))
            row = validate_estimate(args.binary, path)
            runs = [measure(args.binary, path, work)]
            while runs[0][0] < QUICK_S and len(runs) < QUICK_REPEATS:  # short runs: the median of 3
                runs.append(measure(args.binary, path, work))
            row["wall_s"] = sorted(w for w, _ in runs)[len(runs) // 2]
            row["rss_bytes"] = sorted(m for _, m in runs)[len(runs) // 2]
            row["runs"] = len(runs)
            row["label"] = label
            row["memory_only"] = MEMORY_ONLY in flags
            rows.append(row)
            time_ratio = "%6s" % "n/a" if row["memory_only"] else "%6.2f" % (row["est_total_s"] / row["wall_s"])
            print("%-32s %7d  %7.3g s %7.3g s %s  %6.3g MiB %6.3g MiB %6.2f" % (
                label, row["cells"], row["est_total_s"], row["wall_s"], time_ratio,
                row["est_bytes"] / 2 ** 20, row["rss_bytes"] / 2 ** 20, row["est_bytes"] / row["rss_bytes"]),
                flush=True)
    if args.json:
        json.dump({"constants": constants, "rows": rows}, open(args.json, "w"), indent=1)
    for r in rows:
        r["k"] = constants
    report_fit(rows)


def fit(rows, columns, measured):
    """Least squares in relative error: measured(row) ~ sum_j coef_j * column_j(row)."""
    import numpy as np
    A = np.array([[col(r) / measured(r) for col in columns] for r in rows])
    coef, *_ = np.linalg.lstsq(A, np.ones(len(rows)), rcond=None)
    return coef


def exponent(k, cls):
    """The growth exponent a row's estimates were made with for a class (runs before 2026-12-06
    had one exponent for both, kCostGrowthExponent)."""
    name = "kFlatCostGrowthExponent" if cls == "flat" else "kGridCostGrowthExponent"
    return k[name] if name in k else k["kCostGrowthExponent"]


def time_model():
    """Columns of the time model for growth exponents (p_flat, p_3d): 1 (the start), then the flat
    and the 3D scenarios' cells x steps x (cells / REFERENCE_CELLS)^p of their class. Cells x
    steps is recovered from validate's estimate and the constants it was made with (row's "k")."""
    def cell_steps(sc, k):
        per = k["kFlatSecondsPerCellStep"] if sc["class"] == "flat" else k["kGridSecondsPerCellStep"]
        return sc["est_s"] / (per * (sc["cells"] / REFERENCE_CELLS) ** exponent(k, sc["class"]))

    def column(cls, p):
        return lambda r: sum(cell_steps(sc, r["k"]) * (sc["cells"] / REFERENCE_CELLS) ** p
                             for sc in r["scenarios"] if sc["class"] == cls)
    return lambda ps: [lambda r: 1.0, column("flat", ps[0]), column("3d", ps[1])]


HOLD_3D = None  # (cost, exponent) of the 3D class when --hold-3d keeps them; None fits them


def fit_time(rows):
    """The two exponents by a scan (each 0 to 0.8: the Cholesky factor's fill-in on flat grids and
    the multigrid's memory traffic on 3D ones grow differently), the start and the two costs by
    least squares at each pair. With --hold-3d the 3D cost and exponent stay as given and only
    the start, the flat cost and the flat exponent are fitted (after a change to the flat grids'
    solver alone)."""
    import numpy as np
    columns_of = time_model()
    best = None
    grid = [i / 50.0 for i in range(41)]
    pairs = [(pf, pg) for pf in grid for pg in ([HOLD_3D[1]] if HOLD_3D else grid)]
    for ps in pairs:
        cols = columns_of(ps)
        if HOLD_3D:
            # the 3D column's coefficient is fixed: the held cost over the cost each row's
            # estimate was made with is folded into the column (time_model's cell_steps)
            held = lambda r: cols[2](r) * HOLD_3D[0]  # noqa: E731
            A = np.array([[cols[0](r) / r["wall_s"], cols[1](r) / r["wall_s"]] for r in rows])
            b = np.array([1.0 - held(r) / r["wall_s"] for r in rows])
            c01, *_ = np.linalg.lstsq(A, b, rcond=None)
            coef = np.array([c01[0], c01[1], HOLD_3D[0]])
        else:
            coef = fit(rows, cols, lambda r: r["wall_s"])
        err = sum((sum(c * col(r) for c, col in zip(coef, cols)) / r["wall_s"] - 1.0) ** 2 for r in rows)
        if best is None or err < best[0]:
            best = (err, ps, coef)
    return best[1], best[2], columns_of(best[1])


def memory_columns():
    """1 (the base), then the counted bytes of the largest scenario, in the column of its class."""
    def counted(r, cls):
        k = r["k"]
        sc = max(r["scenarios"], key=lambda sc: sc["est_bytes"])
        factor = k["kFlatResidentFactor"] if sc["class"] == "flat" else k["kGridResidentFactor"]
        return (sc["est_bytes"] - k["kProcessBaseBytes"]) / factor if sc["class"] == cls else 0.0
    return [lambda r: 1.0, lambda r: counted(r, "flat"), lambda r: counted(r, "3d")]


def report(name, rows, fitter, measured, constants_of):
    params, cols = fitter(rows)
    print("\n%s model fitted over all %d problems; constants for grid_budget.cpp: %s" % (
        name, len(rows), ", ".join("%s = %.3g" % kv for kv in constants_of(params).items())))
    worst = 0.0
    for r in rows:
        full = sum(c * col(r) for c, col in zip(params[-1], cols)) / measured(r)
        try:
            loo_params, loo_cols = fitter([o for o in rows if o["label"] != r["label"]])
            loo_ratio = sum(c * col(r) for c, col in zip(loo_params[-1], loo_cols)) / measured(r)
            loo = "%5.2f" % loo_ratio
            worst = max(worst, abs(loo_ratio - 1.0))
        except Exception as e:  # too few problems left to fit
            loo = "n/a (%s)" % e
        print("  %-32s model/measured %5.2f   leave-one-out %s" % (r["label"], full, loo))
    print("  worst leave-one-out error: %.0f %%" % (100 * worst))


def report_fit(rows):
    # Time: a fixed start (process, resolve, HDF5) plus, per scenario, cells x steps x its class's
    # cost per cell-step, which grows as (cells / 1e4)^p (Krylov iterations and Cholesky fill-in
    # grow with the grid). Memory: a process base plus a factor per class on the bytes counted
    # from the code (validate's estimate less the base, over the factor it already applies).
    for k in {json.dumps(r["k"], sort_keys=True): r["k"] for r in rows}.values():
        print("\nconstants the estimates were made with (src/model/grid_budget.cpp): " +
              ", ".join("%s = %.3g" % (n, v) for n, v in k.items()))

    def time_fitter(rs):
        p, coef, cols = fit_time(rs)
        return (p, coef), cols
    report("time", [r for r in rows if not r.get("memory_only")], time_fitter, lambda r: r["wall_s"],
           lambda pc: {"kRunStartSeconds": pc[1][0], "kFlatSecondsPerCellStep": pc[1][1],
                       "kGridSecondsPerCellStep": pc[1][2], "kFlatCostGrowthExponent": pc[0][0],
                       "kGridCostGrowthExponent": pc[0][1]})

    def memory_fitter(rs):
        cols = memory_columns()
        return (fit(rs, cols, lambda r: r["rss_bytes"]),), cols
    report("memory", rows, memory_fitter, lambda r: r["rss_bytes"],
           lambda pc: {"kProcessBaseBytes": pc[0][0], "kFlatResidentFactor": pc[0][1],
                       "kGridResidentFactor": pc[0][2]})


if __name__ == "__main__":
    main()
