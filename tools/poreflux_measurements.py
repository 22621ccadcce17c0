"""The qualification suite's measurements (data/measurements/*.toml) as the report compares a
run with them: only a measurement of the same active, dose mode (finite/infinite), setting (in
vitro/in vivo) and a dose per area within a factor of 3, compared in its own category at its
own time. Anything else is said to have no comparable measurement."""
import math
import pathlib
import re
import tomllib

import poreflux_plots as pp  # the OECD categories, as the program declares them

ROOT = pathlib.Path(__file__).resolve().parent.parent
IN_VIVO_SITES = {"face_cheek", "face_forehead", "forearm", "abdomen"}
DOSE_FACTOR = 3.0
_UNITS = {"ug/cm2": 1.0, "µg/cm2": 1.0, "mg/cm2": 1e3, "ng/cm2": 1e-3}
_CONC = {"ug/ml": 1.0, "mg/ml": 1e3, "g/l": 1e3, "%w/v": 1e4, "mg/g": 1e3}
_VOL = {"ul/cm2": 1e-3, "µl/cm2": 1e-3, "ml/cm2": 1.0}


def _quantity(text, table):
    m = re.match(r"\s*([-+0-9.eE]+)\s*(.*)$", str(text))
    if not m:
        return None
    unit = m.group(2).replace(" ", "").lower()
    return float(m.group(1)) * table[unit] if unit in table else None


def _dose(vehicle):
    if "dose_per_area" in vehicle:
        return _quantity(vehicle["dose_per_area"], _UNITS)
    c, v = _quantity(vehicle.get("concentration", ""), _CONC), _quantity(vehicle.get("volume_per_area", ""), _VOL)
    return c * v if c is not None and v is not None else None


def _set(study, path, value):
    node = study
    keys = path.split(".")
    for k in keys[:-1]:
        node = node.setdefault(k, {})
    node[keys[-1]] = value


def endpoints():
    """Every endpoint of every file, with the study it belongs to (its `set` applied)."""
    out = []
    for path in sorted((ROOT / "data" / "measurements").glob("*.toml")):
        try:
            doc = tomllib.loads(path.read_text())
        except (OSError, tomllib.TOMLDecodeError):
            continue
        for e in doc.get("endpoint", []):
            study = _copy(doc["study"])
            for k, v in e.get("set", {}).items():
                _set(study, k, v)
            vehicle, skin = study.get("vehicle", {}), study.get("skin", {})
            bottom = study.get("boundary", {}).get("bottom")
            in_vivo = bottom == "in_vivo" if bottom else skin.get("site") in IN_VIVO_SITES
            out.append({"file": path.stem, "label": e["label"], "quantity": e["quantity"], "time_h": _hours(e["time"]),
                        "measured": e["measured"], "spread": e.get("spread"), "scenario": e.get("scenario", "intact"),
                        "compound": study.get("compound", {}).get("name", "").lower(),
                        "infinite": vehicle.get("dose") == "infinite", "in_vivo": in_vivo, "dose": _dose(vehicle),
                        "reference": doc["source"]["reference"], "read": doc["source"]["read"]})
    return out


def _copy(d):
    return {k: _copy(v) if isinstance(v, dict) else v for k, v in d.items()}


def _hours(text):
    m = re.match(r"\s*([0-9.eE+-]+)\s*(min|h|d)\s*$", text)
    return float(m.group(1)) * {"min": 1 / 60, "h": 1.0, "d": 24.0}[m.group(2)] if m else math.nan


def comparable(run_compound, infinite, in_vivo, dose_ug_per_cm2, duration_h):
    """The intact endpoints a run may be set against; each says why it is comparable."""
    name = (run_compound or "").lower()
    keep = []
    for e in endpoints():
        if e["scenario"] != "intact" or e["quantity"] not in pp.category_names() or not name or e["compound"] != name:
            continue
        if e["infinite"] != infinite or e["in_vivo"] != in_vivo or not (e["time_h"] <= duration_h + 1e-9):
            continue
        if e["dose"] is None or not (dose_ug_per_cm2 > 0) or max(e["dose"], dose_ug_per_cm2) > DOSE_FACTOR * min(
                e["dose"], dose_ug_per_cm2):
            continue
        keep.append(e)
    return keep
