"""Shared by the module's tests: the source tree, the CLI built beside the module, and a runner
for it. ctest sets POREFLUX_CLI and PYTHONPATH (tests/CMakeLists.txt, python.pytest)."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = os.environ.get("POREFLUX_CLI", str(ROOT / "build" / "poreflux"))


@pytest.fixture(scope="session")
def cli():
    def run(*args, cwd=None, check=True):
        done = subprocess.run([CLI, *map(str, args)], cwd=cwd, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise AssertionError(f"poreflux {' '.join(map(str, args))} exited {done.returncode}:\n{done.stderr}")
        return done
    return run


def close(a, b, rel=1e-12):
    return a == b or abs(a - b) <= rel * max(abs(a), abs(b))


# Execution facts, not results: wall-clock times, and the backend's description, whose thread
# count follows the cores free of other work when each run starts (cpu/thread_choice.hpp).
EXECUTION_KEYS = ("wall_s", "backend_description")


def differences(a, b, path="", skip=EXECUTION_KEYS):
    """Where two summary JSON documents differ beyond 1e-12 relative (execution facts skipped)."""
    if isinstance(a, dict) and isinstance(b, dict):
        found = [f"{path}: keys {sorted(set(a) ^ set(b))}"] if set(a) != set(b) else []
        for k in a:
            if k in b and not k.endswith(skip):
                found += differences(a[k], b[k], f"{path}/{k}", skip)
        return found
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} entries"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]", skip)]
    if isinstance(a, float) and isinstance(b, float):
        return [] if close(a, b) else [f"{path}: {a!r} vs {b!r}"]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]


def read_json(path):
    with open(path) as f:
        return json.load(f)
