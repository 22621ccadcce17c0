"""Every error class the module raises, with the key named and the CLI's message."""
import pytest

import poreflux
from conftest import ROOT

GOOD = ('[compound]\nname = "caffeine"\n[vehicle]\nconcentration = "10 mg/mL"\nvolume_per_area = "10 uL/cm2"\n'
        '[skin]\nsite = "forearm"\n[protocol]\nduration = "2 h"\n')


def config_error(text):
    with pytest.raises(poreflux.ConfigError) as caught:
        poreflux.Study.from_toml_string(text, "bad.toml")
    return caught.value


def test_config_error_is_a_value_error_with_file_line_and_key():
    e = config_error(GOOD.replace('"2 h"', '"2 parsecs"'))
    assert isinstance(e, ValueError)
    assert (e.file, e.key) == ("bad.toml", "protocol.duration")
    assert e.line == 9
    assert str(e).startswith("bad.toml:9: key 'protocol.duration'")


@pytest.mark.parametrize("text, key", [
    (GOOD + "[protocol2]\nx = 1\n", "protocol2"),                             # unknown table
    (GOOD.replace('name = "caffeine"', 'name = "nicotinamid"'), "compound.name"),  # unknown compound
    (GOOD.replace('site = "forearm"', 'site = "elbow"'), "skin.site"),          # unknown site
    (GOOD.replace("10 mg/mL", "-10 mg/mL"), "vehicle.concentration"),            # out of range
])
def test_config_errors_name_the_key(text, key):
    assert config_error(text).key == key


def test_toml_syntax_error_names_the_line():
    e = config_error(GOOD + "[vehicle\n")
    assert e.line == 10 and "TOML syntax error" in str(e)


def test_missing_file_is_a_config_error_like_the_cli(cli, tmp_path):
    missing = tmp_path / "none.toml"
    with pytest.raises(poreflux.ConfigError) as caught:
        poreflux.Study.load(missing)
    assert caught.value.file == str(missing) and "no such file" in str(caught.value)


def test_set_with_a_bad_key_path_or_value_names_it_and_keeps_the_study():
    s = poreflux.Study.from_toml_string(GOOD)
    with pytest.raises(poreflux.ConfigError) as caught:
        s.set("layer[9].thickness", "10 um")
    assert caught.value.key == "layer[9].thickness"
    with pytest.raises(poreflux.ConfigError) as caught:
        s.set("vehicle.concentration", "3 furlongs")
    assert caught.value.key == "vehicle.concentration"
    assert s.to_toml() == GOOD  # unchanged by the failed sets


def test_message_is_the_cli_message(cli, tmp_path):
    (tmp_path / "bad.toml").write_text(GOOD.replace('"2 h"', '"2 parsecs"'))
    done = cli("validate", "bad.toml", cwd=tmp_path, check=False)
    assert done.returncode == 2
    with pytest.raises(poreflux.ConfigError) as caught:
        poreflux.Study.load(tmp_path / "bad.toml")
    assert str(caught.value).split(": key ", 1)[1] in done.stderr


def test_sweep_with_an_unknown_key_names_it():
    with pytest.raises(poreflux.ConfigError) as caught:
        poreflux.sweep(poreflux.Study.from_toml_string(GOOD), {"vehicle.colour": ["red", "blue"]}, progress=False)
    assert "vehicle.colour" in caught.value.key


def test_unknown_compound_in_the_library_suggests_names():
    with pytest.raises(poreflux.ConfigError, match="did you mean") as caught:
        poreflux.compound("nicotinamid")
    assert caught.value.key == "compound.name"


def test_calibration_errors():
    s = poreflux.Study.from_toml_string(GOOD)
    with pytest.raises(poreflux.ConfigError) as caught:
        poreflux.calibrate(s, measures=["uptake=0.05@1h"], fit=["stratum_corneum.colour"])
    assert caught.value.key == "fit"
    with pytest.raises(poreflux.CalibrationDataError, match="48"):
        poreflux.calibrate(s, measures=["uptake=0.05@48h"])  # beyond the study's 2 h


def test_backend_unavailable_or_selected():
    ok, why = poreflux.cuda_available()
    s = poreflux.Study.from_toml_string(GOOD)
    if ok:
        pytest.skip("a CUDA device is present: test_cuda.py runs on it")
    with pytest.raises(poreflux.BackendUnavailable):
        s.run(backend="cuda", progress=False)
