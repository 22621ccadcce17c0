#!/usr/bin/python3
"""Plots a poreflux HDF5 result file as one PNG: where the dose is over time, what permeates,
and concentration against depth. Several scenarios are overlaid (solid intact, dashed treated).

Needs h5py, numpy and matplotlib; Debian ships them for the system interpreter, hence the shebang.
"""
import argparse
import pathlib
import sys

import numpy as np

SCHEMA = "poreflux-h5/1"
# poreflux::compartment_names() order (HDF5 lists groups alphabetically); fixes the colours.
COMPARTMENTS = ["vehicle", "removed", "degraded", "stratum_corneum", "viable_epidermis",
                "dermis", "receptor", "systemic"]
# Depth profiles span many decades early on; the log axis shows this many below the peak.
PROFILE_DECADES = 6
SCENARIO_STYLES = {"intact": "-", "treated": "--"}
OTHER_STYLES = [":", "-."]


class NotAPorefluxFile(Exception):
    pass


def load(path):
    """Reads what the plots need into plain numpy arrays, in run order."""
    import h5py  # imported here so that --help works without it

    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise NotAPorefluxFile(f"{path} is not a readable HDF5 file ({e})") from None
    with f:
        schema = f.attrs.get("schema")
        if schema != SCHEMA:
            found = "no 'schema' attribute" if schema is None else f"schema {schema!r}"
            raise NotAPorefluxFile(f"{path} is not a {SCHEMA} result file ({found})")
        run = {"title": f.attrs.get("title", ""), "compound": f.attrs.get("compound", ""),
               "backend": f.attrs.get("backend", ""), "scenarios": []}
        groups = sorted(f["scenarios"].values(), key=lambda g: g.attrs.get("index", 0))
        for g in groups:
            grid = g["grid"]
            run["scenarios"].append({
                "name": g.name.rsplit("/", 1)[-1],
                "time_h": g["time_h"][()],
                "fractions": {name: ds[()] for name, ds in g["fractions"].items()},
                "amounts": {name: ds[()] for name, ds in g["amounts"].items()},
                "permeated": g["permeated"][()],
                "flux": g["flux"][()],
                "depth_um": g["profiles/depth_um"][()],
                "concentration": g["profiles/concentration"][()],
                "dz_um": grid["dz_um"][()],
                "layer_of_z": grid["layer_of_z"][()] if "layer_of_z" in grid else None,
                "layer_names": list(grid["layer_names"].asstr()[()]) if "layer_names" in grid else [],
            })
    if not run["scenarios"]:
        raise NotAPorefluxFile(f"{path} holds no scenarios")
    return run


def style_of(name, index):
    return SCENARIO_STYLES.get(name, OTHER_STYLES[index % len(OTHER_STYLES)])


def scenario_legend(fig, scenarios):
    """One key for the line styles, shared by all panels."""
    from matplotlib.lines import Line2D

    handles = [Line2D([], [], color="0.3", linestyle=style_of(s["name"], i), label=s["name"])
               for i, s in enumerate(scenarios)]
    fig.legend(handles=handles, loc="upper right", ncol=len(handles), fontsize="small", frameon=False)


def plot_compartments(ax, scenarios):
    """Panel 1: each compartment as % of the applied dose; all-zero ones (absent layers) left out."""
    present = scenarios[0]["fractions"]
    names = [n for n in COMPARTMENTS if n in present] + [n for n in present if n not in COMPARTMENTS]
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
    ax.legend(fontsize="small", loc="best")


def plot_permeation(ax, scenarios):
    """Panel 2: cumulative permeated amount (left axis) and flux (right axis)."""
    flux_ax = ax.twinx()
    for i, s in enumerate(scenarios):
        style = style_of(s["name"], i)
        ax.plot(s["time_h"], s["permeated"], color="C0", linestyle=style)
        flux_ax.plot(s["time_h"], s["flux"], color="C3", linestyle=style)
    ax.set_xlabel("Time (h)")
    ax.set_ylabel("Cumulative permeated (µg/cm²)", color="C0")
    flux_ax.set_ylabel("Flux (µg/cm²/h)", color="C3")
    ax.tick_params(axis="y", colors="C0")
    flux_ax.tick_params(axis="y", colors="C3")
    ax.set_title("Permeation")


def profile_times(time_h, count):
    """Up to `count` output times spread over the run, leaving out t = 0 (nothing in the skin yet)."""
    later = [i for i, t in enumerate(time_h) if t > 0] or list(range(len(time_h)))
    picks = np.linspace(0, len(later) - 1, min(count, len(later))).round().astype(int)
    return [time_h[later[p]] for p in sorted(set(picks))]


def layer_boundaries(ax, s):
    """Faint lines where one tissue layer ends, with the layer names along the top."""
    if s["layer_of_z"] is None or len(s["layer_of_z"]) != len(s["dz_um"]):
        return
    edges = np.concatenate([[0.0], np.cumsum(s["dz_um"])])
    layers = s["layer_of_z"]
    starts = [0] + [k for k in range(1, len(layers)) if layers[k] != layers[k - 1]]
    for n, k in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(layers)
        if k > 0:
            ax.axvline(edges[k], color="0.75", linewidth=0.8, zorder=0)
        if 0 <= layers[k] < len(s["layer_names"]):
            ax.text(0.5 * (edges[k] + edges[end]), 1.0, s["layer_names"][layers[k]].replace("_", " "),
                    transform=ax.get_xaxis_transform(), ha="center", va="bottom", fontsize="x-small")


def plot_profiles(ax, scenarios, count):
    """Panel 3: laterally averaged concentration against depth at a few times (log scale)."""
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
        ax.set_ylim(bottom=max(ax.get_ylim()[0], peak * 10.0 ** -PROFILE_DECADES))
    layer_boundaries(ax, scenarios[0])
    ax.set_xlabel("Depth below the surface (µm)")
    ax.set_ylabel("Concentration (µg/cm³)")
    ax.set_title("Depth profiles", pad=14)
    ax.legend(fontsize="small", loc="best")


def plot(run, output, profile_count, dpi):
    import matplotlib

    matplotlib.use("Agg")  # files only; no display needed
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(17, 5), layout="constrained")
    scenarios = run["scenarios"]
    plot_compartments(axes[0], scenarios)
    plot_permeation(axes[1], scenarios)
    plot_profiles(axes[2], scenarios, profile_count)
    if len(scenarios) > 1:
        scenario_legend(fig, scenarios)
    heading = " — ".join(x for x in (run["title"], run["compound"]) if x)
    fig.suptitle(heading or "poreflux result")
    fig.savefig(output, dpi=dpi)
    plt.close(fig)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Plot a poreflux HDF5 result file as a PNG.")
    parser.add_argument("file", type=pathlib.Path, help="poreflux result (.h5)")
    parser.add_argument("-o", "--output", type=pathlib.Path, help="PNG to write (default: <file stem>.png)")
    parser.add_argument("--profiles", type=int, default=4, metavar="N",
                        help="number of output times shown in the depth profiles (default 4)")
    parser.add_argument("--dpi", type=int, default=120)
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
    plot(run, output, args.profiles, args.dpi)
    print(f"wrote {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
