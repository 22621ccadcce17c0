"""Study: a config held as TOML text and resolved by the engine's loader (poreflux run's
parse and resolve). Every change (set) goes through the same key-path setter a [sweep] uses
and is resolved again at once, so a bad value raises ConfigError where it is set."""
import os
import tempfile

import pandas as pd

from . import _core, toml_text
from .progress import Reporter


class Study:
    def __init__(self, text, source_name, calibration=None):
        self._calibration_dir = None
        calibration_path = self._calibration_path(calibration)
        self._handle = _core.parse_study(text, source_name, calibration_path)
        self._text, self._source_name, self._calibration = text, source_name, calibration_path

    # ---- making one ----

    @classmethod
    def load(cls, path, calibration=None):
        """A study config file (docs/CONFIG.md). ``calibration``: a calibrated study (a path, or
        the Study that poreflux.calibrate returned) whose [calibration] factors apply, as
        ``poreflux run --calibration``."""
        path = os.fspath(path)
        study = cls.__new__(cls)
        study._calibration_dir = None
        study._calibration = study._calibration_path(calibration)
        study._handle = _core.load_study(path, study._calibration)  # the CLI's reader and its errors
        with open(path, encoding="utf-8") as f:
            study._text = f.read()
        study._source_name = path
        return study

    @classmethod
    def from_toml_string(cls, text, source_name="study.toml", calibration=None):
        """``source_name`` stands for the file in messages and resolves relative paths."""
        return cls(text, source_name, calibration)

    @classmethod
    def from_dict(cls, config, source_name="study.toml", calibration=None):
        """The config as nested dicts: {"compound": {"name": "niacinamide"}, "layer": [{...}, ...]}."""
        return cls(toml_text.document(config) + "\n", source_name, calibration)

    def _calibration_path(self, calibration):
        if calibration is None or calibration == "":
            return ""
        if isinstance(calibration, Study):
            if os.path.isfile(calibration._source_name) and calibration._text == _read(calibration._source_name):
                return calibration._source_name
            # Not on disk as it is: the loader reads [calibration] from a file, so it gets one.
            self._calibration_dir = tempfile.TemporaryDirectory(prefix="poreflux-calibration-")
            path = os.path.join(self._calibration_dir.name, os.path.basename(calibration._source_name) or "calibrated.toml")
            with open(path, "w", encoding="utf-8") as f:
                f.write(calibration._text)
            return path
        return os.fspath(calibration)

    # ---- changing it ----

    def set(self, key, value=None):
        """Sets one key by its path, as a [sweep] axis does: ``s.set("treatment.needle_length", "1 mm")``,
        ``s.set("layer[2].thickness", "80 um")``; or several at once, resolved together (a new
        [treatment] needs its device and needle length before it is valid):
        ``s.set({"treatment.device": "pen", "treatment.needle_length": "1 mm"})``. Returns the
        study (calls chain). The text is rewritten by the TOML library, so comments are not kept;
        on an error the study is unchanged."""
        settings = key.items() if isinstance(key, dict) else [(key, value)]
        text = self._text
        for k, v in settings:
            text = _core.set_config_key(text, self._source_name, k, toml_text.value(v))
        self._handle = _core.parse_study(text, self._source_name, self._calibration)
        self._text = text
        return self

    def copy(self):
        other = Study.__new__(Study)
        other.__dict__.update(self.__dict__)
        return other

    def to_toml(self):
        """The config as TOML text; Study.from_toml_string(s.to_toml()) is the same study."""
        return self._text

    def resolved_toml(self):
        """The study as the engine runs it, every default filled in (what the HDF5 file records)."""
        return self._handle.resolved_toml()

    # ---- what it is ----

    @property
    def title(self):
        return self._handle.title

    @property
    def source_name(self):
        return self._source_name

    @property
    def warnings(self):
        return [{"code": c, "message": m} for c, m in self._handle.warnings()]

    def parameters(self):
        """The derived parameters: value, unit, the relation that gave it and its inputs."""
        rows = []
        for p in self._handle.parameters():
            inputs = "; ".join(f"{i['name']} = {i['value']:.4g}" + ("" if i["unit"] == "1" else f" {i['unit']}")
                               for i in p["inputs"])
            rows.append({"parameter": p["name"], "value": p["value"], "unit": p["unit"], "relation": p["relation"],
                         "inputs": inputs})
        return pd.DataFrame(rows, columns=["parameter", "value", "unit", "relation", "inputs"]).set_index("parameter")

    def grids(self, allow_large=False):
        """Per scenario: the grid, its cells, memory and run-time estimates (poreflux validate)."""
        return pd.DataFrame(self._handle.grids(allow_large)).set_index("scenario")

    def validate(self, allow_large=False):
        """What ``poreflux validate`` shows: the derived parameters as a DataFrame, with the grids
        (``.attrs["grids"]``, a DataFrame) and the warnings (``.attrs["warnings"]``). Raises
        ConfigError where the grid is beyond the limits (unless allow_large)."""
        table = self.parameters()
        table.attrs["grids"] = self.grids(allow_large)
        table.attrs["warnings"] = self.warnings
        return table

    # ---- running it ----

    def run(self, backend=None, method=None, linear_solver=None, progress=True, allow_large=False):
        """Runs every scenario (``poreflux run``): backend "auto" | "cpu" | "cuda" | "reference",
        method "auto" | "rkc" | "implicit"; None keeps the config's choice. Ctrl-C stops it
        (KeyboardInterrupt) within a fraction of a second; nothing is written."""
        from .result import Result
        with Reporter(progress) as callback:
            handle = _core.run(self._handle, backend or "", method or "", linear_solver or "", allow_large, callback)
        return Result(handle, self)

    def __repr__(self):
        return f"<poreflux.Study {self.title!r} from {self._source_name}>"


def _read(path):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return None
