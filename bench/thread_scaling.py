#!/usr/bin/python3
"""Thread scaling on the 3D quarter unit cell (bench/problems/treated_unit_cell_open.toml, 29 524
cells): one thread against two, for one or two poreflux binaries (before / after a change), with
OMP_WAIT_POLICY unset (the library's default, what a user gets) and PASSIVE. Prints one table;
docs/BENCHMARKS.md quotes it.

  bench/thread_scaling.py [--before BINARY] [--after BINARY] [--repeats R] [--duration "24 h"]
                          [--policies default,PASSIVE] [--preconditioner multigrid] [--max-busy 0.25]

Whole processes alternate (every binary, policy and thread count once per repeat) and the median
of R repeats is printed, with the range: this machine is shared. Before each run the script
samples /proc/stat for a second and waits (up to --wait s) while other work keeps more than
--max-busy of a core busy; the load seen is printed beside the figures (`uptime` at the start
and the end, and the busiest pre-run sample), so a noisy table says so.

The preconditioner is selected with POREFLUX_KRYLOV_PRECONDITIONER (include/poreflux/solver/
linear_solvers.hpp) so that a change of the default does not change what is measured. The
iteration counts are printed per binary: a change that is meant to be exact must not move them.
"""
import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

import h5py

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROBLEM = os.path.join(ROOT, "bench", "problems", "treated_unit_cell_open.toml")
BINARY = os.path.join(ROOT, "build", "poreflux")
UPTAKE_COMPARTMENTS = ("stratum_corneum", "viable_epidermis", "dermis", "receptor", "systemic")


def cpu_times():
    with open("/proc/stat") as fh:
        fields = [int(x) for x in fh.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields), idle


def busy_cores(seconds=1.0):
    """Cores kept busy by everything on the machine over `seconds` (this script is idle then)."""
    total0, idle0 = cpu_times()
    time.sleep(seconds)
    total1, idle1 = cpu_times()
    total, idle = total1 - total0, idle1 - idle0
    return (os.cpu_count() or 1) * (total - idle) / total if total > 0 else 0.0


def wait_for_quiet(max_busy, wait):
    start = time.time()
    busy = busy_cores()
    while busy > max_busy and time.time() - start < wait:
        time.sleep(4.0)
        busy = busy_cores()
    return busy


def uptime():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def run(binary, config, threads, policy, preconditioner, workdir):
    out = os.path.join(workdir, "run.h5")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), POREFLUX_KRYLOV_PRECONDITIONER=preconditioner)
    env.pop("OMP_WAIT_POLICY", None)
    if policy != "default":
        env["OMP_WAIT_POLICY"] = policy
    start = time.time()
    subprocess.run([binary, "run", config, "-q", "--allow-large", "--force", "-o", out], check=True, env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.time() - start
    with h5py.File(out, "r") as f:
        s = f["scenarios/treated/solver"].attrs
        dose = f["scenarios/treated/summary/fraction_of_dose"].attrs
        return dict(solver=float(s["wall_s"]), wall=wall, iterations=int(s["linear_iterations"]),
                    solves=int(s["linear_solves"]), steps=int(s["steps"]),
                    uptake=sum(float(dose[k]) for k in UPTAKE_COMPARTMENTS))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", help="a second binary to compare (e.g. the main branch's build/poreflux)")
    ap.add_argument("--after", default=BINARY)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--duration", default=None, help='simulated time, e.g. "1 h" (default: the problem\'s 24 h)')
    ap.add_argument("--policies", default="default,PASSIVE")
    ap.add_argument("--preconditioner", default="multigrid")
    ap.add_argument("--max-busy", type=float, default=0.25, help="cores busy with other work that a run waits out")
    ap.add_argument("--wait", type=float, default=120.0, help="longest wait for a quiet machine before a run [s]")
    args = ap.parse_args()

    binaries = ([("before", args.before)] if args.before else []) + [("after", args.after)]
    policies = args.policies.split(",")
    with open(PROBLEM) as fh:
        text = fh.read()
    if args.duration:
        text = re.sub(r'^duration = "[^"]*"', f'duration = "{args.duration}"', text, flags=re.M)
    results = {}
    busiest = 0.0
    print(f"start: {uptime()}", flush=True)
    with tempfile.TemporaryDirectory() as workdir:
        config = os.path.join(workdir, "study.toml")
        with open(config, "w") as fh:
            fh.write(text)
        for r in range(args.repeats):
            for policy in policies:
                for label, binary in binaries:
                    for threads in (1, 2):
                        busy = wait_for_quiet(args.max_busy, args.wait)
                        busiest = max(busiest, busy)
                        res = run(binary, config, threads, policy, args.preconditioner, workdir)
                        results.setdefault((label, policy, threads), []).append(res)
                        print(f"  repeat {r + 1}: {label:6s} {policy:8s} {threads} thread(s): "
                              f"{res['solver']:7.2f} s solver, {res['iterations']} CG iterations "
                              f"(other work before it: {busy:.2f} cores)", flush=True)
    print(f"end:   {uptime()}")
    print(f"busiest pre-run sample of other work: {busiest:.2f} cores (runs wait while > {args.max_busy})")
    print()
    print(f"3D quarter unit cell, {args.preconditioner} preconditioner, duration "
          f"{args.duration or 'as in the problem (24 h)'}; solver seconds, median of {args.repeats} (range)")
    print("| binary | OMP_WAIT_POLICY | 1 thread [s] | 2 threads [s] | speed-up | CG iterations (1 / 2 threads) | uptake (1 thread) |")
    print("|---|---|---|---|---|---|---|")
    for policy in policies:
        for label, binary in binaries:
            one, two = results[(label, policy, 1)], results[(label, policy, 2)]
            m1 = statistics.median(x["solver"] for x in one)
            m2 = statistics.median(x["solver"] for x in two)
            rng = lambda xs: f"{min(x['solver'] for x in xs):.2f}–{max(x['solver'] for x in xs):.2f}"
            print(f"| {label} ({os.path.relpath(binary, '/')}) | {policy} | {m1:.2f} ({rng(one)}) | "
                  f"{m2:.2f} ({rng(two)}) | {m1 / m2:.2f}× | {one[0]['iterations']} / {two[0]['iterations']} | "
                  f"{one[0]['uptake']:.9f} |")


if __name__ == "__main__":
    main()
