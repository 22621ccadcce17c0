"""poreflux.calibrate: ``poreflux calibrate`` from Python. Fits multiplicative factors of a
study's parameters (the intact baseline) to an IVPT table or single measured figures, with
the engine's GSL fit; returns the factors, the residuals and the calibrated study (the config
plus its [calibration] table), which a treated study takes as ``calibration=``."""
import os
import tempfile

import pandas as pd

from . import _core
from .study import Study


class Calibration:
    def __init__(self, report, source_name):
        self.factors = pd.DataFrame(report["factors"]).set_index("target") if report["factors"] else pd.DataFrame()
        self.residuals = pd.DataFrame(report["residuals"])
        self.chi2, self.dof, self.r_squared = report["chi2"], report["dof"], report["r_squared"]
        self.status, self.iterations, self.runs = report["status"], report["iterations"], report["runs"]
        self.identifiable, self.identifiability = report["identifiable"], report["identifiability"]
        self.toml = report["calibrated_toml"]
        # The calibrated study; None when the data do not determine the factors.
        self.study = Study.from_toml_string(self.toml, source_name) if self.toml else None

    def save(self, path, force=False):
        """Writes the calibrated study (as ``poreflux calibrate -o PATH``)."""
        if self.toml is None:
            raise ValueError(f"not identifiable: {self.identifiability}; nothing to save")
        path = os.fspath(path)
        if os.path.exists(path) and not force:
            from .errors import OutputRefused
            raise OutputRefused(f"output '{path}' exists; pass force=True to replace it")
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.toml)
        self.study = Study.load(path)
        return path

    def __repr__(self):
        factors = ", ".join(f"{t} = {v:.4g}" for t, v in self.factors["value"].items()) if len(self.factors) else "none"
        return f"<poreflux.Calibration {factors}; chi2 {self.chi2:.4g}, dof {self.dof}>"


def calibrate(study, ivpt=None, measures=(), fit=("stratum_corneum.diffusivity",), backend="cpu"):
    """``ivpt``: a CSV path or a DataFrame with columns time_h, Q_ug_per_cm2[, sd_ug_per_cm2]
    (cumulative permeated); ``measures``: figures such as "uptake=0.05@24h". ``fit``: one or two
    factors. Raises ConfigError for an unknown factor, CalibrationDataError for bad data."""
    fit = [fit] if isinstance(fit, str) else list(fit)
    with tempfile.TemporaryDirectory(prefix="poreflux-ivpt-") as tmp:
        csv, label = "", ""
        if isinstance(ivpt, pd.DataFrame):
            label = f"an IVPT table of {len(ivpt)} rows given in Python"
            csv = os.path.join(tmp, "ivpt.csv")  # read by the engine's own CSV reader
            ivpt.to_csv(csv, index=False)
        elif ivpt is not None:
            csv = os.fspath(ivpt)
        report = _core.calibrate(study._handle, study.to_toml(), study.source_name, fit, csv, list(measures), backend,
                                 os.path.splitext(os.path.basename(study.source_name))[0] + "_calibrated.toml", label)
    return Calibration(report, os.path.splitext(study.source_name)[0] + "_calibrated.toml")
