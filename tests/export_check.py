#!/usr/bin/python3
"""Round trip of `poreflux export FILE --csv DIR`: the CSV files, read back with the csv module,
hold the values h5py reads from the file (exactly: numbers are written so that they read back as
the same double), under `name [unit]` headers whose units are the datasets' `units`; existing
files are refused without --force; a sweep file (schema poreflux-sweep-h5/1, built here with
h5py) gives table.csv in the order of /table's `columns` attribute and a folder per case; a file
that is not a poreflux result is refused with exit code 2, naming the file.

    /usr/bin/python3 tests/export_check.py POREFLUX_BINARY RUN.h5 WORKDIR
"""
import csv
import pathlib
import shutil
import subprocess
import sys

import h5py
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import poreflux_plots as pp  # noqa: E402  (the program's output registry)

PROBLEMS = []


def fail(message):
    PROBLEMS.append(message)


def export(binary, source, folder, *extra):
    return subprocess.run([binary, "export", str(source), "--csv", str(folder), "-q", *extra],
                          capture_output=True, text=True, timeout=60)


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def number(text):
    return float(text)  # "NaN", "Inf" and "-Inf" included


def column(header, rows, name):
    if name not in header:
        fail(f"column {name!r} missing from {header}")
        return None
    i = header.index(name)
    return [r[i] for r in rows]


def same_numbers(where, texts, values):
    if texts is None:
        return
    got = np.array([number(t) for t in texts])
    values = np.ravel(np.asarray(values, dtype=float))
    if got.shape != values.shape or not np.array_equal(got, values, equal_nan=True):
        fail(f"{where}: CSV values differ from the HDF5 values")


def head(ds, name):
    return f"{name} [{ds.attrs['units']}]"


def check_run(folder, g_root, label):
    """The CSV files of one run layout against its groups."""
    for name, s in g_root["scenarios"].items():
        header, rows = read_csv(folder / f"{name}_timeseries.csv")
        T = s["time_h"].shape[0]
        if len(rows) != T:
            fail(f"{label} {name}_timeseries.csv: {len(rows)} rows, time_h has {T}")
        same_numbers(f"{label} {name} time", column(header, rows, head(s["time_h"], "time")), s["time_h"][()])
        # time_h in amounts/ and fractions/ is their coordinate (the scenario's times), not a compartment.
        if any(h.startswith("time_h") or h.startswith("time_h_fraction") for h in header):
            fail(f"{label} {name}_timeseries.csv: a group's time coordinate exported as a compartment: {header}")
        for c, ds in ((c, ds) for c, ds in s["amounts"].items() if c != "time_h"):
            same_numbers(f"{label} {name} amount {c}", column(header, rows, head(ds, c)), ds[()])
        for c, ds in ((c, ds) for c, ds in s["fractions"].items() if c != "time_h"):
            same_numbers(f"{label} {name} fraction {c}", column(header, rows, head(ds, c + "_fraction")), ds[()])
        for series in ("supplied", "permeated", "flux", "mass_balance_error", "film_volume"):
            same_numbers(f"{label} {name} {series}", column(header, rows, head(s[series], series)), s[series][()])

        header, rows = read_csv(folder / f"{name}_profiles.csv")
        depth, conc = s["profiles/depth_um"], s["profiles/concentration"]
        if header != ["time [h]", "depth [um]", "concentration [ug/cm3]"]:
            fail(f"{label} {name}_profiles.csv: header {header}")
        t, z = np.meshgrid(s["time_h"][()], depth[()], indexing="ij")
        same_numbers(f"{label} {name} profile time", [r[0] for r in rows], t)
        same_numbers(f"{label} {name} profile depth", [r[1] for r in rows], z)
        same_numbers(f"{label} {name} profile concentration", [r[2] for r in rows], conc[()])

        header, rows = read_csv(folder / f"{name}_summary.csv")
        summary = s["summary"]
        if len(rows) != 1 or rows[0][0] != name:
            fail(f"{label} {name}_summary.csv: expected one row for {name}, got {rows}")
        else:
            for attr, col in (("uptake_fraction", "uptake_fraction [1]"),
                              ("cumulative_permeated_ug_per_cm2", "cumulative_permeated [ug/cm2]"),
                              ("lag_time_h", "lag_time [h]")):
                same_numbers(f"{label} {name} summary {attr}", column(header, rows, col), [summary.attrs[attr]])
            for o in pp.scalar_outputs():  # and every other output of the program's registry
                same_numbers(f"{label} {name} summary {o['key']}", column(header, rows, f"{o['name']} [{o['unit']}]"),
                             [summary.attrs[o["key"]]])
            for c, v in summary["fraction_of_dose"].attrs.items():
                same_numbers(f"{label} {name} summary {c}", column(header, rows, f"{c}_fraction_of_dose [1]"), [v])

        header, rows = read_csv(folder / f"{name}_film.csv")
        for key, ds in s["film"].items():
            same_numbers(f"{label} {name} film {key}", column(header, rows, head(ds, key)), ds[()])

    header, rows = read_csv(folder / "parameters.csv")
    p = g_root["parameters"]
    if header != ["name", "value", "unit", "relation", "inputs"]:
        fail(f"{label} parameters.csv: header {header}")
    elif [r[0] for r in rows] != list(p["name"].asstr()[()]) or [r[4] for r in rows] != list(p["inputs"].asstr()[()]):
        fail(f"{label} parameters.csv: names or inputs differ from /parameters")
    else:
        same_numbers(f"{label} parameters value", [r[1] for r in rows], p["value"][()])


def make_sweep(run_file, path):
    """A file of the sweep schema as the lead's `sweep` will write it: /table and /cases/<id>."""
    with h5py.File(path, "w") as f, h5py.File(run_file, "r") as run:
        f.attrs["schema"] = "poreflux-sweep-h5/1"
        t = f.create_group("table")
        t.attrs["columns"] = "case\nuptake_fraction\nlabel"  # not alphabetical, on purpose
        for name, values, units in (("case", np.array([0, 1, 2], dtype=np.int64), "1"),
                                    ("uptake_fraction", np.array([0.1, np.nan, 1 / 3]), "1"),
                                    ("label", np.array(["a, b", 'say "hi"', "µ"], dtype=object), "1")):
            ds = t.create_dataset(name, data=values,
                                  dtype=h5py.string_dtype() if values.dtype == object else values.dtype)
            ds.attrs["units"], ds.attrs["description"] = units, name
        cases = f.create_group("cases")
        run.copy(run["/"], cases, name="c1")


def main():
    binary, run_file, work = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    out = work / "csv"
    r = export(binary, run_file, out)
    if r.returncode != 0:
        fail(f"export failed ({r.returncode}): {r.stderr}")
    else:
        with h5py.File(run_file, "r") as f:
            check_run(out, f, "run")
    r = export(binary, run_file, out)
    if r.returncode != 2 or "--force" not in r.stderr:
        fail(f"a second export without --force: exit {r.returncode}, {r.stderr!r}; expected 2 and a refusal")
    if export(binary, run_file, out, "--force").returncode != 0:
        fail("a second export with --force failed")

    sweep = work / "sweep.h5"
    make_sweep(run_file, sweep)
    out = work / "sweep_csv"
    r = export(binary, sweep, out)
    if r.returncode != 0:
        fail(f"export of a sweep file failed ({r.returncode}): {r.stderr}")
    else:
        header, rows = read_csv(out / "table.csv")
        if header != ["case [1]", "uptake_fraction [1]", "label [1]"]:
            fail(f"table.csv: header {header}, expected the order of the columns attribute")
        same_numbers("table case", [r[0] for r in rows], [0, 1, 2])
        same_numbers("table uptake_fraction", [r[1] for r in rows], [0.1, np.nan, 1 / 3])
        if [r[2] for r in rows] != ["a, b", 'say "hi"', "µ"]:
            fail(f"table.csv: strings {[r[2] for r in rows]}")
        with h5py.File(sweep, "r") as f:
            check_run(out / "c1", f["cases/c1"], "case c1")

    stranger = work / "stranger.h5"
    with h5py.File(stranger, "w") as f:
        f.create_dataset("x", data=[1.0])
    r = export(binary, stranger, work / "stranger_csv")
    if r.returncode != 2 or str(stranger) not in r.stderr or "schema" not in r.stderr:
        fail(f"a file without a schema: exit {r.returncode}, {r.stderr!r}; expected 2 naming the file and the schema")

    for p in PROBLEMS:
        print("FAIL:", p)
    if PROBLEMS:
        print(f"export round trip: {len(PROBLEMS)} problem(s)")
        return 1
    print(f"{run_file}: export round trip OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
