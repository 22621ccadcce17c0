"""poreflux.calibrate fits the same factors as `poreflux calibrate`, and the calibrated study
carries over to a treated one."""
import pandas as pd
import pytest

import poreflux
from conftest import close

INTACT = ('[compound]\nname = "caffeine"\n[vehicle]\ndose = "infinite"\nconcentration = "10 mg/mL"\n'
          'volume_per_area = "100 uL/cm2"\nph = 7\n[skin]\nsite = "in_vitro_split_thickness"\n'
          '[protocol]\nduration = "8 h"\n')
IVPT = pd.DataFrame({"time_h": [2, 4, 6, 8], "Q_ug_per_cm2": [0.4, 1.6, 2.9, 4.2]})


def test_calibrate_equals_the_cli_and_carries_over(tmp_path, cli):
    (tmp_path / "intact.toml").write_text(INTACT)
    IVPT.to_csv(tmp_path / "ivpt.csv", index=False)
    done = cli("calibrate", "intact.toml", "--ivpt", "ivpt.csv", "--fit", "stratum_corneum.diffusivity",
               "--backend", "cpu", cwd=tmp_path)
    written = (tmp_path / "intact_calibrated.toml").read_text()
    cli_value = float(written.split('target = "stratum_corneum.diffusivity", value = ')[1].split(",")[0])

    study = poreflux.Study.load(tmp_path / "intact.toml")
    fit = poreflux.calibrate(study, ivpt=IVPT, fit=["stratum_corneum.diffusivity"])
    ours = fit.factors.loc["stratum_corneum.diffusivity", "value"]
    assert close(ours, cli_value, rel=1e-9), (ours, cli_value, done.stdout)  # cli_value is printed to 10 digits
    assert len(fit.residuals) == 4 and fit.identifiable

    treated = poreflux.Study.from_toml_string(
        INTACT + '[treatment]\ndevice = "channels"\nchannel_depth = "100 um"\nchannel_diameter = "50 um"\n'
                 'density = "100 /cm2"\nlateral_max_cell = "250 um"\nwall_cell = "10 um"\n',
        str(tmp_path / "treated.toml"), calibration=fit.study)
    sc = treated.parameters().loc["stratum_corneum.diffusivity.calibrated"]
    plain = poreflux.Study.from_toml_string(INTACT).parameters().loc["stratum_corneum.diffusivity", "value"]
    assert sc["value"] == pytest.approx(plain * ours, rel=1e-9)
    assert "calibration" in sc["relation"]
