#!/usr/bin/python3
"""Plots the concentration pictures of a treated poreflux run as one PNG.

Row 1: the x-z plane through a channel at a few output times (depth downwards), on one shared
logarithmic colour scale (ug/cm3), so that the times compare.
Row 2: horizontal planes at the stored depths at one of those times, the channel openings
outlined, each on its own colour scale (log if its values span more than a decade, else linear;
the colour bar says which): on a shared scale they are one flat colour.

The engine stores a quarter (symmetry-reduced) unit cell with the channel in its corner at
x = y = 0, or an r-z cell; the pictures mirror it to the full cell centred on the channel and zoom
to a few channel radii and depths (--no-zoom: the whole cell). The drawing is shared with
tools/report.py (tools/poreflux_plots.py).

Reads /scenarios/<name>/slices, written by src/io/write_run_h5.cpp for treated scenarios.
Needs h5py, numpy and matplotlib; Debian ships them for the system interpreter, hence the shebang.
"""
import argparse
import pathlib
import sys

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import poreflux_plots as pp  # noqa: E402
from poreflux_plots import BadFile, default_times, nearest_index  # noqa: E402,F401

SCHEMA = pp.RUN_SCHEMA
# Concentrations span many decades; the x-z colour scale shows this many below the largest shown.
DEFAULT_DECADES = 5
DEFAULT_TIME_COUNT = 4
DEPTH_SCALES = ("linear", "sqrt")


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
    """The slices of one scenario (`scenario`, or the first that has them)."""
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
    data = pp.read_slices(g, str(path))
    data["title"] = pp.text_attr(f, "title")
    data["compound"] = pp.text_attr(f, "compound")
    return data


def set_depth_scale(ax, kind):
    if kind != "sqrt":
        return
    ax.set_yscale("function", functions=(lambda z: np.sqrt(np.clip(z, 0, None)), lambda s: s * s))


def plot(data, output, times, top_time, decades, depth_scale, max_depth, dpi, zoom=True, top_scale="per-panel"):
    import matplotlib

    matplotlib.use("Agg")  # files only; no display needed
    import matplotlib.pyplot as plt

    axisymmetric = data["geometry"] == "axisymmetric"
    time_h = data["time_h"]
    frames = [nearest_index(time_h, t) for t in times]
    top_frame = nearest_index(time_h, top_time)
    view = pp.slice_view(data, zoom=zoom)
    if max_depth is not None:
        view["bottom"] = min(max_depth, view["z_edges"][-1])

    xs = 0.5 * (view["x_edges"][1:] + view["x_edges"][:-1])
    zs = 0.5 * (view["z_edges"][1:] + view["z_edges"][:-1])
    inside = [pp.view_xz(data, view, k)[np.ix_(zs <= view["bottom"], np.abs(xs) <= view["half_width"])]
              for k in frames]
    norm = pp.shared_log_norm(inside, decades)
    shared_top = None
    if top_scale == "shared":
        shared_top = pp.shared_log_norm([pp.view_top(data, view, top_frame, n)
                                         for n in range(len(data["depths_um"]))], decades)
    units = pp.pretty_units(data["units"])

    n_top = len(data["depths_um"])
    ncols = max(len(frames), n_top, 1)
    fig = plt.figure(figsize=(3.6 * ncols + 1.5, 8.8), layout="constrained")
    rows = fig.subfigures(2, 1, height_ratios=[1.0, 1.0], hspace=0.04)

    axes = rows[0].subplots(1, ncols, squeeze=False)[0]
    mesh = None
    for n, (ax, k) in enumerate(zip(axes, frames)):
        mesh = pp.plot_xz_panel(ax, data, view, k, norm, show_layers=(n == len(frames) - 1))
        set_depth_scale(ax, depth_scale)
        if n:
            ax.set_ylabel("")
        elif depth_scale == "sqrt":
            ax.set_ylabel("Depth below the surface (µm, √ scale)")
    for ax in axes[len(frames):]:
        ax.set_axis_off()
    rows[0].colorbar(mesh, ax=list(axes[:len(frames)]), extend="min", shrink=0.9, pad=0.01,
                     label=f"C ({units}), shared log scale, {decades:g} decades")
    where = ("r-z plane of the axisymmetric cell, mirrored to -r" if axisymmetric else
             f"x-z plane through the channel row (stored y = {data['y_um'][data['row_j']]:.3g} µm)"
             + (", mirrored about x = 0" if view["mirror"] else ""))
    rows[0].suptitle(f"{where}; ±{view['half_width']:.0f} µm, {view['bottom']:.0f} µm deep; dotted: channel",
                     fontsize="medium")

    taxes = rows[1].subplots(1, ncols, squeeze=False)[0]
    for n in range(n_top):
        m, words = pp.plot_top_panel(taxes[n], data, view, top_frame, n, norm=shared_top)
        if top_scale == "shared":
            words = f"shared log scale, {decades:g} decades"
        rows[1].colorbar(m, ax=taxes[n], shrink=0.8, pad=0.01, label=f"C ({units}), {words}")
        if n:
            taxes[n].set_ylabel("")
    for ax in taxes[n_top:]:
        ax.set_axis_off()
    revolved = ", revolved about the channel axis" if axisymmetric else (
        ", mirrored about x = 0 and y = 0" if view["mirror"] else "")
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
    parser.add_argument("--depth-scale", choices=DEPTH_SCALES, default="linear",
                        help="depth axis of the x-z slices (default linear; sqrt keeps the thin "
                             "stratum corneum visible over a deep view, e.g. with --no-zoom)")
    parser.add_argument("--no-zoom", action="store_true",
                        help="show the whole (mirrored) cell instead of a few channel radii and depths")
    parser.add_argument("--top-scale", choices=("per-panel", "shared"), default="per-panel",
                        help="colour scale of the horizontal planes (default per-panel: each its own, "
                             "log or linear)")
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
                times = default_times(time_h, DEFAULT_TIME_COUNT)
            frames = []  # requested order, repeats of one stored frame dropped
            for t in times:
                k = nearest_index(time_h, t)
                if not np.isclose(time_h[k], t, rtol=1e-6, atol=1e-9):
                    print(f"plot_slices: note: no output at {t:g} h, showing {time_h[k]:g} h", file=sys.stderr)
                if k not in frames:
                    frames.append(k)
            times = [time_h[k] for k in frames]
            top_time = args.top_time if args.top_time is not None else times[min(1, len(times) - 1)]
            plot(data, output, times, top_time, args.decades, args.depth_scale, args.max_depth, args.dpi,
                 zoom=not args.no_zoom, top_scale=args.top_scale)
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
