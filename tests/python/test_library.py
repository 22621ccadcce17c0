"""The compound library and one compound's derivation are the CLI's (poreflux compounds)."""
import pandas as pd
import pytest

import poreflux
from conftest import ROOT


def test_compounds_lists_the_library(cli):
    table = poreflux.compounds()
    listing = cli("compounds").stdout
    assert f"{len(table)} compounds from" in listing
    for name in ("L-ascorbic acid", "niacinamide", "retinyl palmitate"):
        assert name in table.index and name in listing


def test_compound_derivation_equals_the_cli(cli):
    c = poreflux.compound("niacinamide", site="forearm", ph=6)
    shown = cli("compounds", "niacinamide", "--site", "forearm", "--ph", "6").stdout
    assert "stratum_corneum.diffusivity" in c.parameters.index
    for name, row in c.parameters.iterrows():
        value = f"{row['value']:.4g}" + ("" if row["unit"] == "1" else f" {row['unit']}")
        assert f"  {name} = {value}\n" in shown, name
    assert c.record["log_kow"][0] == pytest.approx(-0.37, abs=0.2)
