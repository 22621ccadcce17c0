#!/usr/bin/python3
"""Checks that a poreflux run file opens in common tools (issue 10): every dataset dimension has
an HDF5 dimension scale of the right name and length; xarray (engine h5netcdf) opens every group
with those names (no phony_dim_N) and reads the values h5py reads; and the XDMF sidecar OUT.xmf
points at datasets that exist with the dimensions and number types it declares.

    /usr/bin/python3 tests/interop_check.py OUT.h5 [--xmf-required]

Exit status 0 when all holds, 1 otherwise (every problem is listed). Needs Debian's
python3-h5py, python3-xarray and python3-h5netcdf (tools/setup.sh installs them); a missing
one is a failure, not a skip.
"""
import argparse
import math
import pathlib
import sys
import xml.etree.ElementTree as ET

import h5py
import numpy as np

try:
    import xarray as xr
    import h5netcdf  # noqa: F401  (xarray's engine)
except ImportError as e:
    print(f"FAIL: {e}: install python3-xarray and python3-h5netcdf (tools/setup.sh); "
          "this test checks what those readers see and cannot pass without them")
    sys.exit(1)

# The scale of each dimension, by dataset path relative to a scenario group (write_run_h5.cpp).
# "*" stands for every dataset of that group. "y" is y_um, or y_rad on an axisymmetric grid.
SCENARIO_DIMS = {
    "time_h": ["time_h"], "supplied": ["time_h"], "permeated": ["time_h"], "flux": ["time_h"],
    "mass_balance_error": ["time_h"], "film_volume": ["time_h"],
    "amounts/*": ["time_h"], "fractions/*": ["time_h"],
    "profiles/time_h": ["time_h"], "profiles/depth_um": ["depth_um"], "profiles/concentration": ["time_h", "depth_um"],
    "grid/x_um": ["x_um"], "grid/y": ["y"], "grid/z_um": ["z_um"],
    "grid/dx_um": ["x_um"], "grid/dy": ["y"], "grid/dz_um": ["z_um"], "grid/layer_of_z": ["z_um"],
    "grid/layer_names": ["layer"], "grid/layer": ["layer"],
    "grid/material_map": ["z_um", "y", "x_um"], "grid/initial_concentration": ["z_um", "y", "x_um"],
    "grid/materials/*": ["material"], "film/*": ["application"],
    "slices/time_h": ["time_h"], "slices/x_um": ["x_um"], "slices/y_um": ["y_um"], "slices/z_um": ["z_um"],
    "slices/top_view_depth_um": ["top_view_depth_um"], "slices/channel_map_depth_um": ["channel_map_depth_um"],
    "slices/xz_concentration": ["time_h", "z_um", "x_um"],
    "slices/top_view_concentration": ["time_h", "top_view_depth_um", "y_um", "x_um"],
    "slices/channel_map": ["channel_map_depth_um", "y_um", "x_um"],
}
# Datasets a scenario must have (the optional ones are checked when present).
REQUIRED = ["time_h", "supplied", "permeated", "flux", "mass_balance_error", "profiles/depth_um",
            "profiles/concentration", "grid/x_um", "grid/z_um", "grid/dx_um", "grid/dz_um",
            "grid/material_map", "grid/layer", "grid/materials/material", "film/application"]
XDMF_TYPES = {("Float", 8): "f8", ("Float", 4): "f4", ("UChar", 1): "u1", ("Char", 1): "i1",
              ("Int", 8): "i8", ("Int", 4): "i4", ("UInt", 8): "u8", ("UInt", 4): "u4"}


class Checker:
    def __init__(self):
        self.problems = []

    def fail(self, message):
        self.problems.append(message)

    # ---- HDF5 dimension scales, read through h5py ----

    def scale_names(self, ds):
        """The basename of the one scale on each dimension, None where none or several."""
        names = []
        for axis, dim in enumerate(ds.dims):
            if ds.attrs.get("CLASS") == b"DIMENSION_SCALE" and ds.ndim == 1:
                names.append(ds.name.split("/")[-1])  # a scale is its own dimension
                continue
            if len(dim) != 1:
                self.fail(f"{ds.name}: dimension {axis} has {len(dim)} scales attached, expected 1")
                names.append(None)
                continue
            scale = dim[0]
            if scale.shape != (ds.shape[axis],):
                self.fail(f"{ds.name}: dimension {axis} has {ds.shape[axis]} entries, its scale {scale.name} "
                          f"has shape {scale.shape}")
            names.append(scale.name.split("/")[-1])
        return names

    def every_dimension_named(self, f):
        """No dataset dimension of the file is left without a scale (h5netcdf would need phony_dims)."""
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and obj.ndim > 0:
                self.scale_names(obj)
        f.visititems(visit)

    def expected_scales(self, g, geometry_y):
        for pattern, scales in SCENARIO_DIMS.items():
            scales = [geometry_y if s == "y" else s for s in scales]
            pattern = pattern.replace("grid/y", "grid/" + geometry_y).replace("grid/dy", "grid/d" + geometry_y)
            group_path, _, leaf = pattern.rpartition("/")
            if group_path and group_path not in g:
                continue
            group = g[group_path] if group_path else g
            names = [n for n in group if isinstance(group[n], h5py.Dataset)] if leaf == "*" else [leaf]
            for name in names:
                if name not in group:
                    if pattern in REQUIRED:
                        self.fail(f"{group.name}/{name}: missing")
                    continue
                ds = group[name]
                got = self.scale_names(ds)
                if got != scales:
                    self.fail(f"{ds.name}: dimension scales {got}, expected {scales}")
        # Groups indexed by time carry their own time_h (so that they open alone in xarray with
        # coordinate values); it must be the scenario's, and be what their datasets are attached to.
        for sub, indexed in (("amounts", None), ("fractions", None), ("profiles", "concentration"),
                             ("slices", "xz_concentration")):
            if sub not in g:
                continue
            local = g[sub].get("time_h")
            if local is None:
                self.fail(f"{g[sub].name}: no time_h coordinate of its own")
                continue
            if not np.array_equal(local[()], g["time_h"][()]):
                self.fail(f"{local.name}: values differ from the scenario's time_h")
            if indexed is not None and g[sub][indexed].dims[0][0] != local:
                self.fail(f"{g[sub].name}/{indexed}: time axis is not {local.name}")

    # ---- xarray ----

    def xarray_group(self, path, group_path, h5group):
        try:
            ds = xr.open_dataset(path, engine="h5netcdf", group=group_path)
        except Exception as e:  # what a user would see
            self.fail(f"xarray cannot open group {group_path}: {type(e).__name__}: {e}")
            return
        with ds:
            for dim in ds.dims:
                if str(dim).startswith("phony_dim"):
                    self.fail(f"xarray group {group_path}: unnamed dimension {dim}")
            for name, var in ds.variables.items():
                h5ds = h5group[name]
                expected = tuple(self.scale_names(h5ds))
                if var.dims != expected:
                    self.fail(f"xarray {group_path}/{name}: dims {var.dims}, expected {expected}")
                values = np.asarray(var.values)
                if h5py.check_string_dtype(h5ds.dtype) is not None:
                    reference = np.asarray(h5ds.asstr()[()], dtype=object)
                    same = values.shape == reference.shape and all(
                        str(a) == str(b) for a, b in zip(np.ravel(values), np.ravel(reference)))
                else:
                    reference = h5ds[()]
                    same = np.array_equal(values, reference, equal_nan=values.dtype.kind == "f")
                if not same:
                    self.fail(f"xarray {group_path}/{name}: values differ from h5py's")
                if "units" in h5ds.attrs and var.attrs.get("units") != h5ds.attrs["units"]:
                    self.fail(f"xarray {group_path}/{name}: units {var.attrs.get('units')!r}")

    def xarray_all(self, path, f):
        groups = ["/"]
        f.visititems(lambda name, obj: groups.append(name) if isinstance(obj, h5py.Group) else None)
        for group_path in groups:
            self.xarray_group(path, group_path, f[group_path])

    # ---- XDMF ----

    def data_item(self, item, f, h5name, where):
        """Checks one HDF DataItem; returns (shape, numpy dtype) it declares."""
        dims = tuple(int(d) for d in item.get("Dimensions", "").split())
        key = (item.get("NumberType", "Float"), int(item.get("Precision", "4")))
        if item.get("Format") != "HDF":
            return dims, None
        file_name, _, dataset = (item.text or "").strip().partition(":")
        if file_name != h5name:
            self.fail(f"{where}: DataItem refers to file {file_name!r}, expected {h5name!r}")
        if dataset not in f or not isinstance(f[dataset], h5py.Dataset):
            self.fail(f"{where}: DataItem refers to {dataset!r}, not a dataset of {h5name}")
            return dims, None
        ds = f[dataset]
        if ds.shape != dims:
            self.fail(f"{where}: DataItem {dataset} declares Dimensions {dims}, the dataset has {ds.shape}")
        if XDMF_TYPES.get(key) != ds.dtype.str.lstrip("<>|="):
            self.fail(f"{where}: DataItem {dataset} declares {key}, the dataset is {ds.dtype}")
        return dims, ds

    def item_size(self, item, f, h5name, where):
        """Number of values a (possibly HyperSlab) DataItem yields."""
        dims = tuple(int(d) for d in item.get("Dimensions", "").split())
        if item.get("ItemType") == "HyperSlab":
            select, source = list(item.findall("DataItem"))
            _, ds = self.data_item(source, f, h5name, where)
            numbers = [int(v) for v in select.text.split()]
            if ds is None:
                return math.prod(dims)
            rank = ds.ndim
            if select.get("Dimensions") != f"3 {rank}" or len(numbers) != 3 * rank:
                self.fail(f"{where}: HyperSlab selection of {ds.name} is not 3 x rank")
                return math.prod(dims)
            start, stride, count = numbers[:rank], numbers[rank:2 * rank], numbers[2 * rank:]
            for a in range(rank):
                if start[a] + (count[a] - 1) * stride[a] >= ds.shape[a]:
                    self.fail(f"{where}: HyperSlab of {ds.name} reaches beyond axis {a}")
            if math.prod(count) != math.prod(dims):
                self.fail(f"{where}: HyperSlab of {ds.name} selects {math.prod(count)} values, declares {dims}")
        else:
            self.data_item(item, f, h5name, where)
        return math.prod(dims)

    def xdmf(self, xmf_path, f, h5name):
        try:
            root = ET.parse(xmf_path).getroot()
        except ET.ParseError as e:
            self.fail(f"{xmf_path}: not well-formed XML ({e})")
            return
        if root.tag != "Xdmf" or root.get("Version") != "3.0":
            self.fail(f"{xmf_path}: root element {root.tag} version {root.get('Version')}, expected Xdmf 3.0")
        uniform = [g for g in root.iter("Grid") if g.get("GridType", "Uniform") == "Uniform"]
        if not uniform:
            self.fail(f"{xmf_path}: no grid")
        for grid in uniform:
            where = f"{xmf_path}: grid {grid.get('Name')!r}"
            topology = grid.find("Topology")
            if topology is None or topology.get("TopologyType") != "3DRectMesh":
                self.fail(f"{where}: no 3DRectMesh topology")
                continue
            zyx = tuple(int(d) for d in topology.get("Dimensions").split())
            geometry = grid.find("Geometry")
            items = list(geometry) if geometry is not None else []
            if geometry is None or geometry.get("GeometryType") != "VXVYVZ" or len(items) != 3:
                self.fail(f"{where}: geometry is not VXVYVZ with three coordinate arrays")
                continue
            sizes = tuple(self.item_size(i, f, h5name, where) for i in items)  # X, Y, Z
            if sizes[::-1] != zyx:
                self.fail(f"{where}: coordinates of lengths {sizes} (X Y Z) do not match topology {zyx} (Z Y X)")
            attributes = grid.findall("Attribute")
            if not attributes:
                self.fail(f"{where}: no attribute")
            for attribute in attributes:
                if attribute.get("Center") != "Node":
                    self.fail(f"{where}: attribute {attribute.get('Name')} not node-centred")
                n = self.item_size(attribute.find("DataItem"), f, h5name, f"{where} {attribute.get('Name')}")
                if n != math.prod(zyx):
                    self.fail(f"{where}: attribute {attribute.get('Name')} has {n} values for {math.prod(zyx)} nodes")
        for collection in root.iter("Grid"):
            if collection.get("CollectionType") != "Temporal":
                continue
            scenario = collection.get("Name").split(" ")[0]
            times = [float(g.find("Time").get("Value")) for g in collection.findall("Grid")]
            expected = f[f"scenarios/{scenario}/time_h"][()]
            if not np.array_equal(times, expected):
                self.fail(f"{xmf_path}: {collection.get('Name')} times {times}, time_h {list(expected)}")
        # Each 3-D field of the file is described.
        described = {(i.text or "").strip().partition(":")[2] for i in root.iter("DataItem") if i.get("Format") == "HDF"}
        for name in f["scenarios"]:
            for field in ("grid/material_map", "grid/initial_concentration", "slices/xz_concentration",
                          "slices/top_view_concentration", "slices/channel_map"):
                path = f"/scenarios/{name}/{field}"
                if path in f and path not in described:
                    self.fail(f"{xmf_path}: {path} is not described")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=pathlib.Path)
    parser.add_argument("--xmf-required", action="store_true", help="fail when OUT.xmf is missing")
    args = parser.parse_args()
    checker = Checker()
    with h5py.File(args.file, "r") as f:
        checker.every_dimension_named(f)
        for name, g in f["scenarios"].items():
            y = "y_rad" if g["grid"].attrs.get("geometry") == "axisymmetric" else "y_um"
            checker.expected_scales(g, y)
        checker.xarray_all(str(args.file), f)
        xmf = args.file.with_suffix(".xmf")
        if xmf.exists():
            checker.xdmf(xmf, f, args.file.name)
        elif args.xmf_required:
            checker.fail(f"{xmf}: missing")
    for p in checker.problems:
        print("FAIL:", p)
    if checker.problems:
        print(f"{args.file}: {len(checker.problems)} problem(s)")
        return 1
    print(f"{args.file}: dimension scales, xarray and XDMF OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
