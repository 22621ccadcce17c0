"""Python values as TOML text, for Study.set and Study.from_dict. TOML's basic strings take the
escapes JSON writes (\\", \\\\, \\n, \\uXXXX), so strings are written by json.dumps."""
import json
import math
import numbers


def value(v):
    """One TOML value: "0.5 mm" -> "\\"0.5 mm\\"", 4 -> "4", True -> "true", lists and dicts inline."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, numbers.Integral):
        return str(int(v))
    if isinstance(v, numbers.Real):
        f = float(v)
        if math.isnan(f):
            return "nan"
        if math.isinf(f):
            return "inf" if f > 0 else "-inf"
        return repr(f)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {value(x)}" for k, x in v.items()) + " }"
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(value(x) for x in v) + "]"
    raise TypeError(f"{v!r} ({type(v).__name__}) has no TOML form; give a string with its unit (\"0.5 mm\"), "
                    "a number, a bool or a list of them")


def _key(k):
    k = str(k)
    bare = k and all(c.isalnum() or c in "_-" for c in k) and k.isascii()
    return k if bare else json.dumps(k)


def _is_table_array(v):
    return isinstance(v, (list, tuple)) and len(v) > 0 and all(isinstance(x, dict) for x in v)


def document(d, prefix=""):
    """A nested dict as a TOML document: tables as [a.b], lists of dicts as [[layer]]."""
    lines, nested = [], []
    for k, v in d.items():
        if isinstance(v, dict) or _is_table_array(v):
            nested.append((k, v))
        else:
            lines.append(f"{_key(k)} = {value(v)}")
    for k, v in nested:
        name = f"{prefix}{_key(k)}"
        if isinstance(v, dict):
            lines += ["", f"[{name}]", document(v, name + ".")]
        else:
            for item in v:
                lines += ["", f"[[{name}]]", document(item, name + ".")]
    return "\n".join(lines)
