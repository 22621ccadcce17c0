#!/usr/bin/python3
"""Checks that `.sel` by value works in every group of poreflux files (issue 20): xarray (engine
h5netcdf) opens each group that holds datasets; every dimension of every variable there must have
coordinate values in that group (else xarray's `.sel(time_h=24)` quietly selects row 24); and
`.sel` on each numeric coordinate (time, depth, the grid's and slices' axes, percentiles, index
axes) at a few of its values returns what h5py finds at the position of that value in the
dimension scale attached to the dataset. A coordinate repeated in a subgroup (time_h in amounts/,
profiles/, ...) must hold the same values as the one of the nearest enclosing group.

    /usr/bin/python3 tests/coords_check.py FILE.h5 [FILE.h5 ...]

Run, sweep and population files alike. Exit status 0 when all holds, 1 otherwise (every
problem is listed).
"""
import sys

import h5py
import numpy as np

from h5_groups import groups_with_datasets, xr  # noqa: E402  (xarray or a clear failure)

problems = []


def fail(message):
    problems.append(message)


def positions_to_try(values):
    """A few positions of a coordinate: the last, the middle, and (for time) where the value is 24.
    Positions whose value differs from the position itself come first: there `.sel` by position and
    by value give different rows, so a coordinate that xarray does not see cannot pass."""
    n = len(values)
    picks = [n - 1, n // 2, 1 if n > 1 else 0]
    hits = np.flatnonzero(values == 24.0)
    if hits.size:
        picks.insert(0, int(hits[0]))
    out = []
    for k in picks:
        if 0 <= k < n and k not in out:
            out.append(k)
    out.sort(key=lambda k: values[k] == k)  # informative positions first
    return out[:3]


def enclosing_copy(f, group_name, name):
    """The dataset of the same name in the nearest enclosing group, if any."""
    parts = group_name.strip("/").split("/")
    for cut in range(len(parts) - 1, -1, -1):
        path = "/" + "/".join(parts[:cut] + [name])
        if path in f and isinstance(f[path], h5py.Dataset):
            return f[path]
    return None


def same(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype.kind in "OSU" or b.dtype.kind in "OSU":
        return all(str(x.decode() if isinstance(x, bytes) else x) == str(y.decode() if isinstance(y, bytes) else y)
                   for x, y in zip(a.ravel(), b.ravel()))
    return np.array_equal(a, b, equal_nan=a.dtype.kind == "f" and b.dtype.kind == "f")


def check_group(path, f, group):
    h5group = f[group]
    try:
        ds = xr.open_dataset(path, engine="h5netcdf", group=group)
    except Exception as e:  # noqa: BLE001  (what a user would see)
        fail(f"{path}:{group}: xarray cannot open it: {type(e).__name__}: {e}")
        return 0
    checked = 0
    with ds:
        for name, var in ds.variables.items():
            for dim in var.dims:
                if dim not in ds.indexes:
                    fail(f"{path}:{group}/{name}: dimension {dim!r} has no coordinate values in this group "
                         f"(xarray's .sel({dim}=...) would select by position)")
        for dim in ds.dims:
            if dim not in ds.indexes:
                continue
            coord = np.asarray(ds.indexes[dim])
            if coord.dtype.kind not in "fiu":
                continue
            if dim in h5group and group != "/":
                copy = enclosing_copy(f, h5group.parent.name, dim)
                if copy is not None and copy.ndim == 1 and not same(copy[()], h5group[dim][()]):
                    fail(f"{path}:{group}/{dim}: differs from {copy.name}, the coordinate it repeats")
            for k in positions_to_try(coord):
                value = coord[k]
                for name, var in ds.data_vars.items():
                    if dim not in var.dims:
                        continue
                    h5ds = h5group[name]
                    axis = var.dims.index(dim)
                    scales = h5ds.dims[axis]
                    if len(scales) != 1:
                        fail(f"{path}:{group}/{name}: dimension {axis} has {len(scales)} scales, expected 1")
                        continue
                    by_value = np.flatnonzero(scales[0][()] == value)
                    if by_value.size != 1:
                        fail(f"{path}:{group}/{name}: {dim} = {value} found {by_value.size} times in {scales[0].name}")
                        continue
                    reference = np.take(h5ds.asstr()[()] if h5py.check_string_dtype(h5ds.dtype) else h5ds[()],
                                        int(by_value[0]), axis=axis)
                    got = var.sel({dim: value}).values
                    if not same(got, reference):
                        fail(f"{path}:{group}/{name}: .sel({dim}={value}) differs from h5py's row {int(by_value[0])} "
                             f"of {scales[0].name}")
                    checked += 1
    return checked


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        return 2
    total = 0
    for path in sys.argv[1:]:
        with h5py.File(path, "r") as f:
            groups = groups_with_datasets(f)
            for group in groups:
                total += check_group(path, f, group)
        if total == 0:
            fail(f"{path}: no .sel was checked")
    for p in problems:
        print("FAIL:", p)
    if problems:
        print(f"{len(problems)} problem(s)")
        return 1
    print(f"coordinates: .sel by value agrees with h5py in every group ({total} selections checked)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
