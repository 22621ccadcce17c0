"""poreflux from Python: the same engine as the command line (docs/PYTHON.md).

    import poreflux
    s = poreflux.Study.load("configs/default.toml")
    r = s.run()
    r.summary["scenarios"]["intact"]["uptake_fraction"]
"""
from . import _core, plot
from .calibrate import Calibration, calibrate
from .errors import BackendUnavailable, CalibrationDataError, ConfigError, OutputRefused
from .library import compound, compounds, skin_sites
from .result import Result, SavedRun, load
from .study import Study
from .sweep import sweep

__version__ = _core.version


def cuda_available():
    """(True, "") when the CUDA backend can run here, else (False, why not)."""
    return tuple(_core.cuda_available())


__all__ = ["Study", "Result", "SavedRun", "load", "sweep", "compounds", "compound", "skin_sites", "calibrate",
           "Calibration", "ConfigError", "OutputRefused", "BackendUnavailable", "CalibrationDataError",
           "cuda_available", "plot"]
