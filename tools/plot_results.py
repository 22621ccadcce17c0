#!/usr/bin/python3
"""Plots a poreflux HDF5 result file as one PNG: where the dose is over time, what permeates,
and concentration against depth. Several scenarios are overlaid (solid intact, dashed treated);
with both, the treated/intact enhancement ratios at the end of the run are printed in panel 1.
The concentration pictures around a channel are plotted by tools/plot_slices.py.

Needs h5py, numpy and matplotlib; Debian ships them for the system interpreter, hence the shebang.
"""
import argparse
import pathlib
import sys

import numpy as np

import poreflux_plots as pp  # the one reader of run files, and the program's output registry

# Depth profiles span many decades early on; the log axis shows this many below the peak.
PROFILE_DECADES = 6
SCENARIO_STYLES = {"intact": "-", "treated": "--"}
OTHER_STYLES = [":", "-."]
# Scenarios whose permeation peaks differ more than this get log axes in panel 2 (else the
# smaller one is a flat line at zero); the axes then show this many decades below the peak.
LOG_PERMEATION_RATIO = 20.0
PERMEATION_DECADES = 4
# Short names for tissue layers whose band in the depth panel is too narrow for the full name.
LAYER_ABBREVIATIONS = {"stratum corneum": "SC", "viable epidermis": "VE"}


class NotAPorefluxFile(Exception):
    pass


def load(path):
    """Reads what the plots need into plain numpy arrays, in run order (poreflux_plots.read_run)."""
    import h5py  # imported here so that --help works without it

    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise NotAPorefluxFile(f"{path} is not a readable HDF5 file ({e})") from None
    with f:
        schema = f.attrs.get("schema")
        if schema != pp.RUN_SCHEMA:
            found = "no 'schema' attribute" if schema is None else f"schema {schema!r}"
            raise NotAPorefluxFile(f"{path} is not a {pp.RUN_SCHEMA} result file ({found})")
        try:
            return pp.read_run(f, str(path))
        except pp.BadFile as e:
            raise NotAPorefluxFile(str(e)) from None


def style_of(name, index):
    return SCENARIO_STYLES.get(name, OTHER_STYLES[index % len(OTHER_STYLES)])


def scenario_legend(fig, scenarios):
    """One key for the line styles, shared by all panels."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.3", linestyle=style_of(s["name"], i), label=s["name"])
               for i, s in enumerate(scenarios)]
    fig.legend(handles=handles, loc="upper right", ncol=len(handles), fontsize="small", frameon=False)


def ratio_text(treated, intact):
    if not (np.isfinite(treated) and np.isfinite(intact)):
        return "n/a"
    if intact == 0:
        return "∞" if treated > 0 else "n/a"
    r = treated / intact
    return f"{r:.3g}×" if r < 1000 else f"{r:.0f}×"


def enhancement(scenarios):
    """Lines of text with the treated/intact ratios at the end of the run, or None without both."""
    by_name = {s["name"]: s for s in scenarios}
    if "intact" not in by_name or "treated" not in by_name:
        return None
    intact, treated = by_name["intact"], by_name["treated"]
    rows = [(r["words"], r["output"], r["category"]) for r in pp.sampled_outputs() if r["enhancement_column"]]
    lines = [f"Enhancement, treated / intact, at {treated['time_h'][-1]:g} h"]
    for label, key, series in rows:
        values = []
        for s in (treated, intact):
            if key in s["summary"]:
                values.append(float(s["summary"][key]))
            else:  # an older file without the summary: the same sum from the series
                values.append(float(pp.scenario_series(s, series)[-1]))
        t, i = values
        lines.append(f"{label}: {100 * i:.3g} → {100 * t:.3g} % of dose, {ratio_text(t, i)}")
    return "\n".join(lines)


def plot_compartments(ax, scenarios):
    """Panel 1: each compartment as % of the applied dose; all-zero ones (absent layers) left out."""
    present = scenarios[0]["fractions"]
    order = pp.compartment_names()  # the program's order (HDF5 lists groups alphabetically); fixes the colours
    names = [n for n in order if n in present] + [n for n in present if n not in order]
    use_fraction = all(np.all(np.isfinite(v)) for s in scenarios for v in s["fractions"].values())
    key = "fractions" if use_fraction else "amounts"  # a zero dose has no fractions
    scale = 100.0 if use_fraction else 1.0
    colours = {n: f"C{i}" for i, n in enumerate(names)}
    shown = [n for n in names if any(np.any(s[key][n] != 0) for s in scenarios if n in s[key])]
    for i, s in enumerate(scenarios):
        for n in shown:
            label = n.replace("_", " ") if i == 0 else None
            ax.plot(s["time_h"], scale * s[key][n], color=colours[n], linestyle=style_of(s["name"], i), label=label)
    ax.set_xlabel("Time (h)")
    ax.set_ylabel("Amount (% of applied dose)" if use_fraction else "Amount (µg/cm²)")
    ax.set_title("Distribution of the dose")
    ax.set_ylim(bottom=0.0)  # amounts: the axis starts at zero
    # The key goes below the panel, so that the lines and the ratios have the panel to themselves;
    # the line styles of the scenarios (intact solid, treated dashed) are keyed there too, next to
    # the panel with the most lines, rather than in a corner of the figure.
    from matplotlib.lines import Line2D

    handles, labels = ax.get_legend_handles_labels()
    if len(scenarios) > 1:
        for i, s in enumerate(scenarios):
            handles.append(Line2D([], [], color="0.3", linestyle=style_of(s["name"], i)))
            labels.append(s["name"])
    ax.legend(handles, labels, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3,
              frameon=False)


def line_points(ax, per_line=400):
    """The plotted lines, densely resampled, in axes coordinates (0..1 inside the panel)."""
    to_axes = ax.transAxes.inverted()
    out = []
    for line in ax.get_lines():
        xy = to_axes.transform(ax.transData.transform(np.asarray(line.get_xydata(), dtype=float)))
        xy = xy[np.all(np.isfinite(xy), axis=1)]
        if len(xy) < 2:
            out.append(xy)
            continue
        run = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xy, axis=0).T))])
        u = np.linspace(0.0, run[-1], per_line)
        out.append(np.column_stack([np.interp(u, run, xy[:, 0]), np.interp(u, run, xy[:, 1])]))
    return np.concatenate(out) if out else np.empty((0, 2))


def place_note(ax, text):
    """Writes `text` in a box where no line passes: the free spot nearest the top left, or, if the
    lines leave none, in room made above them. Call it once the layout is done (the box's size in
    axes units depends on the panel's final size)."""
    note = ax.text(0, 0, text, transform=ax.transAxes, fontsize="small", va="top", ha="left", zorder=5,
                   bbox=dict(boxstyle="round,pad=0.4", facecolor="white", edgecolor="0.7", alpha=0.9))
    renderer = ax.figure.canvas.get_renderer()
    box = note.get_window_extent(renderer).transformed(ax.transAxes.inverted())
    w, h = box.width + 0.03, box.height + 0.04  # the rounded frame and a margin
    for attempt in range(4):
        points = line_points(ax)
        best = None
        for x0 in np.linspace(0.015, max(0.015, 0.985 - w), 25):
            for y1 in np.linspace(0.985, min(0.985, 0.015 + h), 25):
                inside = ((points[:, 0] > x0 - 0.01) & (points[:, 0] < x0 + w)
                          & (points[:, 1] < y1 + 0.01) & (points[:, 1] > y1 - h))
                hits = int(np.count_nonzero(inside))
                # Fewest crossings first, then nearest the top, then the left.
                key = (hits, round(1.0 - y1, 3), round(x0, 3))
                if best is None or key < best[0]:
                    best = (key, x0, y1)
        if best[0][0] == 0 or attempt == 3:
            break
        lo, hi = ax.get_ylim()  # no free spot: raise the top so the lines leave room above them
        ax.set_ylim(lo, hi + (hi - lo) * (h + 0.05) / (1.0 - h - 0.05))
    note.set_position((best[1] + 0.01, best[2] - 0.015))
    return note


def permeation_is_log(scenarios):
    peaks = [float(np.max(s["permeated"], initial=0.0)) for s in scenarios]
    return len(scenarios) > 1 and min(peaks) > 0 and max(peaks) / min(peaks) > LOG_PERMEATION_RATIO


def positive(a):
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, np.nan)


def plot_permeation(ax, scenarios):
    """Panel 2: cumulative permeated amount (left axis) and flux (right axis). Scenarios that differ
    by orders of magnitude (treated against intact skin) get log axes, so both stay readable."""
    flux_ax = ax.twinx()
    log = permeation_is_log(scenarios)
    for i, s in enumerate(scenarios):
        style = style_of(s["name"], i)
        ax.plot(s["time_h"], positive(s["permeated"]) if log else s["permeated"], color="C0", linestyle=style)
        flux_ax.plot(s["time_h"], positive(s["flux"]) if log else s["flux"], color="C3", linestyle=style)
    if log:
        for a, key in ((ax, "permeated"), (flux_ax, "flux")):
            a.set_yscale("log")
            peak = max(float(np.max(s[key], initial=0.0)) for s in scenarios)
            a.set_ylim(peak * 10.0 ** -PERMEATION_DECADES, peak * 2.0)
    else:  # amounts and fluxes: linear axes start at zero (log ones say "log" in their labels)
        ax.set_ylim(bottom=0.0)
        flux_ax.set_ylim(bottom=0.0)
    note = ", log" if log else ""
    ax.set_xlabel("Time (h)")
    ax.set_ylabel(f"Cumulative permeated (µg/cm²{note})", color="C0")
    flux_ax.set_ylabel(f"Flux (µg/cm²/h{note})", color="C3")
    ax.tick_params(axis="y", colors="C0")
    flux_ax.tick_params(axis="y", colors="C3")
    ax.set_title("Permeation")


def profile_times(time_h, count):
    """Up to `count` output times spread over the run, leaving out t = 0 (nothing in the skin yet)."""
    later = [i for i, t in enumerate(time_h) if t > 0] or list(range(len(time_h)))
    picks = np.linspace(0, len(later) - 1, min(count, len(later))).round().astype(int)
    return [time_h[later[p]] for p in sorted(set(picks))]


def layer_bands(s):
    """[(name, top, bottom)] of each tissue layer in µm, or [] if the grid does not say."""
    if s["layer_of_z"] is None or len(s["layer_of_z"]) != len(s["dz_um"]):
        return []
    edges = np.concatenate([[0.0], np.cumsum(s["dz_um"])])
    layers = s["layer_of_z"]
    starts = [0] + [k for k in range(1, len(layers)) if layers[k] != layers[k - 1]]
    bands = []
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(layers)
        name = s["layer_names"][layers[k]] if 0 <= layers[k] < len(s["layer_names"]) else f"layer {layers[k]}"
        bands.append((name.replace("_", " "), edges[k], edges[end]))
    return bands


def layer_boundaries(ax, s):
    """Layers as alternately shaded bands, boundaries as faint lines, names along the top inside the
    panel. Returns the name texts for fit_layer_names()."""
    bands = layer_bands(s)
    if not bands:
        return []
    left, right = ax.get_xlim()
    texts = []
    for n, (name, z0, z1) in enumerate(bands):
        if n % 2 == 1:
            ax.axvspan(z0, z1, color="0.94", zorder=0, linewidth=0)
        if n > 0:
            ax.axvline(z0, color="0.7", linewidth=0.8, zorder=0.5)
        lo, hi = max(z0, left), min(z1, right)
        if hi <= lo:
            continue
        centre = np.sqrt(lo * hi) if ax.get_xscale() == "log" else 0.5 * (lo + hi)
        texts.append((ax.text(centre, 0.985, name, transform=ax.get_xaxis_transform(), ha="center", va="top",
                              fontsize="x-small", color="0.3", zorder=1), name, lo, hi))
    ax.set_xlim(left, right)
    return texts


def fit_layer_names(ax, texts):
    """Once the layout is done: a name wider than its band is shortened (SC, VE)."""
    renderer = ax.figure.canvas.get_renderer()
    for text, name, lo, hi in texts:
        x0, x1 = (ax.transData.transform([[v, 1.0]])[0][0] for v in (lo, hi))
        if text.get_window_extent(renderer).width > 0.95 * (x1 - x0):
            text.set_text(LAYER_ABBREVIATIONS.get(name, name))


def plot_profiles(ax, scenarios, count, depth_scale="log"):
    """Panel 3: laterally averaged concentration against depth at a few times (log scale). A log
    depth axis gives the 10-20 µm stratum corneum room beside a millimetre of dermis."""
    import matplotlib.pyplot as plt

    times = profile_times(scenarios[0]["time_h"], count)
    colours = plt.cm.viridis(np.linspace(0.0, 0.85, len(times)))
    peak = 0.0
    for i, s in enumerate(scenarios):
        for colour, t in zip(colours, times):
            k = int(np.argmin(np.abs(s["time_h"] - t)))
            c = np.where(s["concentration"][k] > 0, s["concentration"][k], np.nan)  # log axis: no zeros
            peak = max(peak, float(np.nanmax(c, initial=0.0)))
            label = f"{t:g} h" if i == 0 else None
            ax.plot(s["depth_um"], c, color=colour, linestyle=style_of(s["name"], i), label=label)
    if peak > 0:
        ax.set_yscale("log")
        ax.set_ylim(bottom=max(ax.get_ylim()[0], peak * 10.0 ** -PROFILE_DECADES), top=peak * 30.0)
    depth_end = max(float(np.sum(s["dz_um"])) for s in scenarios)
    if depth_scale == "log":
        from matplotlib.ticker import FuncFormatter

        ax.set_xscale("log")
        first = min(float(s["depth_um"][0]) for s in scenarios if len(s["depth_um"]))
        ax.set_xlim(first / 1.5, depth_end)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    else:
        ax.set_xlim(0.0, depth_end)
    names = layer_boundaries(ax, scenarios[0])
    ax.set_xlabel("Depth below the surface (µm" + (", log)" if depth_scale == "log" else ")"))
    ax.set_ylabel("Concentration (µg/cm³)")
    ax.set_title("Depth profiles")
    # The room left at the top (ylim) is for the layer names; the key goes below the panel.
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=min(len(times), 6),
              frameon=False)
    return names


def plot(run, output, profile_count, dpi, depth_scale="log"):
    import matplotlib

    matplotlib.use("Agg")  # files only; no display needed
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(17, 5.6), layout="constrained")
    scenarios = run["scenarios"]
    plot_compartments(axes[0], scenarios)
    plot_permeation(axes[1], scenarios)
    layer_names = plot_profiles(axes[2], scenarios, profile_count, depth_scale)
    # The scenarios' line styles are keyed under the first panel (plot_compartments).
    heading = " — ".join(x for x in (run["title"], run["compound"]) if x)
    fig.suptitle(heading or "poreflux result")
    # Sizes of texts in axes units are known once the layout has run.
    fig.canvas.draw()
    fit_layer_names(axes[2], layer_names)
    note = enhancement(scenarios)
    if note:
        place_note(axes[0], note)
    fig.savefig(output, dpi=dpi)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Plot a poreflux HDF5 result file as a PNG.")
    parser.add_argument("file", type=pathlib.Path, help="poreflux result (.h5)")
    parser.add_argument("-o", "--output", type=pathlib.Path, help="PNG to write (default: <file stem>.png)")
    parser.add_argument("--profiles", type=int, default=4, metavar="N",
                        help="number of output times shown in the depth profiles (default 4)")
    parser.add_argument("--dpi", type=int, default=120)
    parser.add_argument("--depth-scale", choices=["log", "linear"], default="log",
                        help="depth axis of the profiles (default log: the stratum corneum stays visible)")
    args = parser.parse_args(argv)
    if args.profiles < 1:
        parser.error("--profiles needs at least 1")
    output = args.output or args.file.with_suffix(".png")
    try:
        run = load(args.file)
    except NotAPorefluxFile as e:
        print(f"plot_results: error: {e}", file=sys.stderr)
        return 1
    except KeyError as e:
        print(f"plot_results: error: {args.file} lacks part of the {SCHEMA} layout ({e})", file=sys.stderr)
        return 1
    plot(run, output, args.profiles, args.dpi, args.depth_scale)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
