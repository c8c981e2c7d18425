"""A published site has a campaign view for every campaign ask, linked from its home page,
and rank ranges on its leverage page (no server needed)."""

from __future__ import annotations

import re
from pathlib import Path

from loopwise.analysis.leverage import leverage_frame
from loopwise.builtin import load_builtin_map
from publish.test_publish import site  # noqa: F401 (module fixture: the published built-in map)


def test_campaign_pages_for_every_ask(site: Path) -> None:  # noqa: F811
    frame = leverage_frame(load_builtin_map())
    asks = set(frame.index[frame["campaign_ask"]])
    assert asks and {p.stem for p in (site / "campaigns").glob("*.html")} >= asks
    page = (site / "campaigns" / "short-custodial-sentences.html").read_text(encoding="utf-8")
    assert "The ask:" in page and "matched comparison" in page and "£18 billion" in page
    assert 'href="../factors/reoffending.html"' in page
    home = (site / "index.html").read_text(encoding="utf-8")
    linked = set(re.findall(r'href="campaigns/([^"]+)\.html"', home))
    assert linked and linked <= asks
    leverage = (site / "leverage.html").read_text(encoding="utf-8")
    assert 'class="rank-range"' in leverage
