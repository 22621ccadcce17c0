#!/usr/bin/python3
"""Two-fold cross-validation of the one fitted constant of the deposit model: the particle size
of a dry particulate deposit ([vehicle] deposit_particle_size, docs/VEHICLES.md).

The measurement files of data/measurements/ are split in two halves (sorted by name, alternate
files). For each half the size is chosen that minimises its GMFE over a grid spanning the
plausible range (0.3-100 um), and the other half is scored at that size. Prints both folds and
the full suite at every size, in one run.

    /usr/bin/python3 tools/fit_deposit_particle_size.py [--poreflux build/poreflux]
"""
import argparse
import csv
import math
import os
import subprocess
import sys
import tempfile

SIZES_UM = [0.3, 1, 2, 3, 5, 10, 20, 30, 60, 100]
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def folds(path):
    with open(path, newline="") as f:
        return [float(r["fold error [1]"]) for r in csv.DictReader(f)]


def gmfe(values):
    logs = [min(abs(math.log10(v)), 6.0) if v > 0 and math.isfinite(v) else 6.0 for v in values]
    return 10 ** (sum(logs) / len(logs)), sum(1 for l in logs if l <= math.log10(3) + 1e-12) / len(logs)


def run(poreflux, files, size_um, extra):
    with tempfile.TemporaryDirectory() as out:
        cmd = [poreflux, "qualify", *files, "-q", "-o", out, "--set", "vehicle.deposit_contact=particles",
               "--set", f'vehicle.deposit_particle_size="{size_um} um"', *extra]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env={**os.environ, "OMP_WAIT_POLICY": "PASSIVE"})
        return folds(os.path.join(out, "qualification.csv"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--poreflux", default=os.path.join(ROOT, "build", "poreflux"))
    parser.add_argument("--set", action="append", default=[], help="further key=value for every study")
    args = parser.parse_args()
    extra = [x for s in args.set for x in ("--set", s)]
    d = os.path.join(ROOT, "data", "measurements")
    files = sorted(os.path.join(d, f) for f in os.listdir(d) if f.endswith(".toml"))
    halves = {"A": files[0::2], "B": files[1::2]}
    table = {h: {s: run(args.poreflux, fs, s, extra) for s in SIZES_UM} for h, fs in halves.items()}
    print(f"{'size um':>8} {'GMFE A':>8} {'GMFE B':>8} {'GMFE all':>9} {'in 3x all':>10}")
    for s in SIZES_UM:
        a, b = gmfe(table["A"][s])[0], gmfe(table["B"][s])[0]
        g, w3 = gmfe(table["A"][s] + table["B"][s])
        print(f"{s:8g} {a:8.2f} {b:8.2f} {g:9.2f} {100 * w3:9.0f}%")
    print()
    for fit, held in (("A", "B"), ("B", "A")):
        best = min(SIZES_UM, key=lambda s: gmfe(table[fit][s])[0])
        print(f"fit on half {fit} ({len(halves[fit])} files, {len(table[fit][best])} endpoints): size {best:g} um, "
              f"GMFE {gmfe(table[fit][best])[0]:.2f}; held-out half {held} at that size: GMFE {gmfe(table[held][best])[0]:.2f} "
              f"(its own best {min(gmfe(table[held][s])[0] for s in SIZES_UM):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
