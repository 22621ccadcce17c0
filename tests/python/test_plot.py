"""poreflux.plot draws tools/report.py's figures; a flat sweep is not stretched over the colours."""
import numpy as np

import poreflux
from conftest import ROOT


def test_overview_and_sweep_figures():
    study = poreflux.Study.load(ROOT / "tests" / "data" / "treated_fast.toml").set("protocol.duration", "1 h")
    fig = poreflux.plot.overview(study.run(backend="cpu", progress=False))
    assert len([a for a in fig.axes if a.get_visible()]) >= 6
    ds = poreflux.sweep(study, {"treatment.channel_depth": ["100 um", "150 um"], "treatment.density": ["50 /cm2", "60 /cm2"]},
                        backend="cpu", progress=False)
    names = [name for name, _ in poreflux.plot.sweep(ds)]
    assert names[0] == "sweep" and "mass_balance" in names


def test_heatmap_colour_scale_of_a_flat_spread_is_not_stretched():
    report = poreflux.plot._report()
    flat = np.array([[11150.0, 11300.0], [11400.0, 11500.0]])  # 3 %: the example
    norm, words = report.heatmap_scale(flat)
    assert norm.vmax - norm.vmin >= report.FLAT_SPAN * 11325 * 0.999
    assert "3.1 %" in words and "±10 %" in words
    steep = np.array([[1.0, 2.0], [3.0, 4.0]])
    norm, words = report.heatmap_scale(steep)
    assert (norm.vmin, norm.vmax) == (1.0, 4.0) and "±" not in words
