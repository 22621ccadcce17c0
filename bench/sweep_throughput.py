#!/usr/bin/env python3
"""Axisymmetric single-run wall time and sweep throughput, before vs after, in one run.

For each binary given (--before, e.g. main's build, and --after, this checkout's), prints:
  - the wall time of `poreflux run` on the axisymmetric cell (a whole process: start, config,
    grid, both scenarios, HDF5 and XDMF written), median and range of --repeats runs;
  - the wall time of `poreflux sweep --jobs J` over N cases of that problem, for each N of
    --cases (default 100 and 1000): the cases vary treatment.needle_length linearly from
    0.215 mm to 1.7 mm (the 100-case sweep is the lead's /tmp/sw/sweep100.toml: the same
    values), each sweep a whole process that runs the cases into parts and assembles them.
Runs alternate between the binaries (before, after, before, ...) so a change in the machine's
load hits both alike; `uptime`'s load average is printed before and after. Outputs go to a
temporary folder that is removed.

Extra arguments after `--` go to both binaries' run and sweep commands (e.g. `-- --method esdirk`).

Usage (from the repository root, after building):
  /usr/bin/python3 bench/sweep_throughput.py --before MAIN_BUILD/poreflux \
      [--after build/poreflux] [--config bench/problems/treated_axisymmetric_open.toml]
      [--repeats 5] [--sweep-repeats 1] [--cases 100,1000] [--jobs 2]
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent


def load():
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def timed(command, cwd):
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit("failed (" + str(result.returncode) + "): " + " ".join(command) + "\n" + result.stderr[-2000:])
    return seconds


def sweep_config(config_text, cases):
    # The problem as it is, plus one axis; `domain = "axisymmetric"` is in the problem file.
    return (config_text + "\n[sweep]\ncombine = \"grid\"\n\n[[sweep.axis]]\n"
            "key = \"treatment.needle_length\"\nfrom = 0.215\nto = 1.7\nsteps = " + str(cases) + "\nunit = \"mm\"\n")


def summary(times):
    return "%.3f s (%.3f-%.3f, n=%d)" % (statistics.median(times), min(times), max(times), len(times))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", required=True, help="the binary measured as 'before' (e.g. main's build)")
    parser.add_argument("--after", default=str(ROOT / "build" / "poreflux"))
    parser.add_argument("--config", default=str(ROOT / "bench" / "problems" / "treated_axisymmetric_open.toml"))
    parser.add_argument("--repeats", type=int, default=5, help="single runs per binary (median)")
    parser.add_argument("--sweep-repeats", type=int, default=1, help="sweeps per binary and size")
    parser.add_argument("--cases", default="100,1000")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("extra", nargs="*", help="after --: more arguments for both binaries")
    args = parser.parse_args()
    binaries = {"before": os.path.abspath(args.before), "after": os.path.abspath(args.after)}
    config_text = pathlib.Path(args.config).read_text()
    print("load at start:", load())
    print("binaries:", ", ".join(k + " = " + v for k, v in binaries.items()))
    with tempfile.TemporaryDirectory(prefix="sweep_throughput_") as work:
        single = {k: [] for k in binaries}
        for _ in range(args.repeats):
            for name, binary in binaries.items():
                single[name].append(timed([binary, "run", args.config, "-q", "--backend", "cpu", "-o",
                                           os.path.join(work, name + ".h5"), "--force"] + args.extra, work))
        sweeps = {}
        for cases in [int(c) for c in args.cases.split(",") if c]:
            path = os.path.join(work, "sweep%d.toml" % cases)
            pathlib.Path(path).write_text(sweep_config(config_text, cases))
            for name in binaries:
                sweeps[(cases, name)] = []
            for _ in range(args.sweep_repeats):
                for name, binary in binaries.items():
                    out = os.path.join(work, "%s_%d.h5" % (name, cases))
                    sweeps[(cases, name)].append(
                        timed([binary, "sweep", path, "--jobs", str(args.jobs), "-q", "-o", out, "--force"] + args.extra,
                              work))
        print("load at end:  ", load())
    print()
    print("| measurement | before | after | after/before |")
    print("|---|---|---|---|")
    print("| `run` axisymmetric cell, wall per process (median of %d) | %s | %s | %.2f |" %
          (args.repeats, summary(single["before"]), summary(single["after"]),
           statistics.median(single["after"]) / statistics.median(single["before"])))
    for (cases, name), times in sweeps.items():
        if name != "before":
            continue
        after = sweeps[(cases, "after")]
        print("| `sweep --jobs %d`, %d cases, wall | %s | %s | %.2f |" %
              (args.jobs, cases, summary(times), summary(after), statistics.median(after) / statistics.median(times)))


if __name__ == "__main__":
    main()
