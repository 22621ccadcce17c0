#!/usr/bin/python3
"""Predicted against measured, log-log, with the 1:1, 2x and 3x lines: the picture of
`poreflux qualify -o DIR` (DIR/qualification.png). Reads DIR/qualification.csv.

    /usr/bin/python3 tools/plot_qualification.py qualification.csv -o qualification.png
"""
import argparse
import csv
import math

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

MARKERS = {"hydrophilic": "o", "intermediate": "s", "lipophilic": "^"}
COLOURS = {"in vivo": "tab:red", "in vitro": "tab:blue"}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv")
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    with open(args.csv, newline="") as f:
        rows = list(csv.DictReader(f))
    # Each unit is its own kind of number; all are shown as fold against the 1:1 line, so a
    # plot in the endpoint's own units (% of dose, ug/cm2, flux, kp, ratio) shares one frame.
    fig, ax = plt.subplots(figsize=(7.2, 6.4))
    values = []
    seen = set()
    for r in rows:
        m, p = float(r["measured [unit]"]), float(r["predicted [unit]"])
        if not (m > 0 and p > 0 and math.isfinite(p)):
            continue
        values += [m, p]
        key = (r["lipophilicity"], r["setting"])
        label = f"{key[0]}, {key[1]}" if key not in seen else None
        seen.add(key)
        hollow = r["dose"] == "infinite"
        ax.scatter(m, p, marker=MARKERS.get(r["lipophilicity"], "o"), s=42,
                   facecolors="none" if hollow else COLOURS.get(r["setting"], "k"),
                   edgecolors=COLOURS.get(r["setting"], "k"), label=label, zorder=3)
    lo = min(values) / 3 if values else 1e-3
    hi = max(values) * 3 if values else 1e3
    line = [lo, hi]
    ax.plot(line, line, "k-", lw=1, label="1:1")
    for factor, style in ((2, "--"), (3, ":")):
        ax.plot(line, [v * factor for v in line], "k" + style, lw=0.8, label=f"{factor}x")
        ax.plot(line, [v / factor for v in line], "k" + style, lw=0.8)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    ax.set_ylim(lo, hi)
    ax.set_aspect("equal")
    ax.set_xlabel("measured (each endpoint in its own unit: % of dose, ug/cm2, ug/cm2/h, cm/h or ratio)")
    ax.set_ylabel("predicted (same unit)")
    logs = [abs(math.log10(float(r["fold error [1]"]))) for r in rows
            if float(r["fold error [1]"]) > 0 and math.isfinite(float(r["fold error [1]"]))]
    gmfe = 10 ** (sum(logs) / len(logs)) if logs else float("nan")
    ax.set_title(f"poreflux qualification: {len(rows)} endpoints, GMFE {gmfe:.2f}\n"
                 "(filled: finite dose; hollow: infinite dose)", fontsize=10)
    ax.legend(loc="upper left", fontsize=8, frameon=True)
    ax.grid(True, which="major", alpha=0.3)
    fig.tight_layout()
    fig.savefig(args.output, dpi=120)


if __name__ == "__main__":
    main()
