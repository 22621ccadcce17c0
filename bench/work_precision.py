#!/usr/bin/env python3
"""Work-precision of poreflux's implicit methods against SciPy BDF on one problem, in one run.

For each rtol of --rtols, the time integrators of --methods (poreflux's registry names, e.g.
implicit = TR-BDF2, esdirk = ESDIRK4(3)6L[2]SA) and SciPy's solve_ivp(method="BDF", sparse
Jacobian) integrate the same discrete problem (the 'treated' scenario of --config, rebuilt for
SciPy by bench/compare_python.py from poreflux's HDF5 file). Printed: the relative error of the
uptake at 1 h against a tight reference, and the solver wall time (the integration alone, the
median of --repeats runs; poreflux's own solver timer, SciPy's around solve_ivp), then, at each
error level of --levels, the fastest time each tool needs to reach it and SciPy's time over
poreflux's.

The reference is SciPy BDF at rtol 1e-11 (atol scaled alike); poreflux's esdirk at rtol 1e-10
is printed beside it as the check that both integrate the same problem (their difference must
be far below the smallest level). On a 3D cell SciPy's sparse LU makes that reference hours
long: --reference poreflux takes poreflux's tight run as the reference instead, and
--scipy-rtols limits SciPy to the tolerances it can afford ("" for none). SciPy and poreflux use
the same tolerances: rtol, and atol = [numerics] atol x the vehicle concentration (poreflux's
absolute tolerance), so the error norms match.

Usage (from the repository root, after building):
  /usr/bin/python3 bench/work_precision.py [--poreflux build/poreflux] [--before OLD/poreflux]
      [--config bench/problems/treated_axisymmetric_open.toml] [--rtols 1e-4,1e-5,1e-6,1e-7]
      [--methods implicit,esdirk] [--repeats 3] [--levels 1e-4,1e-5,1e-6,1e-7]
      [--reference scipy|poreflux] [--scipy-rtols 1e-4,...]
  3D quarter unit cell (issue 19):
  /usr/bin/python3 bench/work_precision.py --config bench/problems/treated_unit_cell_open.toml \
      --rtols 1e-3,1e-4,1e-5 --reference poreflux --scipy-rtols 1e-3 --repeats 1  (docs/BENCHMARKS.md)
Needs numpy, scipy, h5py (Debian's python3 has them).
"""
import argparse
import math
import os
import pathlib
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np
from scipy.integrate import solve_ivp

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import compare_python as cp  # noqa: E402  (the problem reader and the operator)

SCENARIO = "treated"
T_1H = 3600.0


def with_rtol(config_text, rtol):
    """The config with [numerics] rtol replaced (the benchmark problems set it on one line)."""
    out, n = re.subn(r"(?m)^rtol\s*=.*$", f"rtol = {rtol:.3g}", config_text)
    if n != 1:
        sys.exit("the config must set [numerics] rtol on exactly one line")
    return out


def atol_fraction(config_text):
    m = re.search(r"(?m)^atol\s*=\s*([0-9.eE+-]+)", config_text)
    return float(m.group(1)) if m else 1e-9


def run_poreflux(exe, config_text, rtol, method, workdir, tag):
    cfg = pathlib.Path(workdir) / f"wp_{tag}.toml"
    cfg.write_text(with_rtol(config_text, rtol))
    h5 = pathlib.Path(workdir) / f"wp_{tag}.h5"
    run = subprocess.run([exe, "run", str(cfg), "-o", str(h5), "--method", method, "--force", "-q"],
                         stderr=subprocess.PIPE, text=True, env=dict(os.environ, OMP_WAIT_POLICY="PASSIVE"))
    if run.returncode != 0:  # its stderr otherwise only says it replaced the previous file
        sys.exit(f"poreflux run failed ({method}, rtol {rtol:g}):\n{run.stderr}")
    p = cp.Problem(str(h5), SCENARIO)
    return p, float(p.pf_solver["wall_s"]), p.pf_uptake[0], p.pf_solver


def run_scipy(A, y0, w, p, rtol, atol):
    t0 = time.perf_counter()
    sol = solve_ivp(lambda t, y: A @ y, (0.0, cp.OUTPUT_TIMES_S[-1]), y0, method="BDF", jac=A, rtol=rtol,
                    atol=atol, t_eval=cp.OUTPUT_TIMES_S)
    wall = time.perf_counter() - t0
    if not sol.success:
        raise RuntimeError(sol.message)
    return wall, cp.uptake_of(p, w, sol.y[:, 0]), sol


def time_to_reach(points, level):
    """Fastest time among runs whose error is <= level, interpolated log-log between the
    neighbouring runs that bracket the level (None when no run reaches it)."""
    pts = sorted((e, t) for e, t in points if e > 0)
    reached = [t for e, t in pts if e <= level]
    if not reached:
        return None
    best = min(reached)
    # the bracketing pair: the loosest run that reaches the level and the tightest that misses
    above = [(e, t) for e, t in pts if e > level]
    below = [(e, t) for e, t in pts if e <= level]
    if above and below:
        (e1, t1), (e0, t0) = min(above), max(below)
        if e1 > e0 and t0 > 0 and t1 > 0:
            f = math.log(level / e0) / math.log(e1 / e0)
            best = min(best, math.exp(math.log(t0) + f * (math.log(t1) - math.log(t0))))
    return best


def cpu_name():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--poreflux", default="build/poreflux")
    ap.add_argument("--before", default=None,
                    help="a second binary (e.g. main's build before a change) run alternately at every rtol and "
                         "method, its rows labelled 'before'")
    ap.add_argument("--config", default="bench/problems/treated_axisymmetric_open.toml")
    ap.add_argument("--rtols", default="1e-4,1e-5,1e-6,1e-7")
    ap.add_argument("--methods", default="implicit,esdirk")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--levels", default="1e-4,1e-5,1e-6,1e-7")
    ap.add_argument("--reference-method", default="esdirk",
                    help="poreflux method of the tight run (rtol 1e-10) printed beside SciPy's reference")
    ap.add_argument("--reference", choices=("scipy", "poreflux"), default="scipy",
                    help="what the errors are measured against: SciPy BDF at rtol 1e-11 (default), or "
                         "poreflux's tight run (a 3D cell, where SciPy's tight run takes hours)")
    ap.add_argument("--scipy-rtols", default=None,
                    help="the rtols SciPy runs at (default: --rtols; \"\" for none)")
    args = ap.parse_args()
    rtols = [float(r) for r in args.rtols.split(",")]
    scipy_rtols = rtols if args.scipy_rtols is None else [float(r) for r in args.scipy_rtols.split(",") if r]
    rtols_all = sorted(set(rtols) | set(scipy_rtols), reverse=True)
    methods = [m for m in args.methods.split(",") if m]
    levels = [float(x) for x in args.levels.split(",")]
    text = pathlib.Path(args.config).read_text()
    afrac = atol_fraction(text)

    with tempfile.TemporaryDirectory(prefix="poreflux_wp_") as work:
        print(f"== work-precision: {args.config}, scenario '{SCENARIO}'; {cpu_name()}, {os.cpu_count()} cores; "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} ==")
        p, _, pf_tight, _ = run_poreflux(args.poreflux, text, 1e-10, args.reference_method, work, "tight")
        A, y0, w = cp.assemble(p)
        atol = afrac * p.c_vehicle
        if args.reference == "scipy":
            _, ref, sol = run_scipy(A, y0, w, p, 1e-11, atol * 1e-2)
            print(f"{p.cells} cells; reference uptake at 1 h {ref:.12g} (SciPy BDF rtol 1e-11, {sol.t.size} outputs, "
                  f"nfev {sol.nfev}); poreflux {args.reference_method} at rtol 1e-10: {pf_tight:.12g} (relative "
                  f"difference {abs(pf_tight / ref - 1):.1e}); atol {atol:.3g} ug/cm3 for both tools")
        else:
            ref = pf_tight
            print(f"{p.cells} cells; reference uptake at 1 h {ref:.12g} (poreflux {args.reference_method} at rtol "
                  f"1e-10; SciPy's tight run not made); atol {atol:.3g} ug/cm3 for both tools")

        # (label, binary, method); with --before, that binary's runs alternate with this one's.
        tools = [(f"poreflux {m}", args.poreflux, m) for m in methods]
        if args.before:
            tools += [(f"before {m}", args.before, m) for m in methods]
        rows, curves = [], {label: [] for label, _, _ in tools}
        curves["scipy BDF"] = []
        for rtol in rtols_all:
            runs = {label: [] for label, _, _ in tools}
            for k in range(args.repeats if rtol in rtols else 0):
                for label, exe, m in tools:
                    runs[label].append(run_poreflux(exe, text, rtol, m, work, f"{m}_{k}"))
            for label, _, m in (tools if rtol in rtols else []):
                t = statistics.median(wall for _, wall, _, _ in runs[label])
                _, _, up, stats = runs[label][-1]
                err = abs(up / ref - 1.0)
                curves[label].append((err, t))
                print(f"  {label} rtol {rtol:.0e}: error {err:.1e}, {t:.3f} s", file=sys.stderr, flush=True)
                rows.append((label, rtol, err, t,
                             f"{stats.get('steps')} steps, {stats.get('rejected_steps')} rejected, "
                             f"{stats.get('linear_solves')} solves, {stats.get('rhs_evaluations')} RHS"))
            if rtol not in scipy_rtols:
                continue
            times = []
            for k in range(args.repeats):
                wall, up, sol = run_scipy(A, y0, w, p, rtol, atol)
                times.append(wall)
            t = statistics.median(times)
            err = abs(up / ref - 1.0)
            curves["scipy BDF"].append((err, t))
            print(f"  scipy BDF rtol {rtol:.0e}: error {err:.1e}, {t:.3f} s", file=sys.stderr, flush=True)
            rows.append(("scipy BDF", rtol, err, t, f"nfev {sol.nfev}, nlu {sol.nlu}"))

        print("\n| tool | rtol | error of 1 h uptake | solver [s] | work |")
        print("|---|---|---|---|---|")
        for tool, rtol, err, t, work_s in rows:
            print(f"| {tool} | {rtol:.0e} | {err:.1e} | {t:.4f} | {work_s} |")

        print("\nFastest solver time that reaches each error level (log-log interpolation between runs):\n")
        labels = [label for label, _, _ in tools]
        groups = ["poreflux"] + (["before"] if args.before else [])
        print("| error level | " + " | ".join(labels) + " | scipy BDF | " +
              " | ".join(f"SciPy / best {g}" for g in groups) + " |")
        print("|---|" + "---|" * (len(labels) + 1 + len(groups)))
        for level in levels:
            times = {label: time_to_reach(curves[label], level) for label in labels}
            s = time_to_reach(curves["scipy BDF"], level)
            ratios = []
            for g in groups:
                best = min((t for label, t in times.items() if label.startswith(g + " ") and t is not None),
                           default=None)
                ratios.append(f"{s / best:.1f}x" if s is not None and best is not None else "n/a")
            cells = ["not reached" if times[label] is None else f"{times[label]:.4f} s" for label in labels]
            print(f"| {level:.0e} | " + " | ".join(cells) + f" | {'not reached' if s is None else f'{s:.4f} s'} | " +
                  " | ".join(ratios) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
