"""Ctrl-C in a notebook: KeyboardInterrupt stops a run within about a second, leaves nothing
written, and the GIL is free while the engine runs (a Python thread keeps running)."""
import _thread
import threading
import time

import h5py
import pytest

import poreflux
from conftest import ROOT


def long_study():
    # A 3D unit cell over 48 h with fine walls: about 30 s on one core, far longer than the test waits.
    return (poreflux.Study.load(ROOT / "tests" / "data" / "treated_fast.toml")
            .set("protocol.duration", "48 h").set("treatment.wall_cell", "3 um"))


def interrupt_later(seconds):
    """Interrupts the main thread after `seconds`; returns a list that gets the time it did."""
    fired = []

    def fire():
        fired.append(time.monotonic())
        _thread.interrupt_main()
    threading.Timer(seconds, fire).start()
    return fired


def test_keyboard_interrupt_from_a_timer_thread_stops_a_run():
    study = long_study()
    ticks = []
    ticker = threading.Thread(target=lambda: [ticks.append(time.sleep(0.05)) for _ in range(10)])
    ticker.start()
    fired = interrupt_later(1.0)
    with pytest.raises(KeyboardInterrupt):
        study.run(backend="cpu", progress=False)
    stopped_after = time.monotonic() - fired[0]
    ticker.join()
    assert len(ticks) == 10  # a Python thread ran while the engine did: the GIL was released
    assert stopped_after < 1.0, f"stopped {stopped_after:.2f} s after the interrupt"


def test_interrupted_sweep_writes_no_study_file(tmp_path):
    study = long_study().set("protocol.duration", "24 h")
    fired = interrupt_later(1.0)
    with pytest.raises(KeyboardInterrupt):
        poreflux.sweep(study, {"treatment.channel_depth": ["100 um", "150 um"]}, output=tmp_path / "s.h5", backend="cpu", progress=False)
    assert time.monotonic() - fired[0] < 1.0
    assert not (tmp_path / "s.h5").exists() and not (tmp_path / "s.csv").exists()
    # What is left is the parts folder: finished runs only (here the short intact baseline, perhaps),
    # each a whole file, for a rerun to resume; no temporary of the interrupted case.
    parts = tmp_path / "s.h5.parts"
    assert not [p for p in parts.iterdir() if ".tmp" in p.name] if parts.exists() else True
    for part in parts.glob("*.h5") if parts.exists() else []:
        assert part.name.startswith("intact_"), part  # no treated case can have finished in 1 s
        with h5py.File(part, "r") as f:
            assert "scenarios/intact" in f


def test_progress_callback_sees_the_scenarios():
    seen = []
    poreflux.Study.load(ROOT / "tests" / "data" / "treated_fast.toml").run(
        backend="cpu", progress=lambda what, t, duration: seen.append((what, t, duration)))
    assert {w for w, _, _ in seen} == {"intact", "treated"}
    assert all(0.0 <= t <= d for _, t, d in seen)
    assert seen[-1][1] == pytest.approx(seen[-1][2])  # the last report is the end of the run
