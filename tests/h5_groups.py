"""Shared by the HDF5 check scripts (coords_check.py, study_check.py): xarray with its h5netcdf
engine or a clear failure, and the groups of a file that hold datasets."""
import sys

import h5py

try:
    import xarray as xr  # noqa: F401  (re-exported)
    import h5netcdf  # noqa: F401  (xarray's engine)
except ImportError as e:
    print(f"FAIL: {e}: install python3-xarray and python3-h5netcdf (tools/setup.sh)")
    sys.exit(1)


def groups_with_datasets(f):
    found = set()

    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            found.add(obj.parent.name)
    f.visititems(visit)
    return sorted(found)
