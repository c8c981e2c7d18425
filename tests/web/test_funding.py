"""The funding-gap page (server-rendered, no JavaScript needed) and its links."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from loopwise.analysis.funding import funding_gap_frame
from loopwise.builtin import load_builtin_map
from loopwise.model import Map
from loopwise.store import open_store
from loopwise.web.app import create_app

URL = "/maps/breaking-the-cycle/funding"


@pytest.fixture
def store(tmp_path: Path):
    store = open_store(f"sqlite:///{tmp_path / 'web.db'}")
    store.create_map(load_builtin_map(), author="test")
    yield store
    store.close()


@pytest.fixture
def client(store) -> TestClient:
    return TestClient(create_app(store))


def _rows(text: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-factor="([^"]+)"[^>]*>(.*?)</tr>', text, re.S))


def test_funding_page_lists_every_factor_with_the_maps_organisations(client: TestClient) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert "script-src" in response.headers["content-security-policy"]
    text = response.text
    builtin = load_builtin_map()
    frame = funding_gap_frame(builtin)
    rows = _rows(text)
    frame = frame[frame["kind"].isin(["service", "condition"])]  # policies are campaign asks
    assert list(rows) == list(frame.index)  # leverage order, every service and condition
    for factor_id, row in frame.iterrows():
        cells = re.findall(r'<td data-value="([^"]*)"', rows[factor_id])
        assert int(cells[8]) == row["organisations"], factor_id
        assert float(cells[9]) == pytest.approx(row["funding_total"]), factor_id
        assert cells[10] == ("yes" if row["gap"] else "no"), factor_id
        # a gap is said in words, not only by the row's colour
        assert (
            "<strong>Gap:</strong> high leverage, nobody working on it" in rows[factor_id]
        ) is bool(row["gap"])
    # the same gap flags as the API the canvas overlay reads
    api = client.get("/api/maps/breaking-the-cycle/funding-gaps").json()
    assert {f["factor"] for f in api["factors"] if f["gap"]} == {
        fid for fid, row in frame.iterrows() if row["gap"]
    }
    funded = frame[frame["funding_total"] > 0]
    if len(funded):  # known funding shown with thousands separators
        assert f"{funded['funding_total'].iloc[0]:,.0f}" in text
    # the upload form (shown by js/funding.js), its API and the layout served inline
    assert 'id="portfolio-file" name="portfolio" type="file"' in text
    assert "Your portfolio (CSV or XLSX, see" in text
    assert 'data-api-url="/api/maps/breaking-the-cycle/funding-gaps"' in text
    assert 'id="portfolio-layout"' in text and "<code>funding_currency</code>" in text
    assert '<script src="/static/js/funding.js" defer></script>' in text
    assert "<script>" not in text  # no inline script under the CSP
    for asset in ("/static/js/funding.js", "/static/js/sortable.js"):
        assert client.get(asset).status_code == 200


def test_funding_page_is_linked(client: TestClient) -> None:
    for url in ("/maps/breaking-the-cycle", "/maps/breaking-the-cycle/leverage"):
        assert f'href="{URL}"' in client.get(url).text, url
    assert 'aria-current="page"' in client.get(URL).text
    canvas = client.get("/maps/breaking-the-cycle/canvas").text
    assert 'name="gaps" value="1"' in canvas and "Show funding gaps" in canvas
    assert 'data-gaps-url="/api/maps/breaking-the-cycle/funding-gaps"' in canvas


def test_funding_page_escapes_user_text(store, client: TestClient, small_map_data) -> None:
    hostile = '<script>alert(1)</script>"onmouseover=alert(2) x="'
    small_map_data["title"] = hostile
    for factor in small_map_data["factors"]:
        factor["label"] = hostile + factor["id"]
    store.create_map(Map.from_dict(small_map_data), author="test")
    page = client.get("/maps/small/funding")
    assert page.status_code == 200
    assert "<script>alert" not in page.text and '"onmouseover' not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;&#34;onmouseover=alert(2)" in page.text


def test_funding_page_unknown_map_is_404(client: TestClient) -> None:
    assert client.get("/maps/nothing-here/funding").status_code == 404
