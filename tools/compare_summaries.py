#!/usr/bin/python3
"""Shows that a change to poreflux changed no result: runs every shipped config with two builds
and compares what they report, apart from timings (issue 18, item 6).

  tools/compare_summaries.py capture BINARY DIR [--fast] [CONFIG ...]
      For each config (default: configs/*.toml and configs/validation/*.toml):
        - a single study: `poreflux run CONFIG --summary-json` -> DIR/<name>.json, and the
          resolved config recorded in the HDF5 -> DIR/<name>.resolved.toml;
        - a [sweep] or [population]: `poreflux sweep CONFIG --csv` -> DIR/<name>.csv (the table);
        - every config: `poreflux validate CONFIG` (the grid it makes, or the message that
          refuses it) -> DIR/<name>.validate.txt.
      Configs in NOT_RUN are only validated: on 2 CPU cores the grid budget refuses them.
      --fast also only validates the sweeps and populations.
  tools/compare_summaries.py diff DIR_BEFORE DIR_AFTER
      Compares the two captures; timing fields (SKIPPED_KEYS) are ignored. Exit status 1 and
      the differing paths when anything else differs.

Typical use: capture with the unmodified build, change the code, rebuild, capture again, diff.
"""
import glob
import json
import os
import re
import subprocess
import sys
import tempfile

# Execution facts that differ from run to run on the same build: wall-clock figures, and the
# backend's description (its thread count follows the cores free of other work at the start).
SKIPPED_KEYS = {"wall_s", "backend_description"}
# Lines of printed output and CSV columns that hold timings or run-time estimates.
TIMING_LINE = re.compile(r"(wall|elapsed|took|roughly|would take about|run time|estimated)", re.IGNORECASE)
TIMING_COLUMN = re.compile(r"(wall|elapsed|seconds_run)", re.IGNORECASE)
# A 3-D patch of 3.2e7 cells: the grid budget refuses it on a CPU (about 5 h), so it is only validated.
NOT_RUN = {"patch_gpu_example"}


def default_configs(root):
    return sorted(glob.glob(os.path.join(root, "configs", "*.toml"))) + sorted(
        glob.glob(os.path.join(root, "configs", "validation", "*.toml")))


def name_of(config):
    parent = os.path.basename(os.path.dirname(config))
    stem = os.path.splitext(os.path.basename(config))[0]
    return stem if parent == "configs" else parent + "__" + stem


def is_many_cases(config):
    with open(config, encoding="utf-8") as f:
        text = f.read()
    return re.search(r"^\s*\[(sweep|population)\]", text, re.MULTILINE) is not None


def resolved_toml_of(h5_path):
    try:
        import h5py
    except ImportError:
        return None
    found = []

    def visit(name, obj):
        if "resolved" in name.split("/")[-1].lower():
            found.append(obj)

    with h5py.File(h5_path, "r") as f:
        for key, value in f.attrs.items():
            if "resolved" in key.lower():
                return value.decode() if isinstance(value, bytes) else str(value)
        f.visititems(visit)
        for obj in found:
            if hasattr(obj, "shape"):
                value = obj[()]
                return value.decode() if isinstance(value, bytes) else str(value)
    return None


def capture(binary, out_dir, configs, fast):
    os.makedirs(out_dir, exist_ok=True)
    env = dict(os.environ, OMP_WAIT_POLICY="PASSIVE")
    for config in configs:
        name = name_of(config)
        validate = subprocess.run([binary, "validate", config], capture_output=True, text=True, env=env)
        with open(os.path.join(out_dir, name + ".validate.txt"), "w", encoding="utf-8") as f:
            f.write("exit %d\n%s%s" % (validate.returncode, validate.stdout, validate.stderr))
        if name in NOT_RUN or (fast and is_many_cases(config)):
            print("validated  %s" % name, flush=True)
            continue
        with tempfile.TemporaryDirectory() as tmp:
            if is_many_cases(config):
                csv = os.path.join(out_dir, name + ".csv")
                run = subprocess.run([binary, "sweep", config, "-o", os.path.join(tmp, "out.h5"), "--csv", csv, "-q",
                                      "--force", "-j", "2"], capture_output=True, text=True, env=env)
                if run.returncode != 0:
                    with open(os.path.join(out_dir, name + ".run-failed.txt"), "w", encoding="utf-8") as f:
                        f.write("exit %d\n%s%s" % (run.returncode, run.stdout, run.stderr))
                print("swept      %s%s" % (name, "" if run.returncode == 0 else " FAILED"), flush=True)
                continue
            h5 = os.path.join(tmp, "out.h5")
            summary = os.path.join(out_dir, name + ".json")
            run = subprocess.run([binary, "run", config, "-o", h5, "--summary-json", summary, "-q", "--force"],
                                 capture_output=True, text=True, env=env)
            if run.returncode != 0:
                with open(os.path.join(out_dir, name + ".run-failed.txt"), "w", encoding="utf-8") as f:
                    f.write("exit %d\n%s%s" % (run.returncode, run.stdout, run.stderr))
                print("run FAILED %s (exit %d)" % (name, run.returncode), flush=True)
                continue
            resolved = resolved_toml_of(h5)
            if resolved is not None:
                with open(os.path.join(out_dir, name + ".resolved.toml"), "w", encoding="utf-8") as f:
                    f.write(resolved)
        print("ran        %s" % name, flush=True)


def strip_timings(value):
    if isinstance(value, dict):
        return {k: strip_timings(v) for k, v in value.items() if k not in SKIPPED_KEYS}
    if isinstance(value, list):
        return [strip_timings(v) for v in value]
    return value


def differences(a, b, path=""):
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                out.append("%s.%s: only in %s" % (path, key, "before" if key in a else "after"))
            else:
                out += differences(a[key], b[key], path + "." + key)
        return out
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        out = []
        for i, (x, y) in enumerate(zip(a, b)):
            out += differences(x, y, "%s[%d]" % (path, i))
        return out
    return [] if a == b else ["%s: %r -> %r" % (path or "(document)", a, b)]


def text_without_timings(path):
    with open(path, encoding="utf-8") as f:
        return [line for line in f if not TIMING_LINE.search(line)]


def csv_without_timings(path):
    import csv
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    if not rows:
        return rows
    keep = [i for i, column in enumerate(rows[0]) if not TIMING_COLUMN.search(column)]
    return [[row[i] for i in keep if i < len(row)] for row in rows]


def diff(before, after):
    names = sorted(set(os.listdir(before)) | set(os.listdir(after)))
    failures = 0
    compared = 0
    for name in names:
        a, b = os.path.join(before, name), os.path.join(after, name)
        if not os.path.exists(a) or not os.path.exists(b):
            print("DIFFERS %s: only in %s" % (name, "before" if os.path.exists(a) else "after"))
            failures += 1
            continue
        compared += 1
        if name.endswith(".json"):
            with open(a, encoding="utf-8") as fa, open(b, encoding="utf-8") as fb:
                found = differences(strip_timings(json.load(fa)), strip_timings(json.load(fb)))
        elif name.endswith(".csv"):
            found = [] if csv_without_timings(a) == csv_without_timings(b) else ["table differs (diff the files)"]
        else:
            found = [] if text_without_timings(a) == text_without_timings(b) else ["text differs (diff the files)"]
        if found:
            failures += 1
            print("DIFFERS %s" % name)
            for line in found[:20]:
                print("    " + line)
    print("%d files compared, %d differ (timing fields %s ignored)" % (compared, failures, sorted(SKIPPED_KEYS)))
    return 1 if failures else 0


def main(argv):
    if len(argv) >= 3 and argv[0] == "capture":
        fast = "--fast" in argv
        rest = [a for a in argv[3:] if a != "--fast"]
        root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
        # Paths relative to the repository, run from its root: the resolved config (and so a sweep's
        # baseline hashes) records the path as given, so two worktrees must spell it alike.
        binary, out_dir = os.path.abspath(argv[1]), os.path.abspath(argv[2])
        configs = [os.path.relpath(os.path.abspath(c), root) for c in (rest or default_configs(root))]
        os.chdir(root)
        capture(binary, out_dir, configs, fast)
        return 0
    if len(argv) == 3 and argv[0] == "diff":
        return diff(argv[1], argv[2])
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
