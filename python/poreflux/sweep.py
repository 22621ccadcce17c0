"""poreflux.sweep: the cases of a [sweep] (docs/STUDIES.md) built from a Study and a dict of
axes, run by the engine exactly as ``poreflux sweep`` runs a config with that [sweep] table,
and returned as an xarray.Dataset with one dimension per axis (and "scenario") holding the
columns of the sweep's results table."""
import json
import os
import tempfile

import numpy as np
import xarray as xr

from . import _core, toml_text
from .progress import Reporter


def plan_toml(study, axes, combine="grid", report_at=None):
    """The study's config with a [sweep] table of these axes (what ``poreflux sweep`` reads)."""
    if not axes:
        raise ValueError("sweep needs at least one axis: {\"treatment.needle_length\": [\"0.25 mm\", \"1 mm\"]}")
    lines = [study.to_toml().rstrip("\n"), "", "[sweep]", f"combine = {toml_text.value(combine)}"]
    if report_at:
        lines.append(f"report_at = {toml_text.value(list(report_at))}")
    for key, values in axes.items():
        lines += ["", "[[sweep.axis]]", f"key = {toml_text.value(key)}", f"values = {toml_text.value(list(values))}"]
    return "\n".join(lines) + "\n"


def run_table(source_name, plan_text, jobs, backend, method, linear_solver, allow_large, output, force, progress):
    with tempfile.TemporaryDirectory(prefix="poreflux-sweep-") as tmp:
        h5 = os.fspath(output) if output else os.path.join(tmp, "sweep.h5")
        csv = os.path.splitext(h5)[0] + ".csv"
        with Reporter(progress) as callback:
            return _core.sweep(plan_text, source_name, h5, csv, jobs, backend or "", method or "",
                               linear_solver or "", allow_large, force, callback)


def sweep(study, axes=None, jobs=1, combine="grid", report_at=None, backend=None, method=None, linear_solver=None,
          allow_large=False, output=None, force=False, progress=True):
    """Runs ``study`` (a Study; or the path of a config with its own [sweep] or [population]
    table, run as ``poreflux sweep PATH`` runs it) over every combination of ``axes`` ({key path: values}, the first axis
    varying slowest; combine="zip" takes the i-th values together) on ``jobs`` cases at once.
    ``output`` keeps the study file (HDF5, with its CSV beside it); else it is temporary.
    Returns the results table as an xarray.Dataset: dimensions "scenario" and one per axis
    (combine="grid"), or "case" (combine="zip")."""
    if isinstance(study, (str, os.PathLike)):
        if axes:
            raise ValueError("give axes with a Study (poreflux.Study.load(path)); a path is run with its own [sweep]")
        from .study import _read
        plan_text, source = _read(os.fspath(study)), os.fspath(study)
        if plan_text is None:
            raise FileNotFoundError(f"cannot read the config {source!r}")
    else:
        plan_text, source = plan_toml(study, axes, combine, report_at), study.source_name
    table = run_table(source, plan_text, jobs, backend, method, linear_solver,
                      allow_large, output, force, progress)
    ds = table_to_xarray(table, by_axes=combine == "grid")
    # The table as the sweep wrote it (one row per case x scenario), for poreflux.plot.sweep,
    # which draws the report's figures from it; a string, so the Dataset still saves as netCDF.
    ds.attrs["poreflux_table_json"] = json.dumps({k: table[k] for k in ("columns", "axes", "grid_axes", "rows")})
    return ds


def _column_values(c):
    return np.array(c["values"], dtype=object if c["text"] else float)


def table_to_xarray(table, by_axes=True):
    """The table of a sweep (one row per case and scenario) as a Dataset over the axes."""
    columns = {c["name"]: c for c in table["columns"]}
    scenario = _column_values(columns["scenario"])
    case = _column_values(columns["case"])
    baseline = _column_values(columns["baseline"]) if "baseline" in columns else None
    treated_rows = [i for i in range(table["rows"]) if scenario[i] == "treated"]
    case_rows = treated_rows or [i for i in range(table["rows"]) if scenario[i] == "intact"]
    scenarios = ["intact", "treated"] if treated_rows else ["intact"]

    def intact_row_of(i):
        # A case's intact row: its own, or that of the baseline it shares.
        for j in range(table["rows"]):
            if scenario[j] == "intact" and (case[j] == case[i] or (baseline is not None and baseline[j] == baseline[i])):
                return j
        return None

    rows = {"intact": [intact_row_of(i) for i in case_rows], "treated": case_rows if treated_rows else None}
    axes = table["grid_axes"] if by_axes and table["grid_axes"] else []
    data_vars = {}
    for name, c in columns.items():
        if name in ("scenario", "case") or name in table["axes"]:
            continue  # dimensions and coordinates
        values = _column_values(c)
        fill = None if c["text"] else np.nan
        per_scenario = [[values[j] if j is not None else fill for j in rows[s]] if rows[s] is not None else
                        [fill] * len(case_rows) for s in scenarios]
        data_vars[name] = (("scenario", "case"), np.array(per_scenario, dtype=values.dtype),
                           {"units": c["units"], "description": c["description"]})
    coords = {"scenario": scenarios,
              "case_id": ("case", case[case_rows], {"description": columns["case"]["description"]})}
    for name in table["axes"]:
        c = columns[name]
        coords[name] = ("case", _column_values(c)[case_rows], {"units": c["units"], "description": c["description"]})
    ds = xr.Dataset(data_vars, coords=coords)
    if len(axes) == 1:
        ds = ds.swap_dims({"case": axes[0]})
    elif axes:
        ds = ds.set_index(case=axes).unstack("case")
        for name in axes:
            ds[name].attrs.update({"units": columns[name]["units"], "description": columns[name]["description"]})
    if "population" in table:
        p = table["population"]
        ds = ds.assign_coords(time_h=("time_h", p["time_h"], {"units": "h"}), percentile=("percentile", p["percentiles"]))
        for name, band in p["bands"].items():
            ds[f"band: {name}"] = (("percentile", "time_h"), np.array(band))
        ds = ds.assign_coords(input=("input", p["inputs"]))
        for e in p["sensitivity"]:
            ds[f"prcc: {e['output']}"] = ("input", np.array(e["prcc"], dtype=float))
            ds[f"spearman: {e['output']}"] = ("input", np.array(e["spearman"], dtype=float))
    return ds
