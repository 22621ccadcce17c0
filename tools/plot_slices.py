#!/usr/bin/python3
"""Plots the concentration pictures of a treated poreflux run as one PNG.

Row 1: the x-z plane through a channel at a few output times (depth downwards).
Row 2: horizontal planes at the stored depths at one of those times, the channel openings
outlined. One logarithmic colour scale (ug/cm3) for every panel, so that panels compare.

Reads /scenarios/<name>/slices, written by src/io/write_run_h5.cpp for treated scenarios.
Needs h5py, numpy and matplotlib; Debian ships them for the system interpreter, hence the shebang.
"""
import argparse
import pathlib
import sys

import numpy as np

SCHEMA = "poreflux-h5/1"
# Concentrations span many decades; the colour scale shows this many below the largest shown.
DEFAULT_DECADES = 5
DEFAULT_TIME_COUNT = 4
# Square-root depth: the 10-20 um stratum corneum stays visible above a millimetre of dermis.
DEPTH_SCALES = ("sqrt", "linear")
# Segments of the quarter disc an axisymmetric top view is revolved into.
REVOLVE_SEGMENTS = 90


class BadFile(Exception):
    pass


def edges_from_centres(centres, origin=0.0):
    """Cell edges of a non-uniform grid from its cell centres. The engine's grids start at
    `origin` (0: the surface, the channel axis, the cell edge), so each next edge is the mirror of
    the previous one about the centre between them. Falls back to midpoints if that does not give
    increasing edges (a grid that does not start at the origin)."""
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


def open_run(path):
    """The result file, open for reading, after checking that it is one."""
    import h5py  # imported here so that --help works without it

    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise BadFile(f"{path} is not a readable HDF5 file ({e})") from None
    schema = f.attrs.get("schema")
    if schema != SCHEMA:
        f.close()
        found = "no 'schema' attribute" if schema is None else f"schema {schema!r}"
        raise BadFile(f"{path} is not a {SCHEMA} result file ({found})")
    return f


def read_slices(f, path, scenario=None):
    """The slices of one scenario (`scenario`, or the first that has them). Small arrays are read;
    the concentration datasets stay h5py datasets, read frame by frame (patches are large)."""
    import h5py

    scenarios = f.get("scenarios")
    if not isinstance(scenarios, h5py.Group) or len(scenarios) == 0:
        raise BadFile(f"{path} holds no scenarios")
    groups = sorted(scenarios.values(), key=lambda g: g.attrs.get("index", 0))
    names = ", ".join(g.name.rsplit("/", 1)[-1] for g in groups)
    if scenario is not None:
        chosen = [g for g in groups if g.name.rsplit("/", 1)[-1] == scenario]
        if not chosen:
            raise BadFile(f"{path} has no scenario '{scenario}' (it has: {names})")
        if "slices" not in chosen[0]:
            raise BadFile(f"{path}: scenario '{scenario}' has no slices (only treated scenarios have them)")
        g = chosen[0]
    else:
        with_slices = [g for g in groups if "slices" in g]
        if not with_slices:
            raise BadFile(f"{path} has no slices: no scenario ({names}) has a 'slices' group; "
                          "they are written for treated (microneedle) scenarios only")
        g = with_slices[0]
    s, grid = g["slices"], g["grid"]
    data = {
        "title": f.attrs.get("title", ""),
        "compound": f.attrs.get("compound", ""),
        "scenario": g.name.rsplit("/", 1)[-1],
        "geometry": grid.attrs.get("geometry", "cartesian"),
        "time_h": g["time_h"][()],
        "row_j": int(s.attrs.get("row_j", 0)),
        "x_um": s["x_um"][()],
        "y_um": s["y_um"][()],
        "z_um": s["z_um"][()],
        "depths_um": s["top_view_depth_um"][()],
        "xz": s["xz_concentration"],
        "top": s["top_view_concentration"],
        "channel_map": s["channel_map"][()][0],
        "units": s["xz_concentration"].attrs.get("units", "ug/cm3"),
        "dz_um": grid["dz_um"][()] if "dz_um" in grid else None,
        "layer_of_z": grid["layer_of_z"][()] if "layer_of_z" in grid else None,
        "layer_names": list(grid["layer_names"].asstr()[()]) if "layer_names" in grid else [],
    }
    T, nz, nx = data["xz"].shape
    ny = len(data["y_um"])
    if (T != len(data["time_h"]) or nz != len(data["z_um"]) or nx != len(data["x_um"])
            or data["top"].shape != (T, len(data["depths_um"]), ny, nx)
            or data["channel_map"].shape != (ny, nx) or T == 0):
        raise BadFile(f"{path}: the datasets of {s.name} have inconsistent shapes")
    return data


def default_times(time_h, count=DEFAULT_TIME_COUNT):
    """`count` output times from the first after t = 0 to the end, spaced geometrically: uptake
    through a channel is fast at first, so the early pictures matter most."""
    positive = [t for t in time_h if t > 0]
    if len(positive) <= count:
        return positive or list(time_h[:1])
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


def layer_interfaces(data):
    """(depth of each interface, [(name, top, bottom)] per layer) from the grid, or None."""
    dz, layers, names = data["dz_um"], data["layer_of_z"], data["layer_names"]
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


# Depth ticks, most wanted first; on the square-root axis the shallow ones crowd together.
DEPTH_TICKS = [0, 100, 1000, 10, 50, 500, 200, 20, 300, 700, 5, 2000, 5000, 2, 1, 150, 30, 3000]


def set_depth_scale(ax, kind):
    if kind != "sqrt":
        return
    from matplotlib.ticker import FixedLocator

    ax.set_yscale("function", functions=(lambda z: np.sqrt(np.clip(z, 0, None)), lambda s: s * s))
    lo, hi = sorted(ax.get_ylim())
    gap = 0.065 * (np.sqrt(hi) - np.sqrt(lo))
    ticks = []
    for t in DEPTH_TICKS:
        if lo <= t <= hi and all(abs(np.sqrt(t) - np.sqrt(u)) >= gap for u in ticks):
            ticks.append(t)
    ax.yaxis.set_major_locator(FixedLocator(sorted(ticks)))


def outlined(colour="white"):
    """Line style readable on both ends of the colour map: light line, dark halo."""
    import matplotlib.patheffects as pe

    return dict(color=colour, path_effects=[pe.withStroke(linewidth=2.4, foreground="black", alpha=0.35)])


def draw_layers(ax, interfaces, label):
    if interfaces is None:
        return
    depths, bands = interfaces
    for d in depths:
        ax.axhline(d, linewidth=1.0, linestyle=(0, (5, 3)), **outlined())
    if label:
        bottom = max(ax.get_ylim())
        for name, z0, z1 in bands:
            if z0 >= bottom:
                continue
            z1 = min(z1, bottom)
            # The middle of the band as drawn: on the square-root axis, the middle of the roots.
            mid = (0.5 * (np.sqrt(z0) + np.sqrt(z1))) ** 2 if ax.get_yscale() == "function" else 0.5 * (z0 + z1)
            ax.text(0.98, mid, short_layer_name(name), transform=ax.get_yaxis_transform(), ha="right",
                    va="center", fontsize="x-small", color="white",
                    bbox=dict(boxstyle="round,pad=0.15", facecolor="black", alpha=0.35, linewidth=0))


def channel_outline(ax, x_edges, y_edges, cmap_xy, axisymmetric):
    """The channel openings at the surface (t = 0) as a line."""
    if not np.any(cmap_xy):
        return
    if axisymmetric:
        open_r = x_edges[1:][cmap_xy[0] > 0]
        r = float(open_r.max())
        theta = np.linspace(0.0, 0.5 * np.pi, 200)
        ax.plot(r * np.cos(theta), r * np.sin(theta), linewidth=1.3, linestyle="--", **outlined())
        return
    # Contour of the map on the cell centres, padded with the outer edges so the line meets the
    # boundary of a quarter cell instead of stopping half a cell short of it.
    xc = np.concatenate([[x_edges[0]], 0.5 * (x_edges[1:] + x_edges[:-1]), [x_edges[-1]]])
    yc = np.concatenate([[y_edges[0]], 0.5 * (y_edges[1:] + y_edges[:-1]), [y_edges[-1]]])
    padded = np.pad(cmap_xy.astype(float), 1, mode="edge")
    style = outlined()
    lines = ax.contour(xc, yc, padded, levels=[0.5], colors=style["color"], linewidths=1.3, linestyles="--")
    # A ContourSet is one artist from matplotlib 3.8 on; before that it holds one per level.
    for artist in ([lines] if hasattr(lines, "set_path_effects") else lines.collections):
        artist.set_path_effects(style["path_effects"])


def positive_or_nan(a):
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, np.nan)


def plot(data, output, times, top_time, decades, depth_scale, max_depth, dpi):
    import matplotlib

    matplotlib.use("Agg")  # files only; no display needed
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    axisymmetric = data["geometry"] == "axisymmetric"
    time_h = data["time_h"]
    frames = [nearest_index(time_h, t) for t in times]
    top_frame = nearest_index(time_h, top_time)
    xz = [np.asarray(data["xz"][k], dtype=float) for k in frames]
    top = np.asarray(data["top"][top_frame], dtype=float)  # [depth, y, x]

    x_edges = edges_from_centres(data["x_um"])
    z_edges = edges_from_centres(data["z_um"])
    y_edges = None if axisymmetric else edges_from_centres(data["y_um"])
    bottom = z_edges[-1] if max_depth is None else min(max_depth, z_edges[-1])

    # One colour scale for every panel: the largest value shown, `decades` below it.
    shown = [a[data["z_um"] <= bottom] for a in xz] + [top]
    vmax = max(float(np.max(a, initial=0.0)) for a in shown)
    if not vmax > 0:
        vmax = 1.0
    smallest = min((float(a[a > 0].min()) for a in shown if np.any(a > 0)), default=vmax)
    vmin = max(smallest, vmax * 10.0 ** -decades)
    if vmin >= vmax:
        vmin = vmax / 10.0
    norm = LogNorm(vmin=vmin, vmax=vmax)
    # Zero (nothing arrived yet) reads as the bottom of the scale.
    cmap = plt.get_cmap("magma").with_extremes(under=plt.get_cmap("magma")(0.0),
                                               bad=plt.get_cmap("magma")(0.0))
    units = data["units"].replace("ug", "µg").replace("cm3", "cm³")
    xlabel = "r (µm)" if axisymmetric else "x (µm)"
    interfaces = layer_interfaces(data)

    n_top = len(data["depths_um"])
    ncols = max(len(frames), n_top, 1)
    width = 3.3 * ncols + 1.2
    fig = plt.figure(figsize=(width, 9.2), layout="constrained")
    rows = fig.subfigures(2, 1, height_ratios=[1.15, 1.0], hspace=0.04)

    # Row 1: x-z planes.
    axes = rows[0].subplots(1, len(frames), sharey=True, squeeze=False)[0]
    mesh = None
    for n, (ax, k, c) in enumerate(zip(axes, frames, xz)):
        mesh = ax.pcolormesh(x_edges, z_edges, positive_or_nan(c), norm=norm, cmap=cmap, shading="flat",
                             rasterized=True)
        ax.set_xlim(x_edges[0], x_edges[-1])
        ax.set_ylim(bottom, z_edges[0])  # depth increases downwards
        set_depth_scale(ax, depth_scale)
        draw_layers(ax, interfaces, label=(n == len(frames) - 1))
        ax.set_title(f"t = {time_h[k]:g} h", fontsize="medium")
        ax.set_xlabel(xlabel)
        if n == 0:
            note = ", √ scale" if depth_scale == "sqrt" else ""
            ax.set_ylabel(f"Depth below the surface (µm{note})")
    rows[0].colorbar(mesh, ax=list(axes), label=f"C ({units})", extend="min", shrink=0.95, pad=0.01)
    if axisymmetric:
        where = "r-z plane of the axisymmetric cell (channel axis at r = 0)"
    else:
        where = f"x-z plane through the channel row, y = {data['y_um'][data['row_j']]:.3g} µm"
    rows[0].suptitle(where, fontsize="medium")

    # Row 2: horizontal planes at one time.
    taxes = rows[1].subplots(1, max(n_top, 1), squeeze=False)[0]
    for n, (ax, depth) in enumerate(zip(taxes, data["depths_um"])):
        c = positive_or_nan(top[n])
        if axisymmetric:
            theta = np.linspace(0.0, 0.5 * np.pi, REVOLVE_SEGMENTS + 1)
            X = np.outer(np.cos(theta), x_edges)
            Y = np.outer(np.sin(theta), x_edges)
            mesh = ax.pcolormesh(X, Y, np.repeat(c[:1, :], REVOLVE_SEGMENTS, axis=0), norm=norm, cmap=cmap,
                                 shading="flat", rasterized=True)
            ax.set_xlim(0, x_edges[-1])
            ax.set_ylim(0, x_edges[-1])
            channel_outline(ax, x_edges, None, data["channel_map"], True)
        else:
            mesh = ax.pcolormesh(x_edges, y_edges, c, norm=norm, cmap=cmap, shading="flat", rasterized=True)
            ax.set_xlim(x_edges[0], x_edges[-1])
            ax.set_ylim(y_edges[0], y_edges[-1])
            channel_outline(ax, x_edges, y_edges, data["channel_map"], False)
        ax.set_aspect("equal")
        layer = ""
        if interfaces is not None:
            for name, z0, z1 in interfaces[1]:
                if z0 <= depth < z1:
                    layer = f" ({short_layer_name(name)})"
        ax.set_title(f"depth {depth:.3g} µm{layer}", fontsize="medium")
        ax.set_xlabel("x (µm)")
        if n == 0:
            ax.set_ylabel("y (µm)")
    for ax in taxes[n_top:]:
        ax.set_axis_off()
    if n_top and mesh is not None:
        rows[1].colorbar(mesh, ax=list(taxes[:n_top]), label=f"C ({units})", extend="min", shrink=0.95, pad=0.01)
    revolved = ", revolved about the channel axis" if axisymmetric else ""
    rows[1].suptitle(f"Horizontal planes at t = {time_h[top_frame]:g} h{revolved}; "
                     "dashed: channel openings at t = 0", fontsize="medium")

    heading = " — ".join(x for x in (data["title"], f"scenario '{data['scenario']}'") if x)
    fig.suptitle(heading, fontsize="large")
    fig.savefig(output, dpi=dpi)
    plt.close(fig)


def parse_times(values):
    times = []
    for v in values:
        for part in str(v).replace(",", " ").split():
            times.append(float(part))
    return times


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Plot the concentration slices of a treated poreflux run (x-z planes through a "
                    "channel over time, horizontal planes at the stored depths) as a PNG.")
    parser.add_argument("file", type=pathlib.Path, help="poreflux result (.h5) with a treated scenario")
    parser.add_argument("-o", "--output", type=pathlib.Path,
                        help="PNG to write (default: <file stem>_slices.png beside the file)")
    parser.add_argument("--times", nargs="+", metavar="H",
                        help="output times (h) of the x-z slices, nearest stored time used "
                             f"(default: {DEFAULT_TIME_COUNT} from the first after t = 0 to the end)")
    parser.add_argument("--top-time", type=float, metavar="H",
                        help="time (h) of the horizontal planes (default: the second of --times)")
    parser.add_argument("--scenario", help="scenario to plot (default: the first with slices, 'treated')")
    parser.add_argument("--decades", type=float, default=DEFAULT_DECADES,
                        help=f"decades of the log colour scale below its maximum (default {DEFAULT_DECADES})")
    parser.add_argument("--depth-scale", choices=DEPTH_SCALES, default="sqrt",
                        help="depth axis of the x-z slices (default sqrt, which keeps the thin "
                             "stratum corneum visible)")
    parser.add_argument("--max-depth", type=float, metavar="UM", help="deepest depth shown (µm; default all)")
    parser.add_argument("--dpi", type=int, default=120)
    args = parser.parse_args(argv)
    if args.decades <= 0:
        parser.error("--decades must be positive")
    if args.max_depth is not None and args.max_depth <= 0:
        parser.error("--max-depth must be positive")
    try:
        times = parse_times(args.times) if args.times else None
    except ValueError as e:
        parser.error(f"--times: {e}")
    output = args.output or args.file.with_name(args.file.stem + "_slices.png")
    try:
        with open_run(args.file) as f:
            data = read_slices(f, args.file, args.scenario)
            time_h = data["time_h"]
            if times is None:
                times = default_times(time_h)
            frames = []  # requested order, repeats of one stored frame dropped
            for t in times:
                k = nearest_index(time_h, t)
                if not np.isclose(time_h[k], t, rtol=1e-6, atol=1e-9):
                    print(f"plot_slices: note: no output at {t:g} h, showing {time_h[k]:g} h", file=sys.stderr)
                if k not in frames:
                    frames.append(k)
            times = [time_h[k] for k in frames]
            top_time = args.top_time if args.top_time is not None else times[min(1, len(times) - 1)]
            plot(data, output, times, top_time, args.decades, args.depth_scale, args.max_depth, args.dpi)
    except BadFile as e:
        print(f"plot_slices: error: {e}", file=sys.stderr)
        return 1
    except KeyError as e:
        print(f"plot_slices: error: {args.file} lacks part of the {SCHEMA} slices layout ({e})", file=sys.stderr)
        return 1
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
