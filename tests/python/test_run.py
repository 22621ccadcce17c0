"""A module run is the CLI's run: the same summary (to 1e-12 relative), the same HDF5 content
through xarray, and a Study that round-trips through its TOML."""
import json

import numpy as np
import pytest
import xarray as xr

import poreflux
from conftest import ROOT, differences, read_json

CONFIGS = {"default": ROOT / "configs" / "default.toml",          # intact, 24 h, 1D: well under a second
           "treated": ROOT / "tests" / "data" / "treated_fast.toml"}  # intact + 3D unit cell, 4 h: about a second


@pytest.fixture(scope="module")
def runs(tmp_path_factory, cli):
    out = {}
    for name, config in CONFIGS.items():
        d = tmp_path_factory.mktemp(name)
        cli("run", config, "-o", d / "cli.h5", "--summary-json", d / "cli.json", "-q", "--backend", "cpu")
        out[name] = (poreflux.Study.load(config).run(backend="cpu", progress=False), d)
    return out


@pytest.mark.parametrize("name", CONFIGS)
def test_summary_equals_cli_json(runs, name):
    result, d = runs[name]
    cli_summary = read_json(d / "cli.json")
    assert differences(result.summary, cli_summary) == []
    # The same backend (its thread count may differ with the machine's load: EXECUTION_KEYS).
    assert result.summary["backend_description"].split(",")[0] == cli_summary["backend_description"].split(",")[0]
    assert result.summary["scenarios"]["intact"]["uptake_fraction"] == pytest.approx(
        cli_summary["scenarios"]["intact"]["uptake_fraction"], rel=1e-12)


def test_treated_run_has_enhancement_and_warnings(runs):
    result, _ = runs["treated"]
    assert set(result.scenarios) == {"intact", "treated"}
    assert result.enhancement["uptake"] > 1.0  # channels through the SC raise the uptake
    assert {w["code"] for w in result.warnings} == {w["code"] for w in result.study.warnings}
    assert any(w["code"] == "explicit_value_far_from_derived" for w in result.warnings)


@pytest.mark.parametrize("scenario", ["intact", "treated"])
def test_to_xarray_equals_the_cli_file_read_by_xarray(runs, scenario):
    result, d = runs["treated"]
    groups = result.scenarios[scenario].groups()
    assert {"", "amounts", "fractions", "profiles", "grid"} <= set(groups)
    for group in groups:
        ours = result.scenarios[scenario].to_xarray(group)
        path = f"/scenarios/{scenario}" + (f"/{group}" if group else "")
        with xr.open_dataset(d / "cli.h5", group=path, engine="h5netcdf") as theirs:
            assert sorted(ours.variables) == sorted(theirs.variables), group
            assert ours.dims == theirs.dims, group
            for name, v in theirs.variables.items():
                assert ours[name].dims == v.dims, (group, name)
                assert ours[name].attrs.get("units") == v.attrs.get("units"), (group, name)
                if np.issubdtype(v.dtype, np.floating):
                    np.testing.assert_allclose(ours[name].values, v.values, rtol=1e-12, atol=0, err_msg=f"{group}/{name}")
                else:
                    assert np.array_equal(ours[name].values, v.values), (group, name)


def test_save_and_load(runs, tmp_path):
    result, _ = runs["treated"]
    path = result.save(tmp_path / "out.h5")
    assert (tmp_path / "out.xmf").is_file()  # the ParaView sidecar, as poreflux run writes it
    back = poreflux.load(path)
    assert back.summary["scenarios"]["treated"]["uptake_fraction"] == pytest.approx(
        result.summary["scenarios"]["treated"]["uptake_fraction"], rel=1e-12)
    xr.testing.assert_identical(back.scenarios["treated"].to_xarray("amounts"),
                                result.scenarios["treated"].to_xarray("amounts"))
    with pytest.raises(poreflux.OutputRefused, match="exists"):
        result.save(path)  # an existing file is refused, as by the CLI
    result.save(path, force=True)


def test_to_toml_round_trips_and_set_uses_sweep_key_paths():
    s = poreflux.Study.load(CONFIGS["treated"])
    again = poreflux.Study.from_toml_string(s.to_toml(), s.source_name)
    assert again.resolved_toml() == s.resolved_toml()
    s.set("treatment.channel_depth", "200 um").set("layer[2].thickness", "80 um")
    assert s.resolved_toml() != again.resolved_toml()
    back = poreflux.Study.from_toml_string(s.to_toml(), s.source_name)
    assert back.resolved_toml() == s.resolved_toml()
    several = poreflux.Study.load(CONFIGS["treated"]).set({"treatment.channel_depth": "200 um", "layer[2].thickness": "80 um"})
    assert several.resolved_toml() == s.resolved_toml()
    params = s.parameters()
    assert params.loc["viable_epidermis.thickness", "value"] == pytest.approx(80.0)


def test_from_dict_is_the_same_study_as_its_toml():
    config = {"title": "dict study", "compound": {"name": "caffeine"},
              "vehicle": {"concentration": "10 mg/mL", "volume_per_area": "10 uL/cm2", "ph": 7},
              "skin": {"site": "forearm"}, "protocol": {"duration": "2 h"},
              "layer": [{"name": "stratum_corneum", "max_cell": "2 um"}]}
    text = ('title = "dict study"\n[compound]\nname = "caffeine"\n[vehicle]\nconcentration = "10 mg/mL"\n'
            'volume_per_area = "10 uL/cm2"\nph = 7\n[skin]\nsite = "forearm"\n[protocol]\nduration = "2 h"\n'
            '[[layer]]\nname = "stratum_corneum"\nmax_cell = "2 um"\n')
    assert (poreflux.Study.from_dict(config).resolved_toml() ==
            poreflux.Study.from_toml_string(text).resolved_toml())


def test_validate_lists_parameters_grids_and_estimates():
    table = poreflux.Study.load(CONFIGS["treated"]).validate()
    assert {"value", "unit", "relation", "inputs"} <= set(table.columns)
    assert "stratum_corneum.diffusivity" in table.index
    grids = table.attrs["grids"]
    assert list(grids.index) == ["intact", "treated"]
    assert (grids["cells"] == grids["nx"] * grids["ny"] * grids["nz"]).all()
    assert (grids["memory_bytes"] > 0).all() and (grids["estimated_cpu_seconds"] > 0).all()
    assert table.attrs["warnings"]
