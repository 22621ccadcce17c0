"""The figures of tools/report.py, drawn from the module's results: the same functions draw
them (report.py's run_overview_figure, run_slices_figure, sweep_figures), so a notebook and
the HTML report show the same pictures. They are found in the source tree this module was
built from (tools/); each function returns matplotlib Figures."""
import json
import sys

import numpy as np

from . import _paths


def _report():
    tools = str(_paths.SOURCE_DIR / "tools")
    if not (_paths.SOURCE_DIR / "tools" / "report.py").is_file():
        raise ImportError(f"poreflux.plot draws with tools/report.py of the source tree, not found at {tools}")
    if tools not in sys.path:
        sys.path.insert(0, tools)
    import report  # noqa: E402  (tools/report.py)
    return report


def _run_of(result):
    import h5py
    report = _report()
    path = result._h5_path()  # the run's HDF5, written by the C++ writer
    with h5py.File(path, "r") as f:
        return report, report.pp.read_run(f, str(path))


def overview(result):
    """The run overview: amounts, enhancement, flux, mass balance, profiles (report.py's)."""
    report, run = _run_of(result)
    return report.run_overview_figure(run)


def slices(result, count=4):
    """Concentration slices through a channel of the treated scenario; None without one."""
    report, run = _run_of(result)
    return report.run_slices_figure(run, count)


def sweep(ds):
    """The sweep figures (heat maps over two axes, lines over one, bars per case, and the mass
    balance) of a Dataset returned by poreflux.sweep, as a list of (name, Figure)."""
    if "poreflux_table_json" not in ds.attrs:
        raise ValueError("not a Dataset returned by poreflux.sweep (no poreflux_table_json attribute)")
    t = json.loads(ds.attrs["poreflux_table_json"])
    table = {c["name"]: np.array(c["values"], dtype=object if c["text"] else float) for c in t["columns"]}
    units = {c["name"]: c["units"] for c in t["columns"]}
    return _report().sweep_figures(table, units, t["axes"], t["grid_axes"])
