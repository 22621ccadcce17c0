"""The compound library (data/compounds.toml, compiled in) and what the resolve step derives
for one compound on a skin site at a pH (``poreflux compounds [NAME]``)."""
import os

import pandas as pd

from . import _core
from .study import Study


def compounds(library=()):
    """The library as a DataFrame, one row per compound (``library``: extra files, searched first)."""
    rows = []
    for c in _core.compound_library([os.path.abspath(f) for f in library]):
        rows.append({"compound": c["name"],
                     "molecular_weight_g_per_mol": c["molecular_weight_g_per_mol"][0],
                     "log_kow": c["log_kow"][0],
                     "pka": ", ".join(f"{v:.3g} {'a' if t == 'acid' else 'b'}" for v, t, _ in c["pka"]),
                     "water_solubility_mg_per_mL": (c["water_solubility_mg_per_mL"] or (float("nan"),))[0],
                     "aliases": ", ".join(c["aliases"]), "defined_at": c["defined_at"]})
    return pd.DataFrame(rows).set_index("compound")


def skin_sites():
    return list(_core.skin_sites())


class CompoundView:
    """A compound's record and the parameters derived for it: ``record`` (dict, each value with
    its source), ``parameters`` (DataFrame: value, unit, relation, inputs), ``warnings``."""

    def __init__(self, handle, site, ph):
        study = Study.__new__(Study)
        study._handle, study._text, study._source_name, study._calibration = handle, "", "poreflux compounds", ""
        study._calibration_dir = None
        self.site, self.ph = site, ph
        self.record = handle.compound()
        all_parameters = study.parameters()
        self.parameters = all_parameters[~all_parameters.index.str.startswith("compound.")]
        self.warnings = study.warnings

    @property
    def name(self):
        return self.record["name"]

    def __repr__(self):
        return f"<poreflux compound {self.name!r} on {self.site} at pH {self.ph:g}: {len(self.parameters)} parameters>"


def compound(name, site="forearm", ph=7.0, relations="potts_guy", library=()):
    """``poreflux compounds NAME --site SITE --ph PH``. An unknown name raises ConfigError with
    the nearest names in the library."""
    handle = _core.compound_on_site(name, site, float(ph), relations, [os.path.abspath(f) for f in library])
    return CompoundView(handle, site, float(ph))
