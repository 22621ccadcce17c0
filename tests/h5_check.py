#!/usr/bin/python3
"""Checks that a file follows the poreflux HDF5 layout "poreflux-h5/1" (src/io/write_run_h5.cpp).

Run with the system interpreter, which has h5py:  /usr/bin/python3 tests/h5_check.py OUT.h5
Exit status 0 when the layout holds, 1 otherwise (every problem found is listed).
Reading through h5py, not our own C++ readers, is the point: it is how users will read it.
"""
import argparse
import pathlib
import sys

import h5py
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tools"))
import poreflux_plots as pp  # noqa: E402  (the program's output registry: `poreflux layout --json`)

SCHEMA = pp.RUN_SCHEMA
# The documented layout, written out here on purpose (a renamed output must fail this check);
# the program's own registry (`poreflux layout --json`) is checked on top: every compartment and
# scalar output it declares must be in the file too.
COMPARTMENTS = ["vehicle", "removed", "degraded", "stratum_corneum", "viable_epidermis",
                "dermis", "receptor", "systemic"]
COMPARTMENTS += [c for c in pp.compartment_names() if c not in COMPARTMENTS]
ROOT_STRINGS = ["schema", "poreflux_version", "backend", "backend_description", "title", "compound"]
ROOT_FLOATS = ["applied_ug_per_cm2", "duration_h"]
SUMMARY_FLOATS = ["uptake_fraction", "dermal_delivery_fraction", "cumulative_permeated_ug_per_cm2",
                  "flux_max_ug_per_cm2_h", "t_flux_max_h", "lag_time_h", "mass_balance_error"]
SUMMARY_FLOATS += [o["key"] for o in pp.scalar_outputs() if o["key"] not in SUMMARY_FLOATS]
SOLVER_INTS = ["steps", "rejected_steps", "rhs_evaluations", "max_stages", "cells"]
# Units of the datasets whose unit is fixed; paths are relative to a scenario group.
SERIES_UNITS = {"time_h": "h", "supplied": "ug/cm2", "permeated": "ug/cm2", "flux": "ug/cm2/h",
                "mass_balance_error": "1", "profiles/depth_um": "um", "profiles/concentration": "ug/cm3",
                "grid/dx_um": "um", "grid/dz_um": "um", "grid/material_map": "1",
                "grid/materials/diffusivity_cm2_s": "cm2/s", "grid/materials/partition": "1",
                "grid/materials/degradation_per_s": "1/s", "grid/materials/clearance_per_s": "1/s"}
MATERIAL_FIELDS = ["name", "diffusivity_cm2_s", "partition", "degradation_per_s", "clearance_per_s"]
# The optional slices group of a treated scenario: coordinates (1-D, um) and pictures.
SLICE_AXES = ["x_um", "y_um", "z_um", "top_view_depth_um"]
SLICE_PICTURES = ["xz_concentration", "top_view_concentration"]


def is_utf8_vlen(type_id):
    return (isinstance(type_id, h5py.h5t.TypeStringID) and type_id.is_variable_str()
            and type_id.get_cset() == h5py.h5t.CSET_UTF8)


class Checker:
    def __init__(self):
        self.problems = []

    def fail(self, message):
        self.problems.append(message)

    def attr(self, obj, name, kind):
        """The attribute if present and of the Python kind expected (str must not be bytes)."""
        if name not in obj.attrs:
            self.fail(f"{obj.name}: attribute '{name}' missing")
            return None
        value = obj.attrs[name]
        ok = {"str": lambda v: isinstance(v, str),
              "float": lambda v: np.issubdtype(np.asarray(v).dtype, np.floating) and np.ndim(v) == 0,
              "int": lambda v: np.issubdtype(np.asarray(v).dtype, np.integer) and np.ndim(v) == 0}[kind](value)
        if not ok:
            self.fail(f"{obj.name}: attribute '{name}' should be {kind}, is {type(value).__name__} {value!r}")
            return None
        if kind == "str" and not is_utf8_vlen(obj.attrs.get_id(name).get_type()):
            # h5py decodes ASCII to str as well; other readers (C, MATLAB) see the difference.
            self.fail(f"{obj.name}: attribute '{name}' is not a variable-length UTF-8 string")
        return value

    def dataset(self, group, path, shape=None, units=None):
        if path not in group or not isinstance(group[path], h5py.Dataset):
            self.fail(f"{group.name}/{path}: dataset missing")
            return None
        ds = group[path]
        if shape is not None and ds.shape != tuple(shape):
            self.fail(f"{ds.name}: shape {ds.shape}, expected {tuple(shape)}")
        if units is not None and ds.attrs.get("units") != units:
            self.fail(f"{ds.name}: units {ds.attrs.get('units')!r}, expected {units!r}")
        return ds

    def labels(self, f):
        """Every dataset carries str 'units' and 'description' attributes."""
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                for key in ("units", "description"):
                    self.attr(obj, key, "str")
        f.visititems(visit)

    def root(self, f):
        for name in ROOT_STRINGS:
            self.attr(f, name, "str")
        for name in ROOT_FLOATS:
            self.attr(f, name, "float")
        ds = self.dataset(f, "config/resolved_toml", shape=())
        if ds is not None and not is_utf8_vlen(ds.id.get_type()):
            self.fail("/config/resolved_toml: not a variable-length UTF-8 string")

    def scenario(self, g, applied):
        time = self.dataset(g, "time_h", units="h")
        if time is None or time.ndim != 1:
            self.fail(f"{g.name}: no one-dimensional time_h; scenario not checked further")
            return
        T = time.shape[0]
        if T > 1 and not np.all(np.diff(time[()]) > 0):
            self.fail(f"{time.name}: times do not increase")
        for c in COMPARTMENTS:
            amount = self.dataset(g, f"amounts/{c}", shape=(T,), units="ug/cm2")
            fraction = self.dataset(g, f"fractions/{c}", shape=(T,), units="1")
            if amount is not None and fraction is not None and applied and applied > 0:
                if not np.allclose(fraction[()], amount[()] / applied, rtol=1e-12, atol=0):
                    self.fail(f"{fraction.name}: differs from amount / applied dose")
        for path in ("supplied", "permeated", "flux", "mass_balance_error"):
            self.dataset(g, path, shape=(T,), units=SERIES_UNITS[path])
        depth = self.dataset(g, "profiles/depth_um", units="um")
        Z = depth.shape[0] if depth is not None else None
        self.dataset(g, "profiles/concentration", shape=(T, Z) if Z is not None else None, units="ug/cm3")
        self.grid(g)
        self.summary(g)
        if "slices" in g:
            self.slices(g, T)
        solver = g.get("solver")
        if solver is None:
            self.fail(f"{g.name}/solver: group missing")
        else:
            self.attr(solver, "method", "str")
            self.attr(solver, "wall_s", "float")
            for name in SOLVER_INTS:
                self.attr(solver, name, "int")

    def grid(self, g):
        if "grid" not in g:
            self.fail(f"{g.name}/grid: group missing")
            return
        grid = g["grid"]
        geometry = self.attr(grid, "geometry", "str")
        if geometry not in ("cartesian", "axisymmetric"):
            self.fail(f"{grid.name}: geometry {geometry!r} is neither cartesian nor axisymmetric")
        dy_name, dy_units = ("dy_rad", "rad") if geometry == "axisymmetric" else ("dy_um", "um")
        dx = self.dataset(grid, "dx_um", units="um")
        dy = self.dataset(grid, dy_name, units=dy_units)
        dz = self.dataset(grid, "dz_um", units="um")
        shape = None if None in (dx, dy, dz) else (dz.shape[0], dy.shape[0], dx.shape[0])
        cells = self.dataset(grid, "material_map", shape=shape, units="1")
        if cells is not None and cells.dtype != np.uint8:
            self.fail(f"{cells.name}: dtype {cells.dtype}, expected uint8")
        lengths = set()
        for field in MATERIAL_FIELDS:
            ds = self.dataset(grid, f"materials/{field}", units=SERIES_UNITS.get(f"grid/materials/{field}"))
            if ds is not None:
                lengths.add(ds.shape)
        if len(lengths) > 1:
            self.fail(f"{grid.name}/materials: fields differ in length {sorted(lengths)}")
        elif cells is not None and lengths and cells.size and cells[()].max() >= next(iter(lengths))[0]:
            self.fail(f"{cells.name}: refers to a material index beyond materials/")

    def slices(self, g, T):
        """Concentration pictures around a channel (treated scenarios): shapes consistent with each
        other, with the output times and with the grid; the units (str, as labels() checks for every
        dataset) are the ones the writer promises."""
        sl = g["slices"]
        if not isinstance(sl, h5py.Group):
            self.fail(f"{sl.name}: not a group")
            return
        axes = {}
        for name in SLICE_AXES:
            ds = self.dataset(sl, name, units="um")
            if ds is None:
                continue
            if ds.ndim != 1:
                self.fail(f"{ds.name}: {ds.ndim}-dimensional, expected 1")
                continue
            axes[name] = ds[()]
            if not np.all(np.isfinite(axes[name])):
                self.fail(f"{ds.name}: not all finite")
            elif name != "top_view_depth_um" and axes[name].size > 1 and not np.all(np.diff(axes[name]) > 0):
                self.fail(f"{ds.name}: cell centres do not increase")
        nx, ny, nz = (axes[n].size if n in axes else None for n in ("x_um", "y_um", "z_um"))
        D = axes["top_view_depth_um"].size if "top_view_depth_um" in axes else None
        def known(*dims):  # a shape, or None when a coordinate was missing
            return None if None in dims else dims

        for name, shape, dtype in (("xz_concentration", known(T, nz, nx), np.float32),
                                   ("top_view_concentration", known(T, D, ny, nx), np.float32),
                                   ("channel_map", known(1, ny, nx), np.uint8)):
            ds = self.dataset(sl, name, shape=shape, units="1" if name == "channel_map" else "ug/cm3")
            if ds is None:
                continue
            if ds.dtype != dtype:
                self.fail(f"{ds.name}: dtype {ds.dtype}, expected {np.dtype(dtype)}")
            if shape is not None and ds.shape != shape:
                continue
            values = ds[()]
            if name == "channel_map":
                if values.size and not np.all((values == 0) | (values == 1)):
                    self.fail(f"{ds.name}: values other than 0 and 1")
                elif values.size and not values.any():
                    self.fail(f"{ds.name}: no channel opening at all")
            elif not np.all(np.isfinite(values)):
                self.fail(f"{ds.name}: not all finite")
        row_j = self.attr(sl, "row_j", "int")
        if row_j is not None and ny is not None and not 0 <= row_j < ny:
            self.fail(f"{sl.name}: row_j {row_j} outside 0..{ny - 1}")
        if "z_um" in axes and "top_view_depth_um" in axes:
            z, depths = axes["z_um"], axes["top_view_depth_um"]
            if not all(np.any(np.isclose(z, d, rtol=1e-9, atol=1e-9)) for d in depths):
                self.fail(f"{sl.name}/top_view_depth_um: not all depths are cell centres of z_um")
        # The slices cover the whole grid of the scenario: centres of its cell widths.
        grid = g.get("grid")
        if not isinstance(grid, h5py.Group):
            return
        for name, widths in (("x_um", "dx_um"), ("z_um", "dz_um")):
            if name in axes and widths in grid:
                w = grid[widths][()]
                centres = np.cumsum(w) - 0.5 * w
                if centres.shape != axes[name].shape:
                    self.fail(f"{sl.name}/{name}: {axes[name].size} cells, grid/{widths} has {w.size}")
                elif not np.allclose(axes[name], centres, rtol=1e-9, atol=1e-9):
                    self.fail(f"{sl.name}/{name}: not the cell centres of grid/{widths}")
        dy = grid.get("dy_um", grid.get("dy_rad"))
        if ny is not None and isinstance(dy, h5py.Dataset) and dy.shape != (ny,):
            self.fail(f"{sl.name}/y_um: {ny} cells, {dy.name} has {dy.shape[0] if dy.ndim else 0}")

    def summary(self, g):
        summary = g.get("summary")
        if summary is None:
            self.fail(f"{g.name}/summary: group missing")
            return
        for name in SUMMARY_FLOATS:
            self.attr(summary, name, "float")
        doses = summary.get("fraction_of_dose")
        if doses is None:
            self.fail(f"{summary.name}/fraction_of_dose: missing")
            return
        for c in COMPARTMENTS:
            self.attr(doses, c, "float")


def check(path):
    checker = Checker()
    try:
        f = h5py.File(path, "r")
    except OSError as e:
        return [f"{path}: cannot open as HDF5 ({e})"]
    with f:
        schema = f.attrs.get("schema")
        if schema != SCHEMA:
            return [f"{path}: schema attribute is {schema!r}, expected {SCHEMA!r}"]
        checker.root(f)
        checker.labels(f)
        scenarios = f.get("scenarios")
        if not isinstance(scenarios, h5py.Group) or len(scenarios) == 0:
            checker.fail("/scenarios: missing or empty")
        else:
            applied = f.attrs.get("applied_ug_per_cm2")
            for name in scenarios:
                checker.scenario(scenarios[name], applied)
    return checker.problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", help="poreflux HDF5 output")
    args = parser.parse_args()
    problems = check(args.file)
    for p in problems:
        print("FAIL:", p)
    if problems:
        print(f"{args.file}: {len(problems)} problem(s)")
        return 1
    print(f"{args.file}: layout {SCHEMA} OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
