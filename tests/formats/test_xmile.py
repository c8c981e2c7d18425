from __future__ import annotations

from pathlib import Path

import pytest

from loopwise.errors import ImportFormatError
from loopwise.formats.xmile import read_xmile


def test_xmile_variables_links_and_positions(data_dir: Path) -> None:
    m = read_xmile((data_dir / "reoffending.xmile").read_bytes(), "reoffending.xmile")
    assert m.title == "Prison population (XMILE)"
    assert len(m.factors) == 7
    stock = m.factor("prison-population")
    assert stock.custom["xmile_type"] == "stock" and stock.position.x == 520
    edges = {(lk.source_factor, lk.target_factor): (lk.polarity, lk.tags) for lk in m.links}
    assert edges[("prison-admissions", "prison-population")] == ("+", [])  # inflow
    assert edges[("releases", "prison-population")] == ("-", [])  # outflow
    assert edges[("stable-housing", "reoffending-rate")] == ("-", [])  # connector polarity
    assert edges[("average-time-served", "releases")] == ("-", [])  # divided by
    assert edges[("prison-population", "releases")] == ("+", [])
    assert m.factor("reoffending-rate").description == "Share who reoffend within a year."


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            '<model><variables><aux name="A"/><aux name="a"/></variables></model>',
            r"duplicate variable 'a'",
        ),
        (
            '<model><variables><stock name="S"><inflow>nowhere</inflow></stock></variables></model>',
            r"stock 'S' names an unknown flow 'nowhere'",
        ),
        ("<header/>", r"no <model> element"),
    ],
)
def test_bad_xmile_is_named(body: str, message: str) -> None:
    text = f'<xmile xmlns="http://docs.oasis-open.org/xmile/ns/XMILE/v1.0" version="1.0">{body}</xmile>'
    with pytest.raises(ImportFormatError, match=message):
        read_xmile(text.encode(), "bad.xmile")
