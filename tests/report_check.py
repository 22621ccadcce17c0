#!/usr/bin/python3
"""Checks tools/report.py headless on the three kinds of result file.

    /usr/bin/python3 tests/report_check.py POREFLUX DEFAULT.toml TREATED_FAST.toml WORKDIR

1. runs the engine on the default study (intact, in vivo) and on a small treated study;
2. writes synthetic sweep files (two numeric axes; one numeric axis; a case list) and a
   population file with h5py, to the "poreflux-sweep-h5/1" layout, with extra groups, attributes
   and columns a reader must tolerate;
3. writes the report of each and checks: the paths printed exist, the HTML embeds every figure as
   base64 PNG, each figure has the expected panels (the REPORT.json sidecar), and the channel
   slices are centred on the channel (x range symmetric about 0).
Exit status 0 when all holds, 1 otherwise (every problem is listed).
"""
import contextlib
import io
import json
import pathlib
import re
import subprocess
import sys
import time

import h5py
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import report  # noqa: E402

PROBLEMS = []


ZERO_BASED = {"q", "flux", "delivery", "enhancement", "mass_balance_stack", "mass_balance_end",
              "sweep_delivery", "sweep_enhancement", "sweep_permeated", "sweep_uptake",
              "sweep_dermal_delivery", "population_uptake", "population_dermal_delivery",
              "population_enhancement"}


def fail(msg):
    PROBLEMS.append(msg)
    print("FAIL:", msg)


def run_engine(binary, config, out):
    out.unlink(missing_ok=True)
    r = subprocess.run([binary, "run", str(config), "-o", str(out), "--backend", "cpu", "-q", "--force"],
                       capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"engine failed on {config}: {r.stderr[-2000:]}")


def utf8(f):
    return h5py.string_dtype("utf-8")


def column(g, name, values, units, description):
    values = list(values)
    if values and isinstance(values[0], str):
        ds = g.create_dataset(name, data=np.array(values, dtype=object), dtype=h5py.string_dtype("utf-8"))
    else:
        ds = g.create_dataset(name, data=np.asarray(values, dtype=np.float64))
    ds.attrs["units"] = units
    ds.attrs["description"] = description
    return ds


def write_sweep(path, run_file, axes, kind="sweep"):
    """A sweep/population file to the spec: `axes` is {config key: (units, [values])}, the cases
    their product (one numeric or string list each). Every case is a copy of `run_file`."""
    import itertools

    names = list(axes)
    combos = list(itertools.product(*[axes[a][1] for a in names])) if names else [()]
    rng = np.random.default_rng(1)
    comps = ["vehicle", "degraded", "stratum_corneum", "viable_epidermis", "dermis", "receptor", "systemic"]
    with h5py.File(path, "w") as f, h5py.File(run_file, "r") as src:
        f.attrs["schema"] = "poreflux-sweep-h5/1"
        f.attrs["kind"] = kind
        f.attrs["title"] = f"synthetic {kind} for the report test"
        f.attrs["poreflux_version"] = "test"
        f.attrs["n_cases"] = len(combos)
        f.attrs["an_extra_attribute"] = "ignored by readers"
        f.create_group("an_extra_group").attrs["note"] = "a reader must tolerate this"
        cases = f.create_group("cases")
        rows = {k: [] for k in ["case", "label", "scenario", *names, "uptake_fraction", "dermal_delivery_fraction",
                                "permeated", "flux_max", "enhancement_uptake", "enhancement_dermal_delivery",
                                "mass_balance_error", *[f"fraction_{c}" for c in comps], "extra_unlisted"]}
        for n, combo in enumerate(combos):
            cid = f"case_{n:03d}"
            label = ", ".join(f"{a}={v}" for a, v in zip(names, combo)) or cid
            g = cases.create_group(cid)
            for key in src:
                src.copy(src[key], g, name=key)
            for key, val in src.attrs.items():
                g.attrs[key] = val
            g.attrs["label"] = label
            base = {"intact": (0.05 + 0.02 * n, 0.01 + 0.002 * n)}
            factor = 1.0 + sum(float(v) if not isinstance(v, str) else 0.5 * len(v) for v in combo) * 0.7
            base["treated"] = (min(0.95, base["intact"][0] * factor), min(0.9, base["intact"][1] * 3 * factor))
            for scen in ("intact", "treated"):
                up, dd = base[scen]
                rows["case"].append(cid)
                rows["label"].append(label)
                rows["scenario"].append(scen)
                for a, v in zip(names, combo):
                    rows[a].append(v)
                rows["uptake_fraction"].append(up)
                rows["dermal_delivery_fraction"].append(dd)
                rows["permeated"].append(300 * dd * 0.5)
                rows["flux_max"].append(5 * dd)
                rows["enhancement_uptake"].append(up / base["intact"][0])
                rows["enhancement_dermal_delivery"].append(dd / base["intact"][1])
                rows["mass_balance_error"].append(1e-14)
                parts = np.array([1 - up - 0.02, 0.02, up - dd, 0.3 * dd, 0.4 * dd, 0.0, 0.3 * dd])
                for c, v in zip(comps, parts):
                    rows[f"fraction_{c}"].append(float(v))
                rows["extra_unlisted"].append(rng.random())
        t = f.create_group("table")
        units = {"case": "1", "label": "1", "scenario": "1", "uptake_fraction": "1", "dermal_delivery_fraction": "1",
                 "permeated": "ug/cm2", "flux_max": "ug/cm2/h", "enhancement_uptake": "1",
                 "enhancement_dermal_delivery": "1", "mass_balance_error": "1", "extra_unlisted": "1"}
        listed = [k for k in rows if k != "extra_unlisted"]
        for k, v in rows.items():
            u = axes[k][0] if k in axes else units.get(k, "1")
            column(t, k, v, u, f"column {k}")
        t.attrs["columns"] = "\n".join(listed)
        t.attrs["axes"] = "\n".join(names)
        if kind == "population":
            write_population(f, rng)


def write_population(f, rng):
    p = f.create_group("population")
    T, N = 25, 64
    t = np.linspace(0, 24, T)
    p.create_dataset("time_h", data=t).attrs.update(units="h", description="output time")
    p.create_dataset("percentile", data=np.array([5.0, 50.0, 95.0])).attrs.update(units="1", description="percentile")

    def bands(scale):
        s = scale * (1 - np.exp(-t / 6.0))
        return np.stack([0.6 * s, s, 1.5 * s])
    for scen, sc in (("intact", 0.1), ("treated", 0.5)):
        g = p.create_group(scen)
        g.create_dataset("uptake_fraction", data=bands(sc)).attrs.update(units="1", description="uptake")
        g.create_dataset("dermal_delivery_fraction", data=bands(sc / 3)).attrs.update(units="1", description="dd")
    e = np.stack([np.full(T, 3.0), np.full(T, 5.0), np.full(T, 8.0)])
    p.create_dataset("enhancement_uptake", data=e).attrs.update(units="1", description="enh")
    p.create_dataset("enhancement_dermal_delivery", data=2 * e).attrs.update(units="1", description="enh")
    names = ["skin.stratum_corneum.thickness", "treatment.needle_length", "compound.log_kow", "vehicle.ph"]
    i = p.create_group("inputs")
    i.create_dataset("name", data=np.array(names, dtype=object), dtype=h5py.string_dtype("utf-8"))
    i.create_dataset("units", data=np.array(["um", "mm", "1", "1"], dtype=object), dtype=h5py.string_dtype("utf-8"))
    i.create_dataset("samples", data=rng.random((N, len(names))))
    s = p.create_group("sensitivity")
    s.attrs["method"] = "Spearman and PRCC over 64 Latin hypercube samples"
    outputs = ["treated uptake_fraction at 24 h", "enhancement_dermal_delivery at 24 h"]
    s.create_dataset("input", data=np.array(names, dtype=object), dtype=h5py.string_dtype("utf-8"))
    s.create_dataset("output", data=np.array(outputs, dtype=object), dtype=h5py.string_dtype("utf-8"))
    s.create_dataset("spearman", data=np.array([[-0.6, 0.3, 0.1, -0.05], [-0.2, 0.8, 0.02, 0.1]]))
    s.create_dataset("prcc", data=np.array([[-0.7, 0.4, 0.12, -0.04], [-0.3, 0.85, 0.0, 0.15]]))


def check_report(h5, html_path, expected, slices=False):
    """Writes the report in-process (as the CLI does) and checks what it wrote."""
    out = io.StringIO()
    t0 = time.time()
    with contextlib.redirect_stdout(out):
        rc = report.main([str(h5), "-o", str(html_path)])
    took = time.time() - t0
    if rc != 0:
        fail(f"{h5.name}: report exit status {rc}")
        return
    printed = [line.split(" ", 1)[1] for line in out.getvalue().splitlines() if line.startswith("wrote ")]
    for p in printed:
        if not pathlib.Path(p).is_file() or pathlib.Path(p).stat().st_size == 0:
            fail(f"{h5.name}: printed path {p} does not exist or is empty")
    if str(html_path) not in printed:
        fail(f"{h5.name}: the HTML path was not printed ({printed})")
    side = json.loads(html_path.with_suffix(".json").read_text())
    figs = {f["name"]: f for f in side["figures"]}
    text = html_path.read_text()
    images = re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", text)
    if len(images) != len(side["figures"]):
        fail(f"{h5.name}: {len(images)} embedded images, {len(side['figures'])} figures")
    for b in images:
        import base64

        if not base64.b64decode(b[:24] + "=" * (-len(b[:24]) % 4)).startswith(b"\x89PNG"):
            fail(f"{h5.name}: an embedded image is not a PNG")
    for name, want in expected.items():
        if name not in figs:
            fail(f"{h5.name}: figure '{name}' missing (have {sorted(figs)})")
            continue
        kinds = [p["kind"] for p in figs[name]["panels"]]
        for kind, count in want.items():
            got = kinds.count(kind)
            ok = got in count if isinstance(count, range) else got == count
            if not ok:
                fail(f"{h5.name}: figure '{name}' has {got} '{kind}' panels, expected {count}")
        total = sum(want.values()) if all(isinstance(c, int) for c in want.values()) else None
        if total is not None and len(kinds) != total:
            fail(f"{h5.name}: figure '{name}' has {len(kinds)} panels, expected {total} ({kinds})")
        for p in figs[name]["panels"]:
            if not p["xlabel"] or not p["ylabel"]:
                fail(f"{h5.name}: panel '{p['title']}' lacks an axis label")
            # Amounts, fractions and ratios on a linear axis start at zero (a log axis says so in
            # its label instead).
            if p["kind"] in ZERO_BASED and p["yscale"] == "linear" and p["ylim"][0] != 0.0:
                fail(f"{h5.name}: panel '{p['title']}' y-axis starts at {p['ylim'][0]:g}, not 0")
            if p["yscale"] == "log" and "log" not in p["ylabel"] and p["kind"] in ZERO_BASED:
                fail(f"{h5.name}: panel '{p['title']}' has a log y-axis its label does not name")
    for name in set(figs) - set(expected):
        fail(f"{h5.name}: unexpected figure '{name}'")
    if slices:
        for p in figs.get("slices", {}).get("panels", []):
            lo, hi = p["xlim"]
            if not (lo < 0 < hi and abs(lo + hi) <= 1e-6 * (hi - lo)):
                fail(f"{h5.name}: slice panel '{p['title']}' x range {lo:g}..{hi:g} is not centred on the channel")
            if p["kind"] == "slice_top":
                ylo, yhi = sorted(p["ylim"])
                if abs(ylo + yhi) > 1e-6 * (yhi - ylo):
                    fail(f"{h5.name}: top view '{p['title']}' y range {ylo:g}..{yhi:g} is not centred")
    panels = {n: len(f["panels"]) for n, f in figs.items()}
    print(f"{h5.name}: {panels} panels, {len(images)} images embedded, {took:.1f} s")


def main():
    binary, default_cfg, treated_cfg, work = sys.argv[1:5]
    work = pathlib.Path(work)
    work.mkdir(parents=True, exist_ok=True)
    default_h5, treated_h5 = work / "report_default.h5", work / "report_treated.h5"
    t0 = time.time()
    run_engine(binary, default_cfg, default_h5)
    run_engine(binary, treated_cfg, treated_h5)
    print(f"engine runs: {time.time() - t0:.1f} s")

    # The CLI itself, once (headless, prints its paths).
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "report.py"), str(default_h5), "-o",
                        str(work / "cli_default.html")], capture_output=True, text=True,
                       env={"PATH": "/usr/bin:/bin", "HOME": str(work)})
    if r.returncode != 0 or "wrote " not in r.stdout:
        fail(f"report.py CLI failed: {r.returncode} {r.stdout} {r.stderr[-1500:]}")

    check_report(default_h5, work / "default_report.html",
                 {"overview": {"q": 1, "flux": 1, "delivery": 1, "profiles": 1, "mass_balance_stack": 1,
                               "mass_balance_end": 1}})
    with h5py.File(treated_h5, "r") as f:
        depths = f["scenarios/treated/slices/top_view_depth_um"].shape[0]
    check_report(treated_h5, work / "treated_report.html",
                 {"overview": {"q": 1, "enhancement": 1, "flux": 1, "mass_balance_stack": 2, "mass_balance_end": 1,
                               "profiles": 2, "delivery": 1},
                  "slices": {"slice_xz": 4, "slice_top": depths}}, slices=True)

    # The same study on an axisymmetric (r-z) cell: r is mirrored to -r, the top views revolved.
    axi_cfg, axi_h5 = work / "treated_axisymmetric.toml", work / "report_axisymmetric.h5"
    text = pathlib.Path(treated_cfg).read_text()
    if 'domain = "unit_cell"' not in text:
        fail("the treated config no longer names its 3D unit cell (domain = \"unit_cell\")")
    axi_cfg.write_text(text.replace('domain = "unit_cell"', 'domain = "axisymmetric"'))
    run_engine(binary, axi_cfg, axi_h5)
    with h5py.File(axi_h5, "r") as f:
        if f["scenarios/treated/grid"].attrs.get("geometry") != "axisymmetric":
            fail("the axisymmetric variant of the treated config did not run on an r-z cell")
        depths = f["scenarios/treated/slices/top_view_depth_um"].shape[0]
    check_report(axi_h5, work / "axisymmetric_report.html",
                 {"overview": {"q": 1, "enhancement": 1, "flux": 1, "mass_balance_stack": 2, "mass_balance_end": 1,
                               "profiles": 2, "delivery": 1},
                  "slices": {"slice_xz": 4, "slice_top": depths}}, slices=True)

    sweep2 = work / "sweep_2axes.h5"
    write_sweep(sweep2, treated_h5, {"treatment.needle_length": ("mm", [0.25, 0.5, 1.0]),
                                     "treatment.passes": ("1", [2.0, 4.0])})
    check_report(sweep2, work / "sweep_2axes_report.html",
                 {"sweep": {"sweep_heatmap": 4}, "mass_balance": {"sweep_mass_balance": 1}})
    sweep1 = work / "sweep_1axis.h5"
    write_sweep(sweep1, treated_h5, {"treatment.needle_length": ("mm", [0.25, 0.5, 1.0, 1.5])})
    check_report(sweep1, work / "sweep_1axis_report.html",
                 {"sweep": {"sweep_delivery": 1, "sweep_enhancement": 1, "sweep_permeated": 1},
                  "mass_balance": {"sweep_mass_balance": 1}})
    actives = work / "sweep_actives.h5"
    write_sweep(actives, treated_h5, {"compound.name": ("1", ["caffeine", "niacinamide", "retinol"])})
    check_report(actives, work / "sweep_actives_report.html",
                 {"sweep": {"sweep_uptake": 1, "sweep_dermal_delivery": 1, "sweep_enhancement": 1},
                  "mass_balance": {"sweep_mass_balance": 1}})
    population = work / "population.h5"
    write_sweep(population, treated_h5, {"sample": ("1", [0.0, 1.0, 2.0])}, kind="population")
    check_report(population, work / "population_report.html",
                 {"population": {"population_uptake": 1, "population_dermal_delivery": 1,
                                 "population_enhancement": 1},
                  "sensitivity": {"sensitivity": 2}})
    print(f"total {time.time() - t0:.1f} s")
    if PROBLEMS:
        print(f"{len(PROBLEMS)} problem(s)")
        return 1
    print("report: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
