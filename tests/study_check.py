#!/usr/bin/python3
"""Checks a study file of `poreflux sweep` (schema poreflux-sweep-h5/1, docs/STUDIES.md) as users
read it: every dataset dimension has a dimension scale, so xarray (engine h5netcdf) opens every
group with named dimensions and reads what h5py reads; the /table group equals the CSV written
beside it (units in the headers); each case's intact scenario is its baseline's (one object);
a population's percentile bands are ordered (5th <= 50th <= 95th) and its sensitivity matrices
hold correlations in [-1, 1]; and `poreflux export --csv` writes the table back unchanged.

    /usr/bin/python3 tests/study_check.py STUDY.h5 STUDY.csv POREFLUX_BINARY

Exit status 0 when all holds, 1 otherwise (every problem is listed).
"""
import csv
import math
import pathlib
import subprocess
import sys
import tempfile

import h5py
import numpy as np

from h5_groups import groups_with_datasets, xr  # noqa: E402  (xarray or a clear failure)

problems = []


def fail(message):
    problems.append(message)


def check_scales(f):
    def visit(name, obj):
        if not isinstance(obj, h5py.Dataset) or obj.shape == ():
            return
        for i, dim in enumerate(obj.dims):
            if obj.attrs.get("CLASS") == b"DIMENSION_SCALE" or (len(dim) == 0 and obj.is_scale):
                continue
            if len(dim) == 0:
                fail(f"/{name}: dimension {i} has no dimension scale")
            elif dim[0].shape[0] != obj.shape[i]:
                fail(f"/{name}: dimension {i} has a scale of length {dim[0].shape[0]}, not {obj.shape[i]}")
    f.visititems(visit)


def check_xarray(path, f):
    for group in groups_with_datasets(f):
        try:
            ds = xr.open_dataset(path, engine="h5netcdf", group=group)
        except Exception as e:  # noqa: BLE001
            fail(f"xarray cannot open {group}: {e}")
            continue
        for name, var in ds.variables.items():
            if any(d.startswith("phony_dim") for d in var.dims):
                fail(f"{group}/{name}: phony dimensions {var.dims}")
            h5 = np.asarray(f[f"{group}/{name}"][()])
            if h5.dtype.kind in "fi" and not np.array_equal(np.asarray(var.values), h5, equal_nan=True):
                fail(f"{group}/{name}: xarray reads other values than h5py")
        ds.close()


def read_csv(path):
    with open(path, newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def same_number(a, b):
    if a == "" or b == "":
        return a == b
    x, y = float(a), float(b)
    return (math.isnan(x) and math.isnan(y)) or abs(x - y) <= 1e-9 * max(1.0, abs(x))


def check_table(f, csv_path):
    header, rows = read_csv(csv_path)
    table = f["table"]
    columns = table.attrs["columns"].split("\n")
    expected = [f"{c} [{table[c].attrs['units']}]" if table[c].attrs["units"] else c for c in columns]
    if header != expected:
        fail(f"CSV header {header[:4]}... differs from the table's columns with units {expected[:4]}...")
        return
    for j, c in enumerate(columns):
        values = table[c][()]
        if len(values) != len(rows):
            fail(f"table/{c} has {len(values)} rows, the CSV {len(rows)}")
            continue
        for r, v in enumerate(values):
            cell = rows[r][j]
            if isinstance(v, bytes):
                v = v.decode()
            if isinstance(v, str):
                if v != cell:
                    fail(f"table/{c} row {r}: {v!r} vs CSV {cell!r}")
            elif not (math.isnan(v) and cell.lower() == "nan") and not same_number(repr(float(v)), cell):
                fail(f"table/{c} row {r}: {v} vs CSV {cell}")
    return header, rows


def check_baselines(f):
    for case in f["cases"]:
        group = f[f"cases/{case}"]
        intact = group.get("scenarios/intact")
        if intact is None:
            fail(f"cases/{case} has no intact scenario")
            continue
        baseline = f["table"]["baseline"][()]
        ids = {b.decode() if isinstance(b, bytes) else b for b in baseline}
        if not any(f.get(f"baselines/{b}/scenarios/intact") == intact for b in ids):
            fail(f"cases/{case}/scenarios/intact is not the object of any /baselines group (a copy, not a link)")


def check_population(f):
    p = f["population"]
    pct = p["percentile"][()]
    if list(pct) != [5.0, 50.0, 95.0]:
        fail(f"population/percentile is {pct}")
    bands = []
    p.visititems(lambda n, o: bands.append(o) if isinstance(o, h5py.Dataset) and o.attrs.get("axes") == "percentile, time" else None)
    if not bands:
        fail("population has no percentile bands")
    for band in bands:
        b = band[()]
        ok = np.isnan(b) | (np.diff(b, axis=0, prepend=-np.inf) >= -1e-15)
        if not ok.all():
            fail(f"{band.name}: percentiles not ordered")
    for m in ("spearman", "prcc"):
        v = p["sensitivity"][m][()]
        if np.any(np.abs(v[np.isfinite(v)]) > 1 + 1e-12):
            fail(f"sensitivity/{m} outside [-1, 1]")
    samples = p["inputs/samples"][()]
    if samples.shape != (p.attrs["subjects"], len(p["inputs/name"])):
        fail(f"inputs/samples has shape {samples.shape}")


def check_export(path, csv_path, binary):
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run([binary, "export", path, "--csv", out, "-q"], capture_output=True, text=True)
        if result.returncode != 0:
            fail(f"poreflux export failed: {result.stderr}")
            return
        exported = pathlib.Path(out) / "table.csv"
        if not exported.exists():
            fail("poreflux export wrote no table.csv")
            return
        h1, r1 = read_csv(csv_path)
        h2, r2 = read_csv(exported)
        if h1 != h2 or len(r1) != len(r2):
            fail("export's table.csv has other columns or rows than the sweep's CSV")
            return
        for a, b in zip(r1, r2):
            for x, y in zip(a, b):
                if x != y and not (x == "" and y.lower() == "nan") and not same_number(x, y):
                    fail(f"export's table.csv: {y} vs {x}")


def main():
    path, csv_path, binary = sys.argv[1], sys.argv[2], sys.argv[3]
    with h5py.File(path, "r") as f:
        if f.attrs.get("schema") != "poreflux-sweep-h5/1":
            fail(f"schema is {f.attrs.get('schema')}")
        check_scales(f)
        check_table(f, csv_path)
        check_baselines(f)
        if f.attrs["kind"] == "population":
            check_population(f)
        n = len(f["cases"])
        if n != f.attrs["n_cases"]:
            fail(f"{n} case groups for n_cases = {f.attrs['n_cases']}")
        check_xarray(path, f)
    check_export(path, csv_path, binary)
    for p in problems:
        print("FAIL:", p)
    print(f"{path}: {'ok' if not problems else str(len(problems)) + ' problem(s)'}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
