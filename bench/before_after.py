#!/usr/bin/python3
"""Issue 19's opening table, before and after, in one run: the whole `poreflux run` process on
its three problems for two binaries (e.g. the main the issue was filed on, and this checkout's),
alternating, medians of --repeats, with SciPy BDF on the same discrete problems where it takes
seconds (the 1D column and the axisymmetric cell; on the 3D cell it takes ~9 min, so the issue's
own figure is printed instead, marked as such).

  bench/before_after.py --before OLD/poreflux [--after build/poreflux] [--repeats 5]
                        [--skip-3d] [--no-scipy]

SciPy: bench/compare_python.py rebuilds each problem's matrix from the after binary's HDF5 file
and solves it with solve_ivp(method="BDF") and the sparse Jacobian at poreflux's tolerances; its
solver time (integration alone) and its agreement with poreflux are printed. `uptime` before and
after: this machine is shared, so a loaded run says so.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# (label, config, scenario SciPy compares, the issue's figures: poreflux, SciPy BDF, FiPy)
PROBLEMS = [
    ("1D intact column", "bench/problems/intact_column_open.toml", "intact", "0.031 s*", "0.228 s*", "1.20 s*"),
    ("axisymmetric treated cell", "bench/problems/treated_axisymmetric_open.toml", "treated",
     "0.134 s", "0.448 s", "1.64 s"),
    ("3D quarter unit cell", "bench/problems/treated_unit_cell_open.toml", "treated",
     "27.8 s", "525 s", "~21 min"),
]


def run_once(binary, config, scenario, out):
    """The whole process's wall time and the compared scenario's solver time (its wall_s)."""
    start = time.perf_counter()
    subprocess.run([binary, "run", os.path.join(ROOT, config), "-q", "--force", "-o", out],
                   check=True, stdout=subprocess.DEVNULL)
    process = time.perf_counter() - start
    with h5py.File(out, "r") as f:
        solver = float(f["scenarios/%s/solver" % scenario].attrs["wall_s"])
    return process, solver


def scipy_row(h5, scenario, label):
    with tempfile.NamedTemporaryFile(suffix=".jsonl", delete=False) as f:
        rows = f.name
    try:
        subprocess.run([sys.executable, os.path.join(ROOT, "bench", "compare_python.py"), h5,
                        "--scenario", scenario, "--tools", "scipy", "--label", label, "--jsonl", rows],
                       check=True, stdout=subprocess.DEVNULL)
        with open(rows) as f:
            for line in f:
                r = json.loads(line)
                if r.get("tool") == "scipy BDF" and "solver_s" in r:
                    return r
    finally:
        os.unlink(rows)
    return None


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, help="the older poreflux binary")
    ap.add_argument("--after", default=os.path.join(ROOT, "build", "poreflux"))
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--skip-3d", action="store_true")
    ap.add_argument("--no-scipy", action="store_true")
    args = ap.parse_args()

    problems = PROBLEMS[:2] if args.skip_3d else PROBLEMS
    print("load at start:", uptime())
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for label, config, scenario, *issue in problems:
            times = {"before": [], "after": []}
            solver = {"before": [], "after": []}
            repeats = args.repeats if "3D" not in label else max(1, min(args.repeats, 3))
            for _ in range(repeats):
                for which in ("before", "after"):
                    binary = getattr(args, which)
                    process, solve = run_once(binary, config, scenario, os.path.join(work, which + ".h5"))
                    times[which].append(process)
                    solver[which].append(solve)
            scipy = None
            if not args.no_scipy and "3D" not in label:
                scipy = scipy_row(os.path.join(work, "after.h5"), scenario, label)
            rows.append((label, times, solver, scipy, issue))
            print(f"  {label}: before {statistics.median(times['before']):.3f} s, "
                  f"after {statistics.median(times['after']):.3f} s", flush=True)
    print("load at end:  ", uptime())
    print()
    print("| problem | poreflux before, process [s] | after, process [s] | after/before | solver before / after [s] "
          "| SciPy BDF solver [s] | SciPy / poreflux solver | agreement with SciPy | the issue's figures (poreflux, SciPy, FiPy) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for label, times, solver, scipy, issue in rows:
        b, a = statistics.median(times["before"]), statistics.median(times["after"])
        sb, sa = statistics.median(solver["before"]), statistics.median(solver["after"])
        rng = lambda v: f"{min(v):.3f}–{max(v):.3f}"
        if scipy:
            s = f"{scipy['solver_s']:.3f}"
            ratio = f"{scipy['solver_s'] / sa:.1f}×"
            agree = f"{max(abs(d) for d in scipy['rel_diff']):.1e}"
        else:
            s, ratio, agree = "not run", "", ""
        print(f"| {label} | {b:.3f} ({rng(times['before'])}) | {a:.3f} ({rng(times['after'])}) | "
              f"{a / b:.2f} | {sb:.3f} / {sa:.3f} | {s} | {ratio} | {agree} | {', '.join(issue)} |")
    print()
    print("poreflux: whole processes (start, config, grid, every scenario, HDF5 and XDMF written), "
          "median (range); solver: the compared scenario's integration (its wall_s), median; SciPy: the "
          "integration alone, one run. * the issue's 1D figures are "
          "configs/default.toml's intact column (84 cells then), whose drying film and hydrating SC "
          "SciPy's linear rebuild does not model now; this table's column is its 60-cell open twin.")


if __name__ == "__main__":
    main()
