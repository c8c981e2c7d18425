"""The home page's two boxes and the leverage and funding pages follow the gap rule: no
policy or outcome is a funding gap, nobody acting means nobody named, names not counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from loopwise.analysis.coverage import GAP_RULE
from loopwise.builtin import load_builtin_map
from loopwise.store import open_store
from loopwise.web.app import create_app

MAP = "/maps/breaking-the-cycle"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path: Path = tmp_path_factory.mktemp("gaps") / "web.db"
    store = open_store(f"sqlite:///{path}")
    store.create_map(load_builtin_map(), author="test")
    return TestClient(create_app(store))


KINDS = {f.id: f.kind for f in load_builtin_map().factors}


def _listed(text: str, css: str) -> list[str]:
    block = re.search(rf'<ul class="{css}">(.*?)</ul>', text, re.S)
    assert block, css
    return re.findall(r'data-factor="([^"]+)"', block.group(1))


def test_home_boxes_follow_the_rule(client: TestClient) -> None:
    text = client.get(MAP).text
    assert GAP_RULE in text.replace("&#39;", "'")
    gaps = _listed(text, "gap-list")
    asks = _listed(text, "ask-list")
    assert gaps and asks
    assert {KINDS[f] for f in gaps} <= {"service", "condition"}
    assert {KINDS[f] for f in asks} == {"policy"}
    assert "substance-dependency" not in gaps  # Change Grow Live runs treatment upstream


def _rows(text: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-factor="([^"]+)"[^>]*>(.*?)</tr>', text, re.S))


def test_funding_page_gaps_are_fundable_and_names_are_shown(client: TestClient) -> None:
    text = client.get(f"{MAP}/funding").text
    rows = _rows(text)
    assert len(rows) == len(KINDS) - 1
    for fid, row in rows.items():
        gap_cell = re.search(r'class="gap-cell">(.*?)</td>', row, re.S).group(1)
        is_gap = "<strong>Gap:</strong>" in gap_cell
        if KINDS[fid] in ("policy", "outcome"):
            assert not is_gap, fid
        who = re.search(r'class="who-cell">(.*?)</td>', row, re.S).group(1)
        if is_gap:
            assert "nobody on the map" in who, fid
    dependency = rows["substance-dependency"]
    assert "through" in dependency and "Change Grow Live" in dependency
    probation = rows["help-finding-accommodation"]
    assert "The Probation Service" in probation and "155,000,000 in 2024" in probation
    assert "Campaign ask" in rows["short-custodial-sentences"]


def test_leverage_page_names_not_counts_and_formula_one_click_away(client: TestClient) -> None:
    text = client.get(f"{MAP}/leverage").text
    assert '<details class="formula">' in text
    body = re.search(r"<tbody>(.*?)</tbody>", text, re.S).group(1)
    assert "The Clink Charity" in body and "nobody on the map" in body


def test_api_rows_carry_names_kind_and_coverage(client: TestClient) -> None:
    doc = client.get(f"/api{MAP}/leverage").json()
    assert doc["rule"] == GAP_RULE
    rows = {r["factor"]: r for r in doc["items"]}
    dep = rows["substance-dependency"]
    assert dep["coverage"] == "upstream" and dep["kind"] == "condition"
    assert {a["via"] for a in dep["acting"]} == {"drug-alcohol-treatment"}
    assert all(not r["gap"] for r in rows.values() if r["kind"] in ("policy", "outcome"))
    gaps = client.get(f"/api{MAP}/funding-gaps").json()["factors"]
    assert all(not g["gap"] for g in gaps if g["kind"] in ("policy", "outcome"))
