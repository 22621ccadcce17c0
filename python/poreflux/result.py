"""A finished run (Result) and a run read back from its file (poreflux.load). The labelled
arrays are the HDF5 file's: the C++ writer writes the run (to a temporary file until it is
saved) and xarray reads each group, so a Dataset has exactly the file's variable names, units
attributes and dimension names."""
import json
import os
import tempfile

import h5py
import xarray as xr


class ScenarioData:
    """One scenario ("intact", "treated") of a run file."""

    def __init__(self, h5_path_of, name):
        self._h5_path_of, self.name = h5_path_of, name

    def groups(self):
        """The subgroups to_xarray can read ("" is the scenario's own group)."""
        with h5py.File(self._h5_path_of(), "r") as f:
            g = f[f"scenarios/{self.name}"]
            found = [""]
            g.visititems(lambda n, o: found.append(n) if isinstance(o, h5py.Group) and
                         any(isinstance(v, h5py.Dataset) for v in o.values()) else None)
            return found

    def to_xarray(self, group=""):
        """The scenario's group of the HDF5 file as an xarray.Dataset (time series: time_h);
        ``group`` reads a subgroup instead: "amounts", "fractions", "profiles", "slices", "grid",
        "film", "summary" (every variable's ``units`` attribute as in the file)."""
        path = f"/scenarios/{self.name}" + (f"/{group.strip('/')}" if group else "")
        with xr.open_dataset(self._h5_path_of(), group=path, engine="h5netcdf") as ds:
            return ds.load()

    def __repr__(self):
        return f"<poreflux scenario {self.name!r}>"


class _RunFile:
    def _scenario_map(self, names):
        return {n: ScenarioData(self._h5_path, n) for n in names}

    def to_xarray(self, scenario="treated", group=""):
        return self.scenarios[scenario].to_xarray(group)


class Result(_RunFile):
    """What Study.run returns: ``summary`` (the summary JSON's content), ``scenarios[name]``,
    ``enhancement``, ``warnings``, ``save(path)``."""

    def __init__(self, handle, study):
        self._handle, self.study = handle, study
        self.summary = json.loads(handle.summary_json)
        self.backend = handle.backend
        self.scenarios = self._scenario_map(handle.scenario_names)
        self._tmp = None
        self.path = None

    @property
    def enhancement(self):
        """treated / intact of uptake, dermal delivery, permeated amount and peak flux (the
        summary's "enhancement"; a ratio is None where the intact value is next to nothing)."""
        return self.summary.get("enhancement")

    @property
    def warnings(self):
        return [{"code": c, "message": m} for c, m in self._handle.warnings()]

    def save(self, path, force=False):
        """Writes the run as ``poreflux run -o PATH`` does (and PATH's .xmf sidecar). An existing
        file is refused (OutputRefused) unless force=True."""
        path = os.fspath(path)
        self._handle.save(path, force)
        self.path = path
        return path

    def _h5_path(self):
        if self.path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="poreflux-run-")
            target = os.path.join(self._tmp.name, "run.h5")
            self._handle.save(target, False)
            self.path = target
        return self.path

    def __repr__(self):
        return f"<poreflux.Result {self.study.title!r}: {', '.join(self.scenarios)} on {self.backend}>"


class SavedRun(_RunFile):
    """A run file read back: ``scenarios[name].to_xarray()``, ``summary`` (each scenario's
    summary attributes), ``path``."""

    def __init__(self, path):
        self.path = os.fspath(path)
        with h5py.File(self.path, "r") as f:
            if "scenarios" not in f:
                raise ValueError(f"{self.path}: no /scenarios group; not a file of `poreflux run` "
                                 "(a sweep's file opens with xarray, docs/STUDIES.md)")
            names = list(f["scenarios"].keys())
            self.summary = {"scenarios": {n: {k: _plain(v) for k, v in f[f"scenarios/{n}/summary"].attrs.items()}
                                          for n in names if f"scenarios/{n}/summary" in f}}
            self.title = _plain(f.attrs.get("title", ""))
        self.scenarios = self._scenario_map(names)

    def _h5_path(self):
        return self.path

    def __repr__(self):
        return f"<poreflux.SavedRun {self.path}: {', '.join(self.scenarios)}>"


def _plain(v):
    if isinstance(v, bytes):
        return v.decode()
    if hasattr(v, "item") and getattr(v, "shape", None) in ((), (1,)):
        return v.item() if v.shape == () else v[0].item()
    return v


def load(path):
    """A run file written by ``poreflux run`` or Result.save."""
    return SavedRun(path)
