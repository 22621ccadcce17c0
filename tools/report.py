#!/usr/bin/python3
"""One-page HTML report (with its figures as PNG beside it) of a poreflux result file.

    /usr/bin/python3 tools/report.py OUT.h5 [-o REPORT.html]

Reads three kinds of file:
  - a run file (root attribute schema = "poreflux-h5/1", src/io/write_run_h5.cpp);
  - a sweep or population file (schema = "poreflux-sweep-h5/1", kind = "sweep" | "population":
    /cases/<id>/ each a run layout, /table/ the tidy results table, /population/ the percentile
    bands and the sensitivity of a population).

Writes REPORT.html (figures embedded as base64, so the page stands alone), REPORT.png (the first
figure) and REPORT_<figure>.png for the others, and REPORT.json, a sidecar that lists every
figure with its panels (title, axis labels, limits) for tests and scripts. Prints the paths.

Figures (one y-axis per panel; curves labelled at their ends or keyed outside the axes):
  run, intact + treated  "overview": Q(t) intact vs treated | enhancement ratio | flux /
                         mass balance intact (stacked) | treated (stacked) | at the end (bars) /
                         depth profiles intact | treated | uptake and dermal delivery over time
                         "slices": x-z through the channel at a few times / top views at the
                         stored depths (full cell centred on the channel, zoomed)
  run, one scenario      "overview": Q(t) | flux | uptake and dermal delivery /
                         depth profiles | mass balance (stacked) | at the end (bars)
  sweep                  "sweep": heat maps (>= 2 numeric axes) or lines (1 numeric axis) or grouped
                         bars (a case list), plus the mass balance of each case at the end
  population             "population": percentile bands (5-95 %, median) of uptake, dermal delivery,
                         enhancement; "sensitivity": inputs ranked by |rank correlation|

Needs h5py, numpy and matplotlib (the Debian system interpreter: /usr/bin/python3).
"""
import argparse
import base64
import datetime
import html
import io
import json
import pathlib
import sys

import re

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import poreflux_plots as pp  # noqa: E402
import poreflux_measurements as pm  # noqa: E402

# ----------------------------------------------------------------------------------------------
# The quoted figure the intact baseline is set against; measurements come from the qualification
# suite (data/measurements/, tools/poreflux_measurements.py), only where they are comparable.
# ----------------------------------------------------------------------------------------------
RULE_OF_THUMB = {"label": "“5–8 % of a serum gets in”", "low": 5.0, "high": 8.0,
                 "source": "often-quoted rule of thumb (cosmetics trade press); no primary measurement "
                           "(README.md, worked example)"}
# Measured enhancement by microneedles, set against a treated run's ratio.
ENHANCEMENT_REFERENCES = [
    {"active": "amantadine HCl", "log_kow": 2.44, "conditions": "roller, porcine ear in vitro",
     "measured": "flux ratio 2.19 (22.4 → 49.0 µg/cm²/h, not significant)", "value": 2.19, "compare": "flux_max",
     "source": "Hoang, Ita & Bair 2015, Pharmaceutics 7:379"},
]
QUANTITY_WORDS = {"uptake": "uptake", "dermal_delivery": "dermal delivery", "skin": "in skin (SC+VE+dermis)",
                  "permeated": "permeated", "flux_max": "peak flux ratio"}
PERCENT = 100.0
DPI = 90
# Enhancement ratios over time are drawn from the time the intact value reaches this fraction of
# its largest value (before that the ratio divides by ~0).
RATIO_FLOOR = 0.01


def kow_class(log_kow):
    if log_kow is None or not np.isfinite(log_kow):
        return None
    return "hydrophilic" if log_kow < 1.0 else ("intermediate" if log_kow <= 3.0 else "lipophilic")


# ----------------------------------------------------------------------------------------------
# Figure bookkeeping
# ----------------------------------------------------------------------------------------------

def panel(ax, kind):
    """Marks an axes as a panel of the report (colour bars are not panels)."""
    ax._pf_panel = kind
    return ax


def panels_of(fig):
    out = []
    for ax in fig.axes:
        kind = getattr(ax, "_pf_panel", None)
        if kind is None:
            continue
        out.append({"kind": kind, "title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                    "xlim": [float(v) for v in ax.get_xlim()], "ylim": [float(v) for v in ax.get_ylim()],
                    "xscale": ax.get_xscale(), "yscale": ax.get_yscale()})
    return out


def new_figure(w, h):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt.figure(figsize=(w, h), layout="constrained")


def series_scale(ax, arrays, ratio=20.0, decades=5):
    """Log y if the positive peaks differ more than `ratio`, so that both stay readable."""
    peaks = [float(np.nanmax(a, initial=0.0)) for a in arrays]
    pos = [p for p in peaks if p > 0]
    if len(pos) >= 2 and max(pos) / min(pos) > ratio:
        ax.set_yscale("log")
        ax.set_ylim(max(pos) * 10.0 ** -decades, max(pos) * 2.0)
        return True
    return False


def pos(a):
    a = np.asarray(a, dtype=float)
    return np.where(a > 0, a, np.nan)


# ----------------------------------------------------------------------------------------------
# Run file
# ----------------------------------------------------------------------------------------------

def arrival_word(run):
    return "systemic" if run["in_vivo"] else "permeated"


def by_name(run):
    return {s["name"]: s for s in run["scenarios"]}


def q_series(s):
    """Cumulative amount into receptor/systemic, µg/cm²."""
    if s["permeated"] is not None:
        return np.asarray(s["permeated"], dtype=float)
    a = s["amounts"]
    return np.asarray(a.get("receptor", 0.0), dtype=float) + np.asarray(a.get("systemic", 0.0), dtype=float)


def plot_q(ax, run):
    word = arrival_word(run)
    qs = [q_series(s) for s in run["scenarios"]]
    log = series_scale(ax, qs)
    for s, q in zip(run["scenarios"], qs):
        c = pp.SCENARIO_COLOURS.get(s["name"], "0.3")
        ax.plot(s["time_h"], pos(q) if log else q, color=c)
        pp.end_label(ax, s["time_h"], pos(q) if log else q, s["name"], c)
    ax.set_xlabel("Time (h)")
    ax.set_ylabel(f"Q(t), cumulative {word} (µg/cm²{', log' if log else ''})")
    ax.set_title(f"Q(t): {word}, intact vs treated" if len(qs) > 1 else f"Q(t): cumulative {word}")


def ratio(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(b > 0, a / np.where(b > 0, b, 1.0), np.nan)
    return r


def plot_ratio(ax, run):
    sc = by_name(run)
    t, i = sc["treated"], sc["intact"]
    time = t["time_h"]
    if len(i["time_h"]) != len(time) or not np.allclose(i["time_h"], time):
        interp = lambda y: np.interp(time, i["time_h"], y)  # noqa: E731
    else:
        interp = lambda y: y  # noqa: E731
    word = arrival_word(run)
    curves = [(f"Q ({word})", ratio(q_series(t), interp(q_series(i))), "#54278f"),
              ("dermal delivery", ratio(pp.scenario_series(t, "dermal_delivery"),
                                        interp(pp.scenario_series(i, "dermal_delivery"))), "#e6550d"),
              ("uptake", ratio(pp.scenario_series(t, "uptake"), interp(pp.scenario_series(i, "uptake"))), "#3182bd")]
    # A ratio against a baseline that is still ~0 says nothing (it starts at 1e10 and falls):
    # each ratio is shown from the time its intact value reaches RATIO_FLOOR of its final value.
    bases = [interp(q_series(i)), interp(pp.scenario_series(i, "dermal_delivery")),
             interp(pp.scenario_series(i, "uptake"))]
    curves = [(label, np.where(b >= RATIO_FLOOR * np.nanmax(b, initial=0.0), r, np.nan), colour)
              for (label, r, colour), b in zip(curves, bases)]
    finite = [c[np.isfinite(c) & (c > 0)] for _, c, _ in curves]
    big = max((float(f.max()) for f in finite if f.size), default=1.0)
    small = min((float(f.min()) for f in finite if f.size), default=1.0)
    log = big / max(small, 1e-300) > 20.0
    if log:
        ax.set_yscale("log")
    for label, r, colour in curves:
        y = pos(r) if log else r
        ax.plot(time, y, color=colour)
        pp.end_label(ax, time, y, f"{label} ×{r[-1]:.3g}" if np.isfinite(r[-1]) else label, colour)
    ax.axhline(1.0, color="0.6", linewidth=0.8, linestyle=":")
    ax.set_xlabel("Time (h)")
    ax.set_ylabel("Enhancement, treated / intact (1" + (", log)" if log else ")"))
    ax.set_title(f"Enhancement ratio (from intact ≥ {RATIO_FLOOR:g} of its final)", fontsize="medium")


def plot_flux(ax, run):
    word = arrival_word(run)
    fl = [np.asarray(s["flux"], dtype=float) for s in run["scenarios"]]
    log = series_scale(ax, fl)
    for s, f in zip(run["scenarios"], fl):
        c = pp.SCENARIO_COLOURS.get(s["name"], "0.3")
        y = pos(f) if log else f
        ax.plot(s["time_h"], y, color=c)
        pp.end_label(ax, s["time_h"], y, s["name"], c)
    ax.set_xlabel("Time (h)")
    ax.set_ylabel(f"Flux into {'the systemic circulation' if run['in_vivo'] else 'the receptor'} "
                  f"(µg/cm²/h{', log' if log else ''})")
    ax.set_title(f"Flux ({word}) over time")


def plot_delivery(ax, run):
    for s in run["scenarios"]:
        c = pp.SCENARIO_COLOURS.get(s["name"], "0.3")
        for key, style, word in (("uptake", "-", "uptake"), ("dermal_delivery", "--", "dermal del.")):
            y = PERCENT * pp.scenario_series(s, key)
            ax.plot(s["time_h"], y, color=c, linestyle=style)
            pp.end_label(ax, s["time_h"], y, f"{s['name']}, {word}", c)
    ax.set_xlabel("Time (h)")
    ax.set_ylabel("Amount (% of applied dose)")
    ax.set_title("Uptake (solid) and dermal delivery (dashed)")


def shown_compartments(run):
    names = []
    for s in run["scenarios"]:
        for n in list(pp.COMPARTMENTS) + sorted(s["fractions"]):
            if n in s["fractions"] and n not in names and np.any(np.asarray(s["fractions"][n]) != 0):
                names.append(n)
    order = {n: k for k, n in enumerate(pp.COMPARTMENTS)}
    return sorted(names, key=lambda n: order.get(n, 99))


def compartment_label(n):
    return pp.nice_name(n)


def plot_stack(ax, run, s, names):
    ys = [PERCENT * np.asarray(s["fractions"][n], dtype=float) if n in s["fractions"] else np.zeros(len(s["time_h"]))
          for n in names]
    ax.stackplot(s["time_h"], ys, colors=[pp.COMPARTMENT_COLOURS.get(n, "0.5") for n in names],
                 labels=[compartment_label(n) for n in names], linewidth=0)
    ax.set_xlim(s["time_h"][0], s["time_h"][-1])
    ax.set_ylim(0, max(100.0, float(np.sum([y[-1] for y in ys]))))
    ax.set_xlabel("Time (h)")
    ax.set_ylabel("Share of the dose (% of applied dose)")
    ax.set_title(f"Mass balance over time: {s['name']}")


def plot_end_bars(ax, run, names):
    scen = run["scenarios"]
    width = 0.8 / len(scen)
    x = np.arange(len(names))
    for k, s in enumerate(scen):
        v = [PERCENT * float(np.asarray(s["fractions"].get(n, [0.0]))[-1]) for n in names]
        c = pp.SCENARIO_COLOURS.get(s["name"], "0.4")
        bars = ax.bar(x + (k - 0.5 * (len(scen) - 1)) * width, v, width, label=s["name"],
                      color=[pp.COMPARTMENT_COLOURS.get(n, "0.5") for n in names], edgecolor=c,
                      linewidth=1.2, hatch="//" if s["name"] == "treated" else None)
        for b, val in zip(bars, v):
            ax.text(b.get_x() + b.get_width() / 2, b.get_height(), f"{val:.2g}", ha="center", va="bottom",
                    fontsize=6)
    ax.set_xticks(x, [compartment_label(n) for n in names], rotation=40, ha="right", fontsize=8)
    top = max((p.get_height() for p in ax.patches), default=1.0)
    ax.set_ylim(0, top * 1.25 + 1e-9)
    ax.set_ylabel("At the end (% of applied dose)")
    ax.set_xlabel("Compartment")
    t_end = scen[0]["time_h"][-1]
    ax.set_title(f"Mass balance at {t_end:g} h" + (" (plain: intact, hatched: treated)" if len(scen) > 1 else ""))
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=pp.COMPARTMENT_COLOURS.get(n, "0.5"), label=compartment_label(n)) for n in names]
    pp.legend_outside(ax, handles=handles, title="compartment", title_fontsize=8)


def profile_times(time_h, count=4):
    later = [k for k, t in enumerate(time_h) if t > 0] or list(range(len(time_h)))
    picks = np.linspace(0, len(later) - 1, min(count, len(later))).round().astype(int)
    return [float(time_h[later[p]]) for p in sorted(set(picks))]


def plot_profiles(ax, run, s, times, ylim=None):
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter

    colours = plt.cm.viridis(np.linspace(0.0, 0.85, len(times)))
    depth = np.asarray(s["depth_um"], dtype=float)
    for colour, t in zip(colours, times):
        k = pp.nearest_index(s["time_h"], t)
        ax.plot(depth, pos(s["concentration"][k]), color=colour, label=f"{s['time_h'][k]:g} h")
    ax.set_yscale("log")
    if ylim:
        ax.set_ylim(*ylim)
    ax.set_xscale("log")
    ax.set_xlim(depth[0] / 1.5, float(np.sum(s["dz_um"])) if s.get("dz_um") is not None else depth[-1])
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    inter = pp.layer_interfaces(s)
    if inter:
        for d in inter[0]:
            ax.axvline(d, color="0.75", linewidth=0.8, zorder=0)
    ax.set_xlabel("Depth below the surface (µm, log)")
    ax.set_ylabel("Concentration, laterally averaged (µg/cm³, log)")
    ax.set_title(f"Depth profiles: {s['name']}" + ("; grey lines: layer interfaces" if inter else ""))
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=len(times), frameon=False,
              title="time", title_fontsize=8)


def profile_limits(run, times):
    peak = 0.0
    for s in run["scenarios"]:
        for t in times:
            k = pp.nearest_index(s["time_h"], t)
            peak = max(peak, float(np.nanmax(s["concentration"][k], initial=0.0)))
    return (peak * 1e-6, peak * 3.0) if peak > 0 else None


def run_overview_figure(run):
    names = shown_compartments(run)
    sc = by_name(run)
    both = "intact" in sc and "treated" in sc
    times = profile_times(run["scenarios"][0]["time_h"])
    ylim = profile_limits(run, times)
    if both:
        fig = new_figure(17, 14.5)
        ax = fig.subplots(3, 3)
        plot_q(panel(ax[0, 0], "q"), run)
        plot_ratio(panel(ax[0, 1], "enhancement"), run)
        plot_flux(panel(ax[0, 2], "flux"), run)
        plot_stack(panel(ax[1, 0], "mass_balance_stack"), run, sc["intact"], names)
        plot_stack(panel(ax[1, 1], "mass_balance_stack"), run, sc["treated"], names)
        plot_end_bars(panel(ax[1, 2], "mass_balance_end"), run, names)
        plot_profiles(panel(ax[2, 0], "profiles"), run, sc["intact"], times, ylim)
        plot_profiles(panel(ax[2, 1], "profiles"), run, sc["treated"], times, ylim)
        plot_delivery(panel(ax[2, 2], "delivery"), run)
    else:
        fig = new_figure(17, 10)
        ax = fig.subplots(2, 3)
        s = run["scenarios"][0]
        plot_q(panel(ax[0, 0], "q"), run)
        plot_flux(panel(ax[0, 1], "flux"), run)
        plot_delivery(panel(ax[0, 2], "delivery"), run)
        plot_profiles(panel(ax[1, 0], "profiles"), run, s, times, ylim)
        plot_stack(panel(ax[1, 1], "mass_balance_stack"), run, s, names)
        plot_end_bars(panel(ax[1, 2], "mass_balance_end"), run, names)
    fig.suptitle(" — ".join(x for x in (run["title"], run["compound"]) if x) or "poreflux run", fontsize="large")
    pp.place_end_labels(fig)
    return fig


def run_slices_figure(run, count=4):
    """x-z pictures through the channel at a few times, and the top views at the stored depths."""
    g = None
    for s in run["scenarios"]:
        if "slices" in s["group"]:
            g = s["group"]
            break
    if g is None:
        return None
    data = pp.read_slices(g)
    view = pp.slice_view(data, zoom=True)
    times = pp.default_times(data["time_h"], count)
    frames = []
    for t in times:
        k = pp.nearest_index(data["time_h"], t)
        if k not in frames:
            frames.append(k)
    top_frame = frames[min(1, len(frames) - 1)]
    n_top = len(data["depths_um"])
    ncols = max(len(frames), n_top, 1)
    fig = new_figure(3.6 * ncols + 1.5, 8.6)
    rows = fig.subfigures(2, 1, height_ratios=[1.0, 1.0])
    # Row 1: one shared log scale over the zoomed x-z pictures (the same colour, the same C).
    xs = 0.5 * (view["x_edges"][1:] + view["x_edges"][:-1])
    zs = 0.5 * (view["z_edges"][1:] + view["z_edges"][:-1])
    inside = [pp.view_xz(data, view, k)[np.ix_(zs <= view["bottom"], np.abs(xs) <= view["half_width"])]
              for k in frames]
    norm = pp.shared_log_norm(inside)
    axes = rows[0].subplots(1, ncols, squeeze=False)[0]
    mesh = None
    for n, (ax, k) in enumerate(zip(axes, frames)):
        mesh = pp.plot_xz_panel(panel(ax, "slice_xz"), data, view, k, norm, show_layers=(n == len(frames) - 1))
    for ax in axes[len(frames):]:
        ax.set_axis_off()
    units = pp.pretty_units(data["units"])
    rows[0].colorbar(mesh, ax=list(axes[:len(frames)]), extend="min", shrink=0.9, pad=0.01,
                     label=f"C ({units}), shared log scale, {pp.SLICE_DECADES} decades")
    axisym = data["geometry"] == "axisymmetric"
    rows[0].suptitle(("r-z plane of the axisymmetric cell, mirrored to -r" if axisym else
                      "x-z plane through the channel, the stored cell mirrored about x = 0") +
                     f"; zoomed to ±{view['half_width']:.0f} µm, {view['bottom']:.0f} µm deep; dotted: channel",
                     fontsize="medium")
    # Row 2: each top view on its own scale (a shared one makes them flat).
    taxes = rows[1].subplots(1, ncols, squeeze=False)[0]
    for n in range(n_top):
        ax = panel(taxes[n], "slice_top")
        m, words = pp.plot_top_panel(ax, data, view, top_frame, n)
        rows[1].colorbar(m, ax=ax, shrink=0.8, pad=0.01, label=f"C ({units}), {words}")
    for ax in taxes[n_top:]:
        ax.set_axis_off()
    rows[1].suptitle(f"Horizontal planes at t = {data['time_h'][top_frame]:g} h"
                     + (", revolved about the channel axis" if axisym else ", mirrored about x = 0 and y = 0")
                     + "; dashed: channel opening at t = 0", fontsize="medium")
    fig.suptitle(f"Concentration around a channel — scenario '{data['scenario']}'", fontsize="large")
    return fig


def fmt(v, digits=3):
    try:
        v = float(v)
    except (TypeError, ValueError):
        return html.escape(str(v))
    if not np.isfinite(v):
        return "–"
    return f"{v:.{digits}g}"


def at_time(s, key, t):
    y = q_series(s) / 1.0 if key == "permeated_amount" else pp.scenario_series(s, key)
    return float(np.interp(t, s["time_h"], y))


def run_summary_table(run):
    # The program's scalar outputs (`poreflux layout --json`) under their labels, shares of the
    # dose in %, with the share in the skin after the shares the program reports.
    outputs = pp.scalar_outputs()
    rows = []
    for o in outputs:
        share = o["kind"] == "share_of_dose"
        units = "% of dose" if share else "of dose" if o["unit"] == "1" else pp.pretty_units(o["unit"])
        rows.append((o["label"], units, lambda s, o=o, k=PERCENT if share else 1.0: k * pp.output_value(s, o)))
    last_share = max((i for i, o in enumerate(outputs) if o["kind"] == "share_of_dose"), default=-1)
    rows.insert(last_share + 1, ("in skin (SC+VE+dermis)", "% of dose", lambda s: PERCENT * pp.scenario_series(s, "skin")[-1]))
    scen = run["scenarios"]
    head = "".join(f"<th>{html.escape(s['name'])}</th>" for s in scen)
    sc = by_name(run)
    both = "intact" in sc and "treated" in sc
    out = [f"<table><tr><th>at {fmt(scen[0]['time_h'][-1])} h</th><th>units</th>{head}"
           + ("<th>treated / intact</th>" if both else "") + "</tr>"]
    for label, units, f in rows:
        vals = [f(s) for s in scen]
        cells = "".join(f"<td>{fmt(v, 4)}</td>" for v in vals)
        extra = ""
        if both and units in ("% of dose", "µg/cm²", "µg/cm²/h"):
            a, b = f(sc["treated"]), f(sc["intact"])
            extra = f"<td>{fmt(a / b) if b else '–'}</td>"
        elif both:
            extra = "<td></td>"
        out.append(f"<tr><td>{html.escape(label)}</td><td>{units}</td>{cells}{extra}</tr>")
    out.append("</table>")
    return "\n".join(out)


def reference_table(intact, run, log_kow, treated=None):
    """The intact baseline against the rule of thumb and the measured values of VALIDATION.md."""
    t_end = float(intact["time_h"][-1])
    mine = kow_class(log_kow)
    up, dd = PERCENT * pp.scenario_series(intact, "uptake")[-1], PERCENT * pp.scenario_series(intact, "dermal_delivery")[-1]
    rule = RULE_OF_THUMB
    verdict = lambda v: ("inside" if rule["low"] <= v <= rule["high"] else  # noqa: E731
                         f"{v / rule['high']:.2g}× its top" if v > rule["high"] else f"{v / rule['low']:.2g}× its bottom")
    out = ["<table><tr><th>reference</th><th>conditions</th><th>measured</th><th>this run, intact</th>"
           "<th>run / measured</th><th>similar active?</th><th>source</th></tr>",
           f"<tr><td>rule of thumb</td><td>any serum</td><td>{rule['low']:g}–{rule['high']:g} % gets in</td>"
           f"<td>uptake {fmt(up)} %; dermal delivery {fmt(dd)} % at {t_end:g} h</td>"
           f"<td>uptake {verdict(up)}; dermal delivery {verdict(dd)}</td><td>–</td>"
           f"<td>{html.escape(rule['source'])}</td></tr>"]
    # Only measurements of the same active under comparable conditions (data/measurements/,
    # tools/poreflux_measurements.py), each in its own category at its own time.
    dose = float(run.get("applied_ug_per_cm2", np.nan))
    infinite = 'dose = "infinite"' in run.get("resolved_toml", "")
    matches = pm.comparable(run.get("compound"), infinite, bool(run["in_vivo"]), dose, t_end)
    for e in matches:
        t = e["time_h"]
        frac = float(np.interp(t, intact["time_h"], pp.scenario_series(intact, e["quantity"])))
        value, unit = re.match(r"\s*([-+0-9.eE]+)\s*(.*)$", e["measured"]).groups()
        v = PERCENT * frac if unit.strip() == "%" else frac * dose
        out.append(f"<tr><td>{html.escape(e['compound'])}</td><td>{html.escape(e['file'])}: {html.escape(e['label'])}</td>"
                   f"<td>{html.escape(e['quantity'])} {html.escape(e['measured'])} at {t:g} h</td>"
                   f"<td>{html.escape(e['quantity'])} {fmt(v)} {html.escape(unit.strip())}</td>"
                   f"<td>{fmt(v / float(value))}</td><td>same active and conditions</td>"
                   f"<td>{html.escape(e['reference'])} ({html.escape(e['read'])})</td></tr>")
    if not matches:
        out.append(f"<tr><td colspan='7'>No comparable measurement in data/measurements/ for "
                   f"{html.escape(run.get('compound') or 'this active')} ({'infinite' if infinite else 'finite'} dose, "
                   f"{'in vivo' if run['in_vivo'] else 'in vitro'}, {fmt(dose)} µg/cm²): a measurement counts only for "
                   f"the same active, dose mode and setting, a dose within {pm.DOSE_FACTOR:g}×, and its own category "
                   f"(`poreflux qualify` scores them all).</td></tr>")
    if treated is not None:
        for r in [r for r in ENHANCEMENT_REFERENCES if (run.get("compound") or "").lower().startswith(r["active"].split()[0])]:
            a = float(treated["summary"].get("flux_max_ug_per_cm2_h", np.nanmax(treated["flux"])))
            b = float(intact["summary"].get("flux_max_ug_per_cm2_h", np.nanmax(intact["flux"])))
            e = a / b if b > 0 else np.nan
            similar = kow_class(r["log_kow"])
            sim_text = ("yes" if similar == mine else "no") + f" ({similar}, log Kow {r['log_kow']:g})" if mine else similar
            out.append(f"<tr><td>{html.escape(r['active'])} (microneedles)</td><td>{html.escape(r['conditions'])}</td>"
                       f"<td>{html.escape(r['measured'])}</td><td>treated / intact peak flux {fmt(e)}</td>"
                       f"<td>{fmt(e / r['value'])}</td><td>{sim_text}</td><td>{html.escape(r['source'])}</td></tr>")
    out.append("</table>")
    kow = f"log Kow {log_kow:g}, {mine}" if mine else "log Kow unknown"
    out.append(f"<p class='note'>This run's active: {html.escape(run['compound'] or '?')} ({kow}). "
               "Measurements from data/measurements/ (the qualification suite, docs/VALIDATION.md), compared "
               "in the category the study measured (OECD TG 428 / SCCS words, MODEL.md §6).</p>")
    return "\n".join(out)


def report_run(f, path):
    run = pp.read_run(f, str(path))
    figures = [("overview", run_overview_figure(run))]
    sl = run_slices_figure(run)
    if sl is not None:
        figures.append(("slices", sl))
    sc = by_name(run)
    intact = sc.get("intact", run["scenarios"][0])
    sections = [("Summary", run_summary_table(run)),
                ("Intact baseline against quoted and measured figures",
                 reference_table(intact, run, run.get("log_kow"), sc.get("treated")))]
    facts = {"kind": "run", "title": run["title"], "compound": run["compound"],
             "applied dose": f"{fmt(run['applied_ug_per_cm2'])} µg/cm²", "duration": f"{fmt(run['duration_h'])} h",
             "setting": "in vivo (bottom boundary: dermal clearance into “systemic”)" if run["in_vivo"]
             else "in vitro (bottom boundary: receptor sink, “permeated”)",
             "poreflux": run["version"], "backend": run["backend"]}
    notes = list(run["warnings"])
    return run["title"] or str(path), facts, sections, figures, notes


# ----------------------------------------------------------------------------------------------
# Sweep and population files
# ----------------------------------------------------------------------------------------------

def read_table(f):
    import h5py

    t = f.get("table")
    if not isinstance(t, h5py.Group):
        raise pp.BadFile("no /table group")
    cols = [c for c in pp.text_attr(t, "columns").split("\n") if c] or list(t.keys())
    table, units = {}, {}
    for c in cols:
        if c not in t:
            continue
        ds = t[c]
        v = ds[()]
        if v.dtype.kind in ("O", "S", "U"):
            v = np.array([x.decode("utf-8", "replace") if isinstance(x, bytes) else str(x) for x in v], dtype=object)
        else:
            v = np.asarray(v, dtype=float)
        table[c] = v
        units[c] = pp.text_attr(ds, "units", "")
    axes = [a for a in pp.text_attr(t, "axes").split("\n") if a and a in table]
    return table, units, axes


def is_numeric(col):
    return col.dtype.kind == "f"


def axis_label(name, units):
    u = units.get(name, "")
    return f"{name} ({pp.pretty_units(u)})" if u and u != "1" else name


def table_rows(table, scenario):
    return np.nonzero(np.asarray(table["scenario"]) == scenario)[0] if "scenario" in table else np.array([], int)


# The sweep's line plot draws each output the program samples in its own line style.
LINE_STYLES = ["-", "--", ":", "-."]
LINE_STYLE_WORDS = {"-": "solid", "--": "dashed", ":": "dotted", "-.": "dash-dot"}

# A heat map's colours span at least this relative width around the values' middle: a spread
# narrower than that (11 150 to 11 500 is 3 %) is drawn as the near-flat field it is, not
# stretched over the whole colour map as if the axis had a strong effect.
FLAT_SPAN = 0.2


def heatmap_scale(Z):
    """The colour norm of a heat map and the words that say its spread ("spread 3.1 % of the
    middle value; colour scale ±10 % of it" when the spread is narrower than FLAT_SPAN)."""
    import matplotlib.colors as mcolors

    v = Z[np.isfinite(Z)]
    if v.size == 0:
        return None, ""
    lo, hi = float(v.min()), float(v.max())
    middle = 0.5 * (lo + hi)
    relative = (hi - lo) / abs(middle) if middle != 0 else float("inf")
    words = f"spread {100 * relative:.2g} % of the middle value" if np.isfinite(relative) else "spread: values about 0"
    if np.isfinite(relative) and relative < FLAT_SPAN and middle != 0:
        half = 0.5 * FLAT_SPAN * abs(middle)
        return mcolors.Normalize(middle - half, middle + half), words + f"; colour scale ±{50 * FLAT_SPAN:.0f} % of it"
    return mcolors.Normalize(lo, hi), words


def heatmap_metrics(table):
    """(column, words, scale) of each heat map of a sweep over two axes, those `table` has."""
    # The outputs the program samples over time (shares of the dose, `poreflux layout --json`),
    # the headline first: their treated / intact ratios, then their treated values.
    sampled = pp.headline_first(pp.sampled_outputs())
    ratios = [(r["enhancement_column"], f"Enhancement of {r['words']}, treated / intact (1)", 1.0)
              for r in sampled if r["enhancement_column"]]
    shares = [(r["output"], f"Treated {r['words']} (% of dose)", PERCENT) for r in sampled]
    metrics = ratios + shares
    # Figures at a report_at time (e.g. "_at_4h") come first: at the end of a long study
    # everything may have got in, and the time asked about is what tells the cases apart.
    at = pp.report_times(table, sampled)
    if at:
        t = at[0]
        timed = [r for r in sampled if r["enhancement_at_time_column"]]
        metrics = ([(pp.at_time_column(r["enhancement_at_time_column"], t),
                     f"Enhancement of {r['words']} at {t[:-1]} h (1)", 1.0) for r in timed]
                   + [(pp.at_time_column(r["at_time_column"], t), f"Treated {r['words']} at {t[:-1]} h (% of dose)",
                       PERCENT) for r in timed]
                   + [(f"fraction_{c}_at_{t}", f"Treated {pp.nice_name(c)} at {t[:-1]} h (% of dose)", PERCENT)
                      for c in pp.report_time_compartments_shown()]
                   + ratios[:1] + shares[:1])
    return [m for m in metrics if m[0] in table]


def sweep_heatmaps(fig, table, units, axes):
    """Heat maps over the first two numeric axes (others fixed at the first value of each)."""
    num = [a for a in axes if is_numeric(table[a])]
    ax_x, ax_y = num[0], num[1]
    rows = table_rows(table, "treated")
    if rows.size == 0:
        rows = np.arange(len(table[ax_x]))
    for other in [a for a in axes if a not in (ax_x, ax_y)]:
        first = table[other][rows][0]
        rows = rows[table[other][rows] == first]
    xs = np.unique(table[ax_x][rows])
    ys = np.unique(table[ax_y][rows])
    metrics = heatmap_metrics(table)
    ncols = min(4, len(metrics))
    grid = fig.subplots((len(metrics) + ncols - 1) // ncols, ncols, squeeze=False).ravel()
    for ax in grid[len(metrics):]:
        ax.set_visible(False)
    for ax, (key, words, scale) in zip(grid, metrics):
        Z = np.full((len(ys), len(xs)), np.nan)
        for r in rows:
            i = int(np.searchsorted(xs, table[ax_x][r]))
            j = int(np.searchsorted(ys, table[ax_y][r]))
            Z[j, i] = scale * table[key][r]
        norm, span_words = heatmap_scale(Z)
        m = ax.imshow(Z, origin="lower", aspect="auto", cmap="viridis", norm=norm)
        for j in range(len(ys)):
            for i in range(len(xs)):
                if np.isfinite(Z[j, i]):
                    ax.text(i, j, f"{Z[j, i]:.3g}", ha="center", va="center", fontsize=7,
                            color="white" if m.norm(Z[j, i]) < 0.6 else "black")
        ax.set_xticks(range(len(xs)), [f"{v:g}" for v in xs])
        ax.set_yticks(range(len(ys)), [f"{v:g}" for v in ys])
        ax.set_xlabel(axis_label(ax_x, units))
        ax.set_ylabel(axis_label(ax_y, units))
        ax.set_title(words.split(" (")[0] + "\n" + span_words, fontsize="medium")
        fig.colorbar(m, ax=ax, shrink=0.85, label=words)
        panel(ax, "sweep_heatmap")
    fixed = [a for a in axes if a not in (ax_x, ax_y)]
    if fixed:
        fig.suptitle("other axes fixed at their first value: " + ", ".join(fixed), fontsize="small")


def sweep_lines(fig, table, units, axis):
    grid = fig.subplots(1, 3, squeeze=False)[0]
    sampled = pp.sampled_outputs()  # the shares of the dose the program samples, one line style each
    x_all = table[axis]
    for scen, style in (("intact", "-"), ("treated", "--")):
        rows = table_rows(table, scen)
        if rows.size == 0:
            continue
        order = rows[np.argsort(x_all[rows])]
        c = pp.SCENARIO_COLOURS[scen]
        for r, style in zip(sampled, LINE_STYLES):
            if r["output"] not in table:
                continue
            y = PERCENT * table[r["output"]][order]
            grid[0].plot(x_all[order], y, marker="o", color=c, linestyle=style)
            pp.end_label(grid[0], x_all[order], y, f"{scen}, {r['words']}", c)
        if "permeated" in table:
            y = table["permeated"][order]
            grid[2].plot(x_all[order], y, marker="o", color=c)
            pp.end_label(grid[2], x_all[order], y, scen, c)
    rows = table_rows(table, "treated")
    if rows.size:
        order = rows[np.argsort(x_all[rows])]
        for r in pp.headline_first(sampled):
            key = r["enhancement_column"]
            if key and key in table:
                grid[1].plot(x_all[order], table[key][order], marker="o", color=pp.ratio_colour(key))
                pp.end_label(grid[1], x_all[order], table[key][order], r["words"], pp.ratio_colour(key))
        grid[1].axhline(1.0, color="0.6", linewidth=0.8, linestyle=":")
    shown = " and ".join(f"{r['words']} ({LINE_STYLE_WORDS[style]})" for r, style in zip(sampled, LINE_STYLES))
    titles = [shown[:1].upper() + shown[1:], "Enhancement, treated / intact", "Permeated / systemic at the end"]
    ylabels = ["Amount (% of applied dose)", "Enhancement ratio (1)",
               f"Q at the end ({pp.pretty_units(units.get('permeated', 'ug/cm2'))})"]
    for ax, t, yl, kind in zip(grid, titles, ylabels, ("sweep_delivery", "sweep_enhancement", "sweep_permeated")):
        ax.set_title(t, fontsize="medium")
        ax.set_xlabel(axis_label(axis, units))
        ax.set_ylabel(yl)
        panel(ax, kind)


def case_names(table, rows):
    col = "label" if "label" in table else ("case" if "case" in table else None)
    return [str(table[col][r]) if col else str(r) for r in rows]


def sweep_bars(fig, table, units, axis):
    """A case list (e.g. actives): grouped bars intact vs treated per case."""
    grid = fig.subplots(1, len(pp.sampled_outputs()) + 1, squeeze=False)[0]
    key_col = axis if axis else ("case" if "case" in table else "label")
    t_rows = table_rows(table, "treated")
    i_rows = table_rows(table, "intact")
    cases = []
    for r in list(i_rows) + list(t_rows):
        c = table["case"][r] if "case" in table else table[key_col][r]
        if c not in cases:
            cases.append(c)
    def row_of(case, scen):
        for r in table_rows(table, scen):
            if (table["case"][r] if "case" in table else table[key_col][r]) == case:
                return r
        return None
    labels = []
    for c in cases:
        r = row_of(c, "treated")  # the case's own label (an intact row may name its shared baseline)
        r = r if r is not None else row_of(c, "intact")
        labels.append(str(table[key_col][r]) if key_col in table else str(c))
    x = np.arange(len(cases))
    # One panel per share of the dose the program samples (`poreflux layout --json`), then the ratios.
    sampled = pp.sampled_outputs()
    for ax, r in zip(grid, sampled):
        key, words = r["output"], r["words"][:1].upper() + r["words"][1:]
        for k, scen in enumerate(("intact", "treated")):
            v = [PERCENT * table[key][i] if (i := row_of(c, scen)) is not None and key in table else np.nan
                 for c in cases]
            ax.bar(x + (k - 0.5) * 0.4, v, 0.4, color=pp.SCENARIO_COLOURS[scen], label=scen)
        ax.set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
        ax.set_ylabel(f"{words} (% of applied dose)")
        ax.set_title(f"{words}, intact vs treated", fontsize="medium")
        pp.legend_outside(ax)
    ratios = [r for r in sampled if r["enhancement_column"]]
    width = 0.8 / max(1, len(ratios))
    for k, r in enumerate(ratios):
        key = r["enhancement_column"]
        v = [table[key][i] if (i := row_of(c, "treated")) is not None and key in table else np.nan for c in cases]
        grid[-1].bar(x + (k - 0.5 * (len(ratios) - 1)) * width, v, width, color=pp.ratio_colour(key), label=r["words"])
    grid[-1].axhline(1.0, color="0.6", linewidth=0.8, linestyle=":")
    grid[-1].set_xticks(x, labels, rotation=30, ha="right", fontsize=8)
    grid[-1].set_ylabel("Enhancement, treated / intact (1)")
    grid[-1].set_title("Enhancement ratio", fontsize="medium")
    pp.legend_outside(grid[-1])
    kinds = ["sweep_" + (r["enhancement_key"] or r["output"]) for r in sampled] + ["sweep_enhancement"]
    for ax, kind in zip(grid, kinds):
        ax.set_xlabel(key_col if key_col != "label" else "case")
        panel(ax, kind)


def sweep_mass_balance(ax, table):
    """Stacked bars of fraction_<compartment> at the end, one per case x scenario."""
    comps = [c[len("fraction_"):] for c in table if c.startswith("fraction_")]
    order = {n: k for k, n in enumerate(pp.COMPARTMENTS)}
    comps = sorted([c for c in comps if np.any(table["fraction_" + c] != 0)], key=lambda n: order.get(n, 99))
    n = len(next(iter(table.values())))
    names = [f"{lab}, {sc}" for lab, sc in zip(case_names(table, range(n)),
                                                table["scenario"] if "scenario" in table else [""] * n)]
    bottom = np.zeros(n)
    for c in comps:
        v = PERCENT * np.asarray(table["fraction_" + c], dtype=float)
        ax.barh(np.arange(n), v, left=bottom, color=pp.COMPARTMENT_COLOURS.get(c, "0.5"), label=compartment_label(c))
        bottom += v
    ax.set_yticks(np.arange(n), names, fontsize=7)
    ax.set_ylabel("Case, scenario")
    ax.invert_yaxis()
    ax.set_xlabel("Share of the dose at the end (% of applied dose)")
    ax.set_title("Mass balance of each case at the end", fontsize="medium")
    pp.legend_outside(ax, title="compartment", title_fontsize=8)
    panel(ax, "sweep_mass_balance")


def sweep_table_html(table, units, axes):
    show = ["label", "scenario"] + [a for a in axes if a not in ("label", "scenario")] + \
           [c for c in pp.table_output_columns() if c in table]
    show = [c for c in show if c in table]
    head = "".join(f"<th>{html.escape(c)}" + (f"<br><small>{html.escape(pp.pretty_units(units.get(c, '')))}</small>"
                                               if units.get(c) else "") + "</th>" for c in show)
    n = len(next(iter(table.values())))
    rows = []
    for r in range(n):
        cells = "".join(f"<td>{fmt(table[c][r], 4) if is_numeric(table[c]) else html.escape(str(table[c][r]))}</td>"
                        for c in show)
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><tr>{head}</tr>{''.join(rows)}</table>"


def sweep_figures(table, units, axes, grid_axes):
    """The figures of a sweep's results table (columns by name, their units, the axes): heat maps
    over two numeric grid axes, lines over one, bars per case otherwise, and the mass balance.
    Also drawn by the Python module (poreflux.plot.sweep)."""
    # Heat maps and lines need axes of a grid ([[sweep.axis]]); the keys an explicit case list
    # sets (`grid_axes` leaves them out) are shown as one bar group per case instead.
    num = [a for a in grid_axes if is_numeric(table[a])]
    figs = []
    if len(num) >= 2:
        rows = (len(heatmap_metrics(table)) + 3) // 4  # four to a row (sweep_heatmaps)
        fig = new_figure(5.0 * 4 + 1, 4.8 * max(1, rows))
        sweep_heatmaps(fig, table, units, axes)
        figs.append(("sweep", fig))
    elif len(num) == 1:
        fig = new_figure(18, 5.2)
        sweep_lines(fig, table, units, num[0])
        pp.place_end_labels(fig)
        figs.append(("sweep", fig))
    else:
        fig = new_figure(6 * (len(pp.sampled_outputs()) + 1), 5.4)
        sweep_bars(fig, table, units, (grid_axes or axes or [None])[0])
        figs.append(("sweep", fig))
    if any(c.startswith("fraction_") for c in table):
        n = len(next(iter(table.values())))
        fig = new_figure(11, 1.2 + 0.28 * n)
        sweep_mass_balance(panel(fig.subplots(1, 1), "sweep_mass_balance"), table)
        figs.append(("mass_balance", fig))
    return figs


def report_sweep(f, path):
    table, units, axes = read_table(f)
    grid_axes = [a for a in pp.text_attr(f["table"], "grid_axes", "\n".join(axes)).split("\n") if a in table]
    figs = sweep_figures(table, units, axes, grid_axes)
    title = pp.text_attr(f, "title") or str(path)
    intact = table_rows(table, "intact")
    sections = [("Results table (one row per case × scenario)", sweep_table_html(table, units, axes))]
    # The intact shares of the dose the program samples, over the cases, against the rule of thumb.
    shares = [(r["words"], PERCENT * table[r["output"]][intact]) for r in pp.sampled_outputs() if r["output"] in table]
    if intact.size and shares:
        sections.append(("Intact baseline against quoted and measured figures", sweep_reference_html(shares)))
    facts = {"kind": "sweep", "title": title, "cases": pp.text_attr(f, "n_cases", len(f.get("cases", {}))),
             "axes": ", ".join(axes) or "(case list)", "poreflux": pp.text_attr(f, "poreflux_version")}
    return title, facts, sections, figs, []


def sweep_reference_html(shares):
    """`shares`: (words, the intact cases' values in %) of each output set against the rule."""
    rule = RULE_OF_THUMB
    ranges = "; ".join(f"{words} {fmt(np.nanmin(v))}–{fmt(np.nanmax(v))} %" for words, v in shares)
    rows = [f"<tr><td>rule of thumb</td><td>{rule['low']:g}–{rule['high']:g} % gets in</td>"
            f"<td>{ranges} (over the cases)</td><td>{html.escape(rule['source'])}</td></tr>"]
    return ("<table><tr><th>reference</th><th>quoted</th><th>this sweep, intact</th><th>source</th></tr>"
            + "".join(rows) + "</table><p class='note'>Measurements are compared only with a run of the same "
            "active and conditions (the run report; `poreflux qualify` scores the suite).</p>")


def read_population(f):
    import h5py

    p = f.get("population")
    if not isinstance(p, h5py.Group):
        raise pp.BadFile("no /population group")
    strs = lambda ds: [x.decode() if isinstance(x, bytes) else str(x) for x in ds[()]]  # noqa: E731
    pop = {"time_h": p["time_h"][()], "percentile": np.asarray(p["percentile"][()], dtype=float), "bands": {}}
    for scen in ("intact", "treated"):
        if scen in p:
            for key in (r["output"] for r in pp.sampled_outputs()):
                if key in p[scen]:
                    pop["bands"][(scen, key)] = np.asarray(p[scen][key][()], dtype=float)
    for key, _, _ in pp.enhancement_columns():
        if key in p:
            pop["bands"][("enhancement", key)] = np.asarray(p[key][()], dtype=float)
    if "inputs" in p:
        i = p["inputs"]
        pop["inputs"] = {"name": strs(i["name"]), "units": strs(i["units"]) if "units" in i else None,
                         "samples": np.asarray(i["samples"][()], dtype=float) if "samples" in i else None}
    if "sensitivity" in p:
        s = p["sensitivity"]
        pop["sensitivity"] = {"input": strs(s["input"]), "output": strs(s["output"]),
                              "spearman": np.asarray(s["spearman"][()], dtype=float),
                              "prcc": np.asarray(s["prcc"][()], dtype=float) if "prcc" in s else None,
                              "method": pp.text_attr(s, "method")}
    return pop


def band_rows(pop):
    pct = pop["percentile"]
    lo, mid, hi = (int(np.argmin(np.abs(pct - q))) for q in (5, 50, 95))
    return lo, mid, hi, pct


def plot_bands(ax, pop, items, scale, ylabel, title):
    lo, mid, hi, pct = band_rows(pop)
    t = pop["time_h"]
    labels = []
    for key, colour, label in items:
        b = pop["bands"].get(key)
        if b is None:
            continue
        ax.fill_between(t, scale * b[lo], scale * b[hi], color=colour, alpha=0.22, linewidth=0)
        ax.plot(t, scale * b[mid], color=colour)
        labels.append((t, scale * b[mid], label, colour))
    values = np.concatenate([scale * pop["bands"][k].ravel() for k, _, _ in items if k in pop["bands"]] or [[]])
    values = values[np.isfinite(values) & (values > 0)]
    log = values.size and values.max() > 20.0 * values.min()
    if log:  # e.g. enhancement ratios from ~1 to 1000 across a population
        ax.set_yscale("log")
        # Down to six decades below the top, or lower if a median goes there: the first traces
        # of an active reaching the dermis go down to 1e-20 % and would squeeze what matters
        # into the top of the panel; the median lines stay in view whatever their range.
        medians = np.concatenate([m[np.isfinite(m) & (m > 0)] for _, m, _, _ in labels] or [[]])
        floor = values.max() * 1e-6
        if medians.size:
            floor = min(floor, medians.min())
        ax.set_ylim(max(values.min(), floor) / 2.0, values.max() * 2.0)
    ax.set_xlabel("Time (h)")
    ax.set_ylabel(ylabel[:-1] + ", log)" if log else ylabel)
    ax.set_title(f"{title}: median, {pct[lo]:g}–{pct[hi]:g} % band", fontsize="medium")
    for args in labels:
        pp.end_label(ax, *args)


def population_figures(pop):
    figs = []
    # One panel per output the program samples over time (poreflux layout --json), then their
    # enhancement ratios.
    sampled = pp.sampled_outputs()
    fig = new_figure(6.0 * (len(sampled) + 1), 5.2)
    grid = fig.subplots(1, len(sampled) + 1)
    c = pp.SCENARIO_COLOURS
    for ax, r in zip(grid, sampled):
        words = r["words"][0].upper() + r["words"][1:]
        plot_bands(panel(ax, "population_" + (r["enhancement_key"] or r["output"])), pop,
                   [((scen, r["output"]), c[scen], scen) for scen in ("intact", "treated")],
                   PERCENT, f"{words} (% of applied dose)", words)
    plot_bands(panel(grid[-1], "population_enhancement"), pop,
               [(("enhancement", column), pp.ratio_colour(column), words) for column, words, _ in pp.enhancement_columns()],
               1.0, "Enhancement, treated / intact (1)", "Enhancement")
    grid[-1].axhline(1.0, color="0.6", linewidth=0.8, linestyle=":")
    if not any(k[0] == "enhancement" for k in pop["bands"]):
        grid[-1].text(0.5, 0.5, "no treated scenario", transform=grid[-1].transAxes, ha="center")
    pp.place_end_labels(fig)
    figs.append(("population", fig))
    s = pop.get("sensitivity")
    if s is not None and s["spearman"].size:
        # Three outputs, those a reader asks about first: the headline output (dermal delivery)
        # treated, intact and their ratio at the latest sensitivity time, then the others at that time.
        names = [str(o) for o in s["output"]]
        latest = names[-1].rsplit(" at ", 1)[-1] if names else ""
        first = pp.headline_first(pp.sampled_outputs())[0]
        wanted = [f"{w} at {latest}" for w in (f"treated {first['output']}", f"intact {first['output']}",
                                               first["enhancement_column"])]
        shown = [names.index(w) for w in wanted if w in names]
        shown += [i for i, n in enumerate(names) if i not in shown and n.endswith(" at " + latest)]
        shown += [i for i in range(len(names)) if i not in shown]
        shown = shown[:3]
        K = len(shown)
        M = len(s["input"])
        fig = new_figure(6.2 * K + 1, 1.6 + 0.42 * M)
        axs = fig.subplots(1, K, squeeze=False)[0]
        for k, ax in zip(shown, axs):
            rho = s["spearman"][k]
            # Ranked as the command line ranks them: by |PRCC| (NaN last), else by |Spearman|.
            key = np.abs(s["prcc"][k]) if s["prcc"] is not None else np.abs(rho)
            order = np.argsort(-np.nan_to_num(key, nan=-1.0), kind="stable")
            y = np.arange(M)
            h = 0.4 if s["prcc"] is not None else 0.7
            ax.barh(y - (h / 2 if s["prcc"] is not None else 0), rho[order], h, color="#3182bd",
                    label="Spearman ρ")
            if s["prcc"] is not None:
                ax.barh(y + h / 2, s["prcc"][k][order], h, color="#fd8d3c", label="partial rank (PRCC)")
            ax.set_yticks(y, [s["input"][i] for i in order], fontsize=8)
            ax.set_ylabel("Input (ranked)")
            ax.invert_yaxis()
            ax.axvline(0, color="0.4", linewidth=0.8)
            ax.set_xlim(-1.05, 1.05)
            ax.set_xlabel("Rank correlation with the output (1)")
            ax.set_title(s["output"][k], fontsize="medium")
            panel(ax, "sensitivity")
        pp.legend_outside(axs[-1])
        ranked_by = "|PRCC| (partial rank correlation)" if s["prcc"] is not None else "|Spearman ρ|"
        fig.suptitle(f"Sensitivity over the subjects: inputs ranked by {ranked_by}", fontsize="medium")
        figs.append(("sensitivity", fig))
    return figs


def population_tables(pop):
    lo, mid, hi, pct = band_rows(pop)
    rows = []
    words = {r["output"]: (r["words"], "% of dose", PERCENT) for r in pp.sampled_outputs()}
    words.update({column: (f"enhancement of {w}", "1", 1.0) for column, w, _ in pp.enhancement_columns()})
    for (scen, key), b in pop["bands"].items():
        w, u, sc = words.get(key, (key, "", 1.0))
        rows.append(f"<tr><td>{html.escape(scen if scen != 'enhancement' else 'treated / intact')}</td>"
                    f"<td>{w}</td><td>{u}</td><td>{fmt(sc * b[lo][-1])}</td><td>{fmt(sc * b[mid][-1])}</td>"
                    f"<td>{fmt(sc * b[hi][-1])}</td></tr>")
    t_end = pop["time_h"][-1]
    out = [("Population at the end",
            f"<table><tr><th>scenario</th><th>quantity at {fmt(t_end)} h</th><th>units</th>"
            f"<th>P{pct[lo]:g}</th><th>median</th><th>P{pct[hi]:g}</th></tr>{''.join(rows)}</table>")]
    inp = pop.get("inputs")
    if inp and inp["samples"] is not None:
        rows = []
        for m, name in enumerate(inp["name"]):
            col = inp["samples"][:, m]
            u = inp["units"][m] if inp["units"] else ""
            rows.append(f"<tr><td>{html.escape(name)}</td><td>{html.escape(pp.pretty_units(u))}</td>"
                        f"<td>{fmt(np.percentile(col, 5))}</td><td>{fmt(np.median(col))}</td>"
                        f"<td>{fmt(np.percentile(col, 95))}</td></tr>")
        out.append((f"Sampled inputs ({inp['samples'].shape[0]} samples)",
                    "<table><tr><th>input</th><th>units</th><th>P5</th><th>median</th><th>P95</th></tr>"
                    + "".join(rows) + "</table>"))
    # The intact shares of the dose the program samples, against the rule of thumb.
    intact = [(r["words"], b) for r in pp.sampled_outputs() if (b := pop["bands"].get(("intact", r["output"]))) is not None]
    if intact:
        rule = RULE_OF_THUMB
        said = "; ".join(f"{words} median {fmt(PERCENT * b[mid][-1])} %, P{pct[lo]:g}–P{pct[hi]:g} "
                         f"{fmt(PERCENT * b[lo][-1])}–{fmt(PERCENT * b[hi][-1])} %" for words, b in intact)
        out.append(("Intact baseline against the rule of thumb",
                    f"<p>Intact at {fmt(t_end)} h: {said}; against the {rule['label']} "
                    f"({rule['low']:g}–{rule['high']:g} %; {html.escape(rule['source'])}).</p>"))
    return out


def report_population(f, path):
    pop = read_population(f)
    figs = population_figures(pop)
    title = pp.text_attr(f, "title") or str(path)
    sections = population_tables(pop)
    try:
        table, units, axes = read_table(f)
        sections.append(("Results table (one row per case × scenario)", sweep_table_html(table, units, axes)))
    except pp.BadFile:
        pass
    facts = {"kind": "population", "title": title, "cases": pp.text_attr(f, "n_cases", ""),
             "sensitivity method": pop.get("sensitivity", {}).get("method", ""),
             "poreflux": pp.text_attr(f, "poreflux_version")}
    return title, facts, sections, figs, []


# ----------------------------------------------------------------------------------------------
# Entry points
# ----------------------------------------------------------------------------------------------

def data_bottom(ax):
    """The smallest y of what an axes draws (lines, bars, filled areas), or None if it draws none."""
    lows = []
    for line in ax.get_lines():
        y = np.asarray(line.get_ydata(), dtype=float)
        if y.size and np.any(np.isfinite(y)):
            lows.append(float(np.nanmin(y)))
    for p in ax.patches:
        if hasattr(p, "get_height") and hasattr(p, "get_y"):
            lows.append(min(float(p.get_y()), float(p.get_y() + p.get_height())))
    for c in ax.collections:
        for path in getattr(c, "get_paths", lambda: [])():
            v = path.vertices[:, 1]
            if v.size and np.any(np.isfinite(v)):
                lows.append(float(np.nanmin(v)))
    return min(lows) if lows else None


def zero_based(fig):
    """Amounts, fractions and ratios on a linear y-axis start at zero, so that a flat result looks
    flat (an axis from 1.00 or 175 makes 1 % look steep). Log axes say "log" in their labels
    instead; axes drawn top-down (depth, ranked inputs) and images are left as they are."""
    for ax in fig.axes:
        kind = getattr(ax, "_pf_panel", None)
        if kind is None or kind.startswith("slice") or kind in ("sweep_heatmap", "sensitivity"):
            continue
        if ax.get_yscale() != "linear":
            continue
        lo, hi = ax.get_ylim()
        if lo >= hi:
            continue
        low = data_bottom(ax)
        if low is None or low < 0:
            continue
        if lo != 0.0:
            ax.set_ylim(0.0, hi)
    return fig


def build(path):
    """(title, facts, sections, [(name, figure)], notes) for a result file, any of the three kinds."""
    title, facts, sections, figs, notes = build_unscaled(path)
    for _, fig in figs:
        zero_based(fig)
    return title, facts, sections, figs, notes


def build_unscaled(path):
    import h5py

    try:
        f = h5py.File(path, "r")
    except OSError as e:
        raise pp.BadFile(f"{path} is not a readable HDF5 file ({e})") from None
    with f:
        schema = pp.text_attr(f, "schema", None)
        if schema == pp.RUN_SCHEMA:
            return report_run(f, path)
        if schema == pp.SWEEP_SCHEMA:
            kind = pp.text_attr(f, "kind", "sweep")
            return report_population(f, path) if kind == "population" else report_sweep(f, path)
        found = "no 'schema' attribute" if schema is None else f"schema {schema!r}"
        raise pp.BadFile(f"{path} is neither a {pp.RUN_SCHEMA} nor a {pp.SWEEP_SCHEMA} file ({found})")


def figures(path):
    """The report's matplotlib figures, [(name, Figure)], for tests and notebooks."""
    return build(path)[3]


CSS = """body{font-family:sans-serif;max-width:1500px;margin:1em auto;color:#222}
table{border-collapse:collapse;margin:0.5em 0;font-size:0.85em}td,th{border:1px solid #ccc;padding:2px 6px;
text-align:left;vertical-align:top}th{background:#f3f3f3}img{max-width:100%}.note{font-size:0.85em;color:#555}
dl{display:grid;grid-template-columns:max-content auto;gap:0 1em;font-size:0.9em}dt{font-weight:bold}"""


def write_report(path, output):
    title, facts, sections, figs, notes = build(path)
    output = pathlib.Path(output)
    written, sidecar, imgs = [], {"file": str(path), "kind": facts.get("kind"), "figures": []}, []
    for k, (name, fig) in enumerate(figs):
        png = output.with_suffix(".png") if k == 0 else output.with_name(f"{output.stem}_{name}.png")
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
        png.write_bytes(buf.getvalue())
        written.append(png)
        imgs.append((name, png.name, base64.b64encode(buf.getvalue()).decode("ascii")))
        sidecar["figures"].append({"name": name, "png": png.name, "panels": panels_of(fig)})
        import matplotlib.pyplot as plt

        plt.close(fig)
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
             f"<style>{CSS}</style></head><body><h1>{html.escape(title)}</h1><dl>"]
    for k, v in facts.items():
        parts.append(f"<dt>{html.escape(k)}</dt><dd>{html.escape(str(v))}</dd>")
    parts.append(f"<dt>source file</dt><dd>{html.escape(str(path))}</dd>"
                 f"<dt>report written</dt><dd>{datetime.datetime.now().isoformat(timespec='seconds')}</dd></dl>")
    for heading, body in sections:
        parts.append(f"<h2>{html.escape(heading)}</h2>{body}")
    for name, png, b64 in imgs:
        parts.append(f"<h2>Figure: {html.escape(name.replace('_', ' '))}</h2>"
                     f"<img alt='{html.escape(name)}' src='data:image/png;base64,{b64}'>"
                     f"<p class='note'>Also written as {html.escape(png)}.</p>")
    if notes:
        parts.append("<h2>Warnings of the run</h2><ul>" + "".join(f"<li>{html.escape(n)}</li>" for n in notes) + "</ul>")
    parts.append("</body></html>")
    output.write_text("\n".join(parts), encoding="utf-8")
    side = output.with_suffix(".json")
    side.write_text(json.dumps(sidecar, indent=1), encoding="utf-8")
    return [output] + written + [side]


def main(argv=None):
    parser = argparse.ArgumentParser(description="Write a one-page HTML report (and PNGs) of a poreflux "
                                                 "run, sweep or population file.")
    parser.add_argument("file", type=pathlib.Path, help="poreflux result (.h5)")
    parser.add_argument("-o", "--output", type=pathlib.Path,
                        help="HTML to write (default: <file stem>_report.html beside the file)")
    args = parser.parse_args(argv)
    output = args.output or args.file.with_name(args.file.stem + "_report.html")
    try:
        paths = write_report(args.file, output)
    except pp.BadFile as e:
        print(f"report: error: {e}", file=sys.stderr)
        return 1
    except KeyError as e:
        print(f"report: error: {args.file} lacks part of its layout ({e})", file=sys.stderr)
        return 1
    for p in paths:
        print(f"wrote {p}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
