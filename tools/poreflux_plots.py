"""Shared plotting helpers of tools/report.py and tools/plot_slices.py.

- the program's output registry and HDF5 layout (`poreflux layout --json`: compartments, OECD
  categories, scalar outputs with their units and labels), which every reader takes its names from;
- reading one run layout ("poreflux-h5/1": a run file's root, or /cases/<id> of a sweep file);
- channel slices as a full cell centred on the channel (the engine stores a quarter or
  symmetry-reduced cell with the channel in the corner at x = y = 0, or an r-z cell), zoomed to
  a few channel radii / depths, with a colour scale that shows the structure;
- direct labels at the ends of lines and legends outside the axes (no key covers data).

Needs h5py, numpy and matplotlib (the Debian system interpreter has them).
"""
import json
import os
import pathlib
import shutil
import subprocess

import numpy as np

RUN_SCHEMA = "poreflux-h5/1"
SWEEP_SCHEMA = "poreflux-sweep-h5/1"
# The film's compartments first, then the skin from the top; fixes the colours in every figure.
COMPARTMENTS = ["vehicle", "deposit", "evaporated", "removed", "degraded", "stratum_corneum",
                "viable_epidermis", "dermis", "receptor", "systemic"]
COMPARTMENT_COLOURS = {"vehicle": "#9ecae1", "deposit": "#6baed6", "evaporated": "#c7c7c7",
                       "removed": "#8c8c8c", "degraded": "#bcbd22", "stratum_corneum": "#fdae6b",
                       "viable_epidermis": "#e6550d", "dermis": "#a63603", "receptor": "#756bb1",
                       "systemic": "#54278f"}
SCENARIO_COLOURS = {"intact": "#1f77b4", "treated": "#d62728"}
# The x-z view shows this many decades of the log colour scale below its maximum.
SLICE_DECADES = 4
# Zoom of the slice views: lateral half-width max(ZOOM_RADII x channel radius,
# ZOOM_LATERAL_DEPTHS x channel depth), depth max(ZOOM_DEPTHS x channel depth, + ZOOM_MIN_BELOW_UM).
ZOOM_RADII = 4.0
ZOOM_LATERAL_DEPTHS = 1.5
ZOOM_DEPTHS = 2.5
ZOOM_MIN_BELOW_UM = 100.0
# A top view whose largest and smallest value differ by less than this factor gets a linear scale.
LINEAR_SPAN = 10.0


class BadFile(Exception):
    pass


# ----------------------------------------------------------------------------------------------
# The program's output registry and HDF5 layout
# ----------------------------------------------------------------------------------------------

_LAYOUT = None
# The words the report uses for series that are OECD categories under another name.
SERIES_CATEGORIES = {"dermal_delivery": "potentially_absorbable", "permeated": "absorbed"}


def program():
    """The poreflux program the readers follow: $POREFLUX, else `poreflux` on the PATH, else
    build/poreflux of this source tree."""
    candidates = [os.environ.get("POREFLUX"), shutil.which("poreflux"),
                  str(pathlib.Path(__file__).resolve().parent.parent / "build" / "poreflux")]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    raise BadFile("cannot find the poreflux program for its output layout: set POREFLUX=/path/to/poreflux "
                  "(or POREFLUX_LAYOUT to the output of `poreflux layout --json`), or build it in build/")


def layout():
    """`poreflux layout --json` (schema poreflux-layout/1), read once: $POREFLUX_LAYOUT names a
    saved copy, else the program is asked."""
    global _LAYOUT
    if _LAYOUT is None:
        saved = os.environ.get("POREFLUX_LAYOUT")
        if saved:
            text = pathlib.Path(saved).read_text()
        else:
            r = subprocess.run([program(), "layout", "--json"], capture_output=True, text=True)
            if r.returncode != 0:
                raise BadFile(f"`{program()} layout --json` failed: {r.stderr.strip()[-500:]}")
            text = r.stdout
        _LAYOUT = json.loads(text)
    return _LAYOUT


def compartment_names():
    """poreflux::compartment_names(), in the program's order."""
    return list(layout()["compartments"])


def category_compartments(name):
    """The compartments an OECD/SCCS category (results.hpp oecd_categories()) sums."""
    for c in layout()["oecd_categories"]:
        if c["name"] == name:
            return list(c["compartments"])
    raise KeyError(f"no OECD category {name!r}; the program has {[c['name'] for c in layout()['oecd_categories']]}")


def category_names():
    return [c["name"] for c in layout()["oecd_categories"]]


def scalar_outputs():
    """The registry's scalar outputs: name, key (HDF5 summary attribute, JSON key), table_column,
    unit, description, label, kind ("share_of_dose", "figure", "check"), note, absent_text."""
    return list(layout()["scalar_outputs"])


def output_reporting():
    """How the registry's outputs are reported beyond their value: output, words, category (the
    OECD category it is over time, or None), enhancement_key (JSON "enhancement" key or None),
    enhancement_column (study table column and population band, or None), at_time_column and
    enhancement_at_time_column ("..._at_{t}h" patterns, or None)."""
    return list(layout()["output_reporting"])


def sampled_outputs():
    """The outputs sampled over time (population bands per scenario, _at_<t>h columns)."""
    return [r for r in output_reporting() if r["category"]]


def enhancement_columns():
    """(column, words, output) of each treated / intact ratio in the study table and population."""
    return [(r["enhancement_column"], r["words"], r) for r in output_reporting() if r["enhancement_column"]]


def headline_first(reporting):
    """`reporting` (output_reporting() entries) with the headline output first: the figure a reader
    asks about first, which the study report's heat maps and sensitivity panels lead with."""
    return sorted(reporting, key=lambda r: not r.get("headline", False))


def at_time_column(pattern, t):
    """A column of an `..._at_{t}h` pattern at report time `t` ("4h")."""
    return pattern.replace("{t}h", t)


def report_times(table, reporting):
    """The report times ("4h", "24h", sorted as text) at which `table` has the columns of the
    outputs `reporting` that are compared at report times (enhancement_at_time_column)."""
    prefixes = [at_time_column(r["at_time_column"], "") for r in reporting
                if r["at_time_column"] and r["enhancement_at_time_column"]]
    return sorted({c[len(p):] for c in table for p in prefixes if c.startswith(p)})


def report_time_compartments_shown():
    """The compartments whose share of the dose at a report time the sweep's terminal table and
    the study report's heat maps show (fraction_<compartment>_at_<t>h)."""
    return list(layout().get("report_time_compartments_shown", []))


RATIO_COLOURS = ["#3182bd", "#e6550d", "#31a354", "#756bb1"]


def ratio_colour(column):
    """The colour of an enhancement ratio, the same in every report figure (by registry order)."""
    columns = [c for c, _, _ in enhancement_columns()]
    return RATIO_COLOURS[columns.index(column) % len(RATIO_COLOURS)] if column in columns else "0.4"


def table_output_columns():
    """The study table's output columns in the table's order: the results, the enhancement
    ratios, then the checks of the numerics."""
    outputs = scalar_outputs()
    return ([o["table_column"] for o in outputs if o["kind"] != "check"] + [c for c, _, _ in enhancement_columns()]
            + [o["table_column"] for o in outputs if o["kind"] == "check"])


def output_value(s, output):
    """A scalar output of a scenario read by read_run() (NaN where the file has none)."""
    return float(s["summary"].get(output["key"], np.nan))


def text_attr(obj, name, default=""):
    v = obj.attrs.get(name, default)
    if isinstance(v, bytes):
        v = v.decode("utf-8", "replace")
    return v


def pretty_units(u):
    return (str(u).replace("ug", "µg").replace("cm3", "cm³").replace("cm2", "cm²").replace("um", "µm"))


def nice_name(compartment):
    """The word for a compartment in legends and text: its dataset name (HDF5, JSON, CSV) with
    spaces ("deposit" is the undissolved active on the skin)."""
    return compartment.replace("_", " ")


# ----------------------------------------------------------------------------------------------
# Reading a run layout
# ----------------------------------------------------------------------------------------------

def is_in_vivo(resolved_toml, scenarios):
    """In vivo (bottom boundary = clearance into "systemic") or in vitro (receptor sink)?
    The resolved config says it; otherwise the amounts do (systemic non-zero, receptor zero)."""
    for line in (resolved_toml or "").splitlines():
        s = line.split("#", 1)[0].strip().replace(" ", "")
        if s.startswith("bottom="):
            return "in_vivo" in s
    sys_end = sum(float(s["fractions"].get("systemic", [0])[-1]) for s in scenarios)
    rec_end = sum(float(s["fractions"].get("receptor", [0])[-1]) for s in scenarios)
    if sys_end > 0 or rec_end > 0:
        return sys_end >= rec_end
    for s in scenarios:
        if str(s.get("bottom", "")).startswith("sink"):
            return False
    return True


def read_run(group, where="file"):
    """Everything the report plots of one run layout, as numpy arrays (slices stay datasets)."""
    import h5py

    scen = group.get("scenarios")
    if not isinstance(scen, h5py.Group) or len(scen) == 0:
        raise BadFile(f"{where}: no scenarios")
    run = {"title": text_attr(group, "title"), "compound": text_attr(group, "compound"),
           "applied_ug_per_cm2": float(group.attrs.get("applied_ug_per_cm2", np.nan)),
           "duration_h": float(group.attrs.get("duration_h", np.nan)),
           "version": text_attr(group, "poreflux_version"), "backend": text_attr(group, "backend"),
           "scenarios": [], "resolved_toml": "", "warnings": []}
    if "config/resolved_toml" in group:
        v = group["config/resolved_toml"][()]
        run["resolved_toml"] = v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v)
    if "warnings" in group:
        run["warnings"] = [w.decode() if isinstance(w, bytes) else str(w) for w in group["warnings"][()]]
    params = group.get("parameters")
    run["log_kow"] = None
    if isinstance(params, h5py.Group) and "name" in params and "value" in params:
        names = [n.decode() if isinstance(n, bytes) else str(n) for n in params["name"][()]]
        for n, v in zip(names, params["value"][()]):
            if n.lower().replace(" ", "_") in ("log_kow", "compound.log_kow"):
                run["log_kow"] = float(v)
    if run["log_kow"] is None:
        for line in run["resolved_toml"].splitlines():
            s = line.split("#", 1)[0].strip()
            if s.replace(" ", "").startswith("log_kow="):
                try:
                    run["log_kow"] = float(s.split("=", 1)[1].strip().strip("{").split(",")[0].split("=")[-1])
                except ValueError:
                    pass
                break
    groups = sorted(scen.values(), key=lambda g: g.attrs.get("index", 0))
    for g in groups:
        grid = g.get("grid")
        s = {"name": g.name.rsplit("/", 1)[-1],
             "time_h": g["time_h"][()],
             "fractions": {n: ds[()] for n, ds in g["fractions"].items() if n != "time_h"} if "fractions" in g else {},
             "amounts": {n: ds[()] for n, ds in g["amounts"].items() if n != "time_h"} if "amounts" in g else {},
             "permeated": g["permeated"][()] if "permeated" in g else None,
             "flux": g["flux"][()] if "flux" in g else None,
             "depth_um": g["profiles/depth_um"][()] if "profiles/depth_um" in g else None,
             "concentration": g["profiles/concentration"][()] if "profiles/concentration" in g else None,
             "summary": dict(g["summary"].attrs) if "summary" in g else {},
             "fraction_of_dose": dict(g["summary/fraction_of_dose"].attrs) if "summary/fraction_of_dose" in g else {},
             "group": g, "grid": grid,
             "bottom": text_attr(grid, "bottom") if grid is not None else ""}
        if grid is not None:
            s["dz_um"] = grid["dz_um"][()] if "dz_um" in grid else None
            s["layer_of_z"] = grid["layer_of_z"][()] if "layer_of_z" in grid else None
            s["layer_names"] = list(grid["layer_names"].asstr()[()]) if "layer_names" in grid else []
        run["scenarios"].append(s)
    run["in_vivo"] = is_in_vivo(run["resolved_toml"], run["scenarios"])
    return run


def scenario_series(s, key):
    """Time series of a derived quantity of one scenario, as a fraction of the dose."""
    f = s["fractions"]
    T = len(s["time_h"])
    zero = np.zeros(T)
    category = SERIES_CATEGORIES.get(key, key)
    parts = category_compartments(category) if category in category_names() else [key]
    return sum((np.asarray(f.get(p, zero), dtype=float) for p in parts), zero)


# ----------------------------------------------------------------------------------------------
# Labels beside their curves
# ----------------------------------------------------------------------------------------------

def end_label(ax, x, y, text, colour):
    """Registers a label for the end of a curve; place_end_labels() puts it there."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = np.isfinite(x) & np.isfinite(y)
    if ax.get_yscale() == "log":
        ok &= y > 0
    if not np.any(ok):
        return
    k = np.nonzero(ok)[0][-1]
    labels = ax.__dict__.setdefault("_pf_end_labels", [])
    labels.append((float(x[k]), float(y[k]), text, colour))


def place_end_labels(fig):
    """Writes the registered labels just right of each curve's end, pushed apart vertically so
    that they do not overlap. Call after the layout is settled (it draws the figure once)."""
    axes = [ax for ax in fig.axes if getattr(ax, "_pf_end_labels", None)]
    if not axes:
        return
    fig.canvas.draw()
    for ax in axes:
        items = []
        for x, y, text, colour in ax._pf_end_labels:
            xd, yd = ax.transData.transform((x, y))
            items.append([yd, yd, x, y, text, colour])
        items.sort(key=lambda it: it[0])
        gap = 1.25 * 8.0 * fig.dpi / 72.0
        for i in range(1, len(items)):
            items[i][1] = max(items[i][1], items[i - 1][1] + gap)
        # Keep the stack inside the axes height where possible (shift down if it overflows).
        top = ax.transAxes.transform((0, 1))[1]
        over = items[-1][1] - top if items else 0
        if over > 0:
            for it in items:
                it[1] -= over
            for i in range(len(items) - 2, -1, -1):
                items[i][1] = min(items[i][1], items[i + 1][1] - gap)
        for yd0, yd, x, y, text, colour in items:
            ax.annotate(text, (x, y), xytext=(5, (yd - yd0) * 72.0 / fig.dpi), textcoords="offset points",
                        va="center", ha="left", fontsize=8, color=colour, annotation_clip=False)
        ax._pf_end_labels = []


def legend_outside(ax, **kw):
    """A legend beside the axes, right of it, so that it covers no data."""
    opts = dict(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False, borderaxespad=0.0)
    opts.update(kw)
    return ax.legend(**opts)


# ----------------------------------------------------------------------------------------------
# Channel slices: a full cell centred on the channel, zoomed, with a structure-revealing scale
# ----------------------------------------------------------------------------------------------

def edges_from_centres(centres, origin=0.0):
    """Cell edges of a non-uniform grid from its cell centres, starting at `origin` (the engine's
    grids start at 0: the surface, the channel axis, the cell edge); midpoints as a fallback."""
    c = np.asarray(centres, dtype=float)
    if c.size == 0:
        return np.array([origin])
    edges = np.empty(c.size + 1)
    edges[0] = origin
    for i, x in enumerate(c):
        edges[i + 1] = 2.0 * x - edges[i]
    if np.all(np.diff(edges) > 0) and np.all((edges[:-1] < c) & (c < edges[1:])):
        return edges
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5])
    mid = 0.5 * (c[1:] + c[:-1])
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def read_slices(g, where="file"):
    """The slices group of scenario group `g`, with its grid's layers and the channel's depth."""
    s, grid = g["slices"], g["grid"]
    data = {
        "scenario": g.name.rsplit("/", 1)[-1],
        "geometry": text_attr(grid, "geometry", "cartesian"),
        "time_h": g["time_h"][()],
        "row_j": int(s.attrs.get("row_j", 0)),
        "x_um": s["x_um"][()], "y_um": s["y_um"][()], "z_um": s["z_um"][()],
        "depths_um": s["top_view_depth_um"][()],
        "xz": s["xz_concentration"], "top": s["top_view_concentration"],
        "channel_map": s["channel_map"][()][0],
        "units": text_attr(s["xz_concentration"], "units", "ug/cm3"),
        "dz_um": grid["dz_um"][()] if "dz_um" in grid else None,
        "layer_of_z": grid["layer_of_z"][()] if "layer_of_z" in grid else None,
        "layer_names": list(grid["layer_names"].asstr()[()]) if "layer_names" in grid else [],
        "channel_depth_um": None,
    }
    if "dy_rad" in grid or "dy_rad" in g.file.attrs:
        data["geometry"] = "axisymmetric"
    T, nz, nx = data["xz"].shape
    ny = len(data["y_um"])
    if (T != len(data["time_h"]) or nz != len(data["z_um"]) or nx != len(data["x_um"])
            or data["top"].shape != (T, len(data["depths_um"]), ny, nx)
            or data["channel_map"].shape != (ny, nx) or T == 0):
        raise BadFile(f"{where}: the datasets of {s.name} have inconsistent shapes")
    # Channel depth: the deepest z plane holding a channel material (materials/closes_into >= 0).
    try:
        closes = grid["materials/closes_into"][()]
        mat = grid["material_map"]
        dz = data["dz_um"]
        deepest = -1
        for k in range(mat.shape[0]):
            plane = mat[k]
            if np.any(closes[plane] >= 0):
                deepest = k
            elif deepest >= 0:
                break
        if deepest >= 0 and dz is not None:
            data["channel_depth_um"] = float(np.sum(dz[:deepest + 1]))
    except (KeyError, IndexError, TypeError):
        pass
    return data


def layer_interfaces(data):
    """(depth of each interface, [(name, top, bottom)] per layer) from the grid, or None."""
    dz, layers, names = data.get("dz_um"), data.get("layer_of_z"), data.get("layer_names", [])
    if dz is None or layers is None or len(dz) != len(layers):
        return None
    edges = np.concatenate([[0.0], np.cumsum(dz)])
    starts = [0] + [k for k in range(1, len(layers)) if layers[k] != layers[k - 1]]
    bands = []
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(layers)
        name = names[layers[k]] if 0 <= layers[k] < len(names) else f"layer {layers[k]}"
        bands.append((name.replace("_", " "), edges[k], edges[end]))
    return [edges[k] for k in starts[1:]], bands


def short_layer_name(name):
    return {"stratum corneum": "SC", "viable epidermis": "VE"}.get(name, name)


def _mirror_edges(edges):
    """Edges 0..L of a half cell -> -L..L of the full cell (reflected about 0)."""
    e = np.asarray(edges, dtype=float)
    return np.concatenate([-e[::-1], e[1:]])


def _mirror(a, axis):
    return np.concatenate([np.flip(a, axis=axis), a], axis=axis)


def channel_centre(data):
    """(mirror, x0, y0): whether the stored cell has the channel in its corner at x = y = 0 (then
    it is mirrored about x = 0 and y = 0), else the centre of the channel opening in row_j."""
    cmap = data["channel_map"]
    if data["geometry"] == "axisymmetric" or (cmap.size and cmap[0, 0]):
        return True, 0.0, 0.0
    x, y = data["x_um"], data["y_um"]
    row = cmap[data["row_j"]] if cmap.shape[0] > data["row_j"] else np.zeros(len(x))
    open_i = np.nonzero(row)[0]
    if open_i.size == 0:
        return False, float(0.5 * (x[0] + x[-1])), float(y[data["row_j"]])
    # The first contiguous opening of the row; its y extent in that column range.
    run = [open_i[0]]
    for i in open_i[1:]:
        if i != run[-1] + 1:
            break
        run.append(i)
    x0 = float(np.mean(x[run]))
    cols = cmap[:, run].any(axis=1)
    js = np.nonzero(cols)[0]
    block = [data["row_j"]]
    for step in (-1, 1):
        j = data["row_j"] + step
        while 0 <= j < len(y) and cols[j]:
            block.append(j)
            j += step
    y0 = float(np.mean(y[sorted(block)])) if js.size else float(y[data["row_j"]])
    return False, x0, y0


def channel_radius_um(data):
    cmap = data["channel_map"]
    xe = edges_from_centres(data["x_um"])
    row = cmap[min(data["row_j"], cmap.shape[0] - 1)]
    if not np.any(row):
        return None
    widths = np.diff(xe)
    mirror, _, _ = channel_centre(data)
    open_w = float(np.sum(widths[row > 0]))
    return open_w if mirror else 0.5 * open_w


def slice_view(data, zoom=True):
    """The geometry of the centred, mirrored, zoomed view: x/y edges relative to the channel
    axis, the lateral half-width and the deepest depth shown."""
    mirror, x0, y0 = channel_centre(data)
    xe = edges_from_centres(data["x_um"])
    ye = edges_from_centres(data["y_um"]) if data["geometry"] != "axisymmetric" else None
    ze = edges_from_centres(data["z_um"])
    if mirror:
        xv = _mirror_edges(xe)
        yv = _mirror_edges(ye) if ye is not None else None
    else:
        xv = xe - x0
        yv = ye - y0 if ye is not None else None
    full = min(abs(xv[0]), abs(xv[-1]))
    half, bottom = full, ze[-1]
    if zoom:
        r = channel_radius_um(data) or 0.05 * full
        depth = data.get("channel_depth_um") or 0.0
        want = max(ZOOM_RADII * r, ZOOM_LATERAL_DEPTHS * depth)
        half = min(full, want) if want > 0 else full
        if depth > 0:
            bottom = min(ze[-1], max(ZOOM_DEPTHS * depth, depth + ZOOM_MIN_BELOW_UM))
    return {"mirror": mirror, "x0": x0, "y0": y0, "x_edges": xv, "y_edges": yv, "z_edges": ze,
            "half_width": float(half), "bottom": float(bottom)}


def view_xz(data, view, frame):
    """The x-z picture of output `frame` on the view's x edges: [z, x]."""
    c = np.asarray(data["xz"][frame], dtype=float)
    return _mirror(c, 1) if view["mirror"] else c


def view_top(data, view, frame, n):
    """The n-th horizontal plane of output `frame`: [y, x] (axisymmetric: [1, r])."""
    c = np.asarray(data["top"][frame][n], dtype=float)
    if data["geometry"] == "axisymmetric":
        return c[:1, :]
    return _mirror(_mirror(c, 1), 0) if view["mirror"] else c


def view_channel_map(data, view):
    c = data["channel_map"].astype(float)
    if data["geometry"] == "axisymmetric":
        return c[:1, :]
    return _mirror(_mirror(c, 1), 0) if view["mirror"] else c


def positive_or_nan(a):
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, np.nan)


def shared_log_norm(arrays, decades=SLICE_DECADES):
    from matplotlib.colors import LogNorm

    vmax = max((float(np.nanmax(a, initial=0.0)) for a in arrays), default=0.0)
    if not vmax > 0:
        vmax = 1.0
    smallest = min((float(a[a > 0].min()) for a in arrays if np.any(a > 0)), default=vmax)
    vmin = max(smallest, vmax * 10.0 ** -decades)
    if vmin >= vmax:
        vmin = vmax / 10.0
    return LogNorm(vmin=vmin, vmax=vmax)


def panel_norm(a):
    """A colour scale for one panel from its own values: logarithmic if they span more than
    LINEAR_SPAN, else linear between its own min and max. Returns (norm, words for the label)."""
    from matplotlib.colors import LogNorm, Normalize

    a = np.asarray(a, dtype=float)
    pos = a[np.isfinite(a) & (a > 0)]
    if pos.size == 0:
        return Normalize(0.0, 1.0), "per-panel linear scale"
    lo, hi = float(pos.min()), float(pos.max())
    if hi > LINEAR_SPAN * lo:
        return LogNorm(vmin=max(lo, hi * 10.0 ** -SLICE_DECADES), vmax=hi), "per-panel log scale"
    if hi - lo <= 1e-12 * hi:
        lo, hi = 0.99 * hi, 1.01 * hi
    return Normalize(lo, hi), "per-panel linear scale"


def slice_cmap():
    import matplotlib.pyplot as plt

    base = plt.get_cmap("magma")
    return base.with_extremes(under=base(0.0), bad=base(0.0))


def outlined(colour="white"):
    import matplotlib.patheffects as pe

    return dict(color=colour, path_effects=[pe.withStroke(linewidth=2.2, foreground="black", alpha=0.35)])


def draw_layers(ax, interfaces, label=True):
    if interfaces is None:
        return
    depths, bands = interfaces
    bottom = max(ax.get_ylim())
    for d in depths:
        if d < bottom:
            ax.axhline(d, linewidth=0.9, linestyle=(0, (5, 3)), **outlined())
    if label:
        for name, z0, z1 in bands:
            if z0 >= bottom:
                continue
            mid = 0.5 * (z0 + min(z1, bottom))
            ax.text(0.98, mid, short_layer_name(name), transform=ax.get_yaxis_transform(), ha="right",
                    va="center", fontsize="x-small", color="white",
                    bbox=dict(boxstyle="round,pad=0.15", facecolor="black", alpha=0.35, linewidth=0))


def plot_xz_panel(ax, data, view, frame, norm, show_layers=True):
    """One x-z (or r-z) picture, centred on the channel and zoomed. Returns the mesh."""
    c = positive_or_nan(view_xz(data, view, frame))
    axisym = data["geometry"] == "axisymmetric"
    mesh = ax.pcolormesh(view["x_edges"], view["z_edges"], c, norm=norm, cmap=slice_cmap(), shading="flat",
                         rasterized=True)
    h = view["half_width"]
    ax.set_xlim(-h, h)
    ax.set_ylim(view["bottom"], 0.0)  # depth downwards
    draw_layers(ax, layer_interfaces(data), label=show_layers)
    depth = data.get("channel_depth_um")
    r = channel_radius_um(data)
    if depth and r:
        ax.plot([-r, -r, r, r], [0, depth, depth, 0], linewidth=0.9, linestyle=":", **outlined())
    ax.set_xlabel("r from the channel axis (µm; mirrored)" if axisym else "x from the channel axis (µm)")
    ax.set_ylabel("Depth below the surface (µm)")
    ax.set_title(f"{'r-z' if axisym else 'x-z'}, t = {data['time_h'][frame]:g} h", fontsize="medium")
    return mesh


def plot_top_panel(ax, data, view, frame, n, norm=None):
    """One horizontal plane at the n-th stored depth, centred on the channel and zoomed; its own
    colour scale unless `norm` is given. Returns (mesh, words for the colour bar label)."""
    c = view_top(data, view, frame, n)
    words = "shared log scale"
    if norm is None:
        h = view["half_width"]
        if data["geometry"] == "axisymmetric":
            shown = c[:, np.asarray(data["x_um"]) <= h * np.sqrt(2.0)]  # to the view's corners
        else:
            xs = 0.5 * (view["x_edges"][1:] + view["x_edges"][:-1])
            ys = 0.5 * (view["y_edges"][1:] + view["y_edges"][:-1])
            shown = c[np.ix_(np.abs(ys) <= h, np.abs(xs) <= h)]
        norm, words = panel_norm(shown if shown.size else c)
    cm = slice_cmap()
    from matplotlib.colors import LogNorm

    shown_c = positive_or_nan(c) if isinstance(norm, LogNorm) else c
    h = view["half_width"]
    if data["geometry"] == "axisymmetric":
        # Revolve the r profile into a full disc about the channel axis.
        r_edges = edges_from_centres(data["x_um"])
        theta = np.linspace(0.0, 2.0 * np.pi, 181)
        X = np.outer(np.cos(theta), r_edges)
        Y = np.outer(np.sin(theta), r_edges)
        mesh = ax.pcolormesh(X, Y, np.repeat(shown_c[:1, :], 180, axis=0), norm=norm, cmap=cm,
                             shading="flat", rasterized=True)
        r = channel_radius_um(data)
        if r:
            t = np.linspace(0, 2 * np.pi, 200)
            ax.plot(r * np.cos(t), r * np.sin(t), linewidth=1.0, linestyle="--", **outlined())
    else:
        mesh = ax.pcolormesh(view["x_edges"], view["y_edges"], shown_c, norm=norm, cmap=cm, shading="flat",
                             rasterized=True)
        cmap01 = view_channel_map(data, view)
        if np.any(cmap01):
            xe, ye = view["x_edges"], view["y_edges"]
            xc = np.concatenate([[xe[0]], 0.5 * (xe[1:] + xe[:-1]), [xe[-1]]])
            yc = np.concatenate([[ye[0]], 0.5 * (ye[1:] + ye[:-1]), [ye[-1]]])
            style = outlined()
            cs = ax.contour(xc, yc, np.pad(cmap01, 1, mode="edge"), levels=[0.5], colors=style["color"],
                            linewidths=1.0, linestyles="--")
            for artist in ([cs] if hasattr(cs, "set_path_effects") else cs.collections):
                artist.set_path_effects(style["path_effects"])
    ax.set_xlim(-h, h)
    ax.set_ylim(-h, h)
    ax.set_aspect("equal")
    layer = ""
    interfaces = layer_interfaces(data)
    depth = data["depths_um"][n]
    if interfaces is not None:
        for name, z0, z1 in interfaces[1]:
            if z0 <= depth < z1:
                layer = f", {short_layer_name(name)}"
    ax.set_title(f"{depth:.3g} µm deep{layer}", fontsize="medium")
    ax.set_xlabel("x from the channel axis (µm)")
    ax.set_ylabel("y from the channel axis (µm)")
    return mesh, words


def default_times(time_h, count=3):
    """`count` output times after t = 0, spaced geometrically (early pictures matter most)."""
    positive = [float(t) for t in time_h if t > 0]
    if len(positive) <= count:
        return positive or [float(time_h[0])]
    wanted = np.geomspace(positive[0], positive[-1], count)
    picks = []
    for w in wanted:
        k = int(np.argmin(np.abs(np.log(positive) - np.log(w))))
        while positive[k] in picks and k + 1 < len(positive):
            k += 1
        picks.append(positive[k])
    return sorted(set(picks))


def nearest_index(time_h, t):
    return int(np.argmin(np.abs(np.asarray(time_h) - t)))
