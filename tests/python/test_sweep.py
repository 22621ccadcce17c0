"""A sweep from Python is `poreflux sweep` on the same plan: the same rows, the same numbers."""
import csv
import math

import pytest

import poreflux
from conftest import ROOT, close
from poreflux.sweep import plan_toml

AXES = {"treatment.channel_depth": ["100 um", "200 um"], "treatment.density": ["50 /cm2", "100 /cm2"]}


def base_study():
    # A coarse unit cell (tests/data/treated_fast.toml) over 2 h: a case takes a fraction of a second.
    return poreflux.Study.load(ROOT / "tests" / "data" / "treated_fast.toml").set("protocol.duration", "2 h")


def test_sweep_equals_cli_sweep_on_the_same_plan(tmp_path, cli):
    study = base_study()
    (tmp_path / "plan.toml").write_text(plan_toml(study, AXES))
    cli("sweep", "plan.toml", "-o", "cli.h5", "--jobs", "2", "-q", "--backend", "cpu", cwd=tmp_path)
    with open(tmp_path / "cli.csv") as f:
        rows = list(csv.DictReader(f))

    ds = poreflux.sweep(study, AXES, jobs=2, backend="cpu", progress=False)
    assert ds.dims["treatment.channel_depth"] == 2 and ds.dims["treatment.density"] == 2
    assert list(ds["scenario"].values) == ["intact", "treated"]
    assert ds["treatment.channel_depth"].attrs["units"] == "um"
    compared = 0
    for row in rows:
        point = ds.sel({"treatment.channel_depth": float(row["treatment.channel_depth [um]"]),
                        "treatment.density": float(row["treatment.density [/cm2]"]), "scenario": row["scenario [1]"]})
        if row["label [1]"].startswith("intact baseline"):  # one intact run shared by every case
            for intact in ds.sel(scenario="intact")["uptake_fraction"].values.ravel():
                assert intact == float(row["uptake_fraction [1]"])
            point = ds.sel(scenario="intact").isel({"treatment.channel_depth": 0, "treatment.density": 0})
        for header, text in row.items():
            name, unit = header.rsplit(" [", 1)
            if name in ("case", "label", "scenario", "baseline") or name in AXES:
                continue
            assert ds[name].attrs["units"] == unit[:-1], name
            ours, theirs = float(point[name].values), float(text)
            assert (math.isnan(ours) and math.isnan(theirs)) or close(ours, theirs), (row["label [1]"], name, ours, theirs)
            compared += 1
    assert compared >= 5 * 20  # every numeric column of every row


def test_sweep_of_a_config_path_runs_its_own_table(tmp_path):
    study = base_study()
    (tmp_path / "plan.toml").write_text(plan_toml(study, {"treatment.channel_depth": ["100 um", "200 um"]}))
    ds = poreflux.sweep(tmp_path / "plan.toml", jobs=1, backend="cpu", progress=False)
    assert list(ds["treatment.channel_depth"].values) == [100.0, 200.0]
    assert ds["uptake_fraction"].sel(scenario="treated").values[1] > ds["uptake_fraction"].sel(scenario="treated").values[0]
    with pytest.raises(ValueError, match="axes"):
        poreflux.sweep(tmp_path / "plan.toml", {"treatment.channel_depth": ["100 um"]})


def test_population_bands_and_sensitivity_equal_the_cli_file(tmp_path, cli):
    """A population from Python carries the CLI file's percentile bands and rank correlations."""
    h5py = pytest.importorskip("h5py")
    config = ROOT / "tests" / "data" / "population_small.toml"
    cli("sweep", str(config), "-o", str(tmp_path / "cli.h5"), "--jobs", "2", "-q", "--backend", "cpu", cwd=tmp_path)
    ds = poreflux.sweep(config, jobs=2, backend="cpu", progress=False)
    bands = [name for name in ds.data_vars if name.startswith("band: ")]
    assert bands, "a population has percentile bands"
    with h5py.File(tmp_path / "cli.h5", "r") as f:
        pop = f["population"]
        assert list(ds["percentile"].values) == list(pop["percentile"][()])
        assert list(ds["time_h"].values) == list(pop["time_h"][()])
        for name in bands:
            band = name[len("band: "):]
            path = band.replace(" ", "/", 1)  # "treated uptake_fraction" -> treated/uptake_fraction
            theirs = pop[path][()]
            ours = ds[name].values
            assert ours.shape == theirs.shape, name
            assert all((math.isnan(a) and math.isnan(b)) or close(a, b) for a, b in zip(ours.ravel(), theirs.ravel())), name
        prcc = [name for name in ds.data_vars if name.startswith("prcc: ")]
        assert prcc, "a population has a sensitivity table"
