"""The CUDA backend is selectable from Python; without a device this skips, saying why."""
import pytest

import poreflux
from conftest import ROOT, close

ok, why = poreflux.cuda_available()


@pytest.mark.skipif(not ok, reason=f"no CUDA device: {why}")
def test_cuda_backend_runs_and_agrees_with_the_cpu():
    study = poreflux.Study.load(ROOT / "tests" / "data" / "treated_fast.toml")
    gpu = study.run(backend="cuda", progress=False)
    cpu = study.run(backend="cpu", progress=False)
    assert gpu.backend == "cuda"
    for s in ("intact", "treated"):
        a, b = gpu.summary["scenarios"][s]["uptake_fraction"], cpu.summary["scenarios"][s]["uptake_fraction"]
        assert abs(a - b) <= 1e-3 * abs(b), (s, a, b)  # same model, different arithmetic order and step control
