"""Each named loop has its own page: the ring with its signs, the story, each step's evidence."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from loopwise.builtin import load_builtin_map
from loopwise.publish import publish_site
from loopwise.store import open_store
from loopwise.web.app import create_app

BUILTIN = load_builtin_map()
NAMED = [loop.id for loop in BUILTIN.curated_loops]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('loops') / 'web.db'}")
    store.create_map(BUILTIN, author="test")
    yield TestClient(create_app(store))
    store.close()


@pytest.mark.parametrize("loop_id", NAMED)
def test_a_named_loop_page(client: TestClient, loop_id: str) -> None:
    loop = next(lp for lp in BUILTIN.curated_loops if lp.id == loop_id)
    page = client.get(f"/maps/breaking-the-cycle/loops/{loop_id}")
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert f"<h1>{loop.name}</h1>" in text
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in text  # the ring
    steps = re.findall(r'<li id="step-\d+">', text)
    assert len(steps) == len(loop.factors)  # one step per link round the ring
    first = BUILTIN.link(f"{loop.factors[0]}--{loop.factors[1]}")
    assert first.evidence[0].text in text  # each step shows its evidence
    assert (
        f'href="/maps/breaking-the-cycle/loops/{loop_id}"'
        in client.get("/maps/breaking-the-cycle/loops").text
    )


def test_an_unknown_loop_is_404(client: TestClient) -> None:
    assert client.get("/maps/breaking-the-cycle/loops/no-such-loop").status_code == 404


def test_published_site_has_the_loop_pages(tmp_path: Path) -> None:
    publish_site(BUILTIN, tmp_path)
    for loop_id in NAMED:
        page = (tmp_path / "loops" / f"{loop_id}.html").read_text()
        assert 'href="../factors/' in page and 'role="img"' in page
    assert 'href="loops/' + NAMED[0] + '.html"' in (tmp_path / "loops.html").read_text()


def test_what_if_the_first_factor_rose(client: TestClient) -> None:
    text = client.get("/maps/breaking-the-cycle/loops/drugs-crime-prison-cycle").text
    assert "What if “Drug and alcohol dependency” rose?" in html.unescape(text)
    assert 'id="play-table"' in text and "js/loop_play.js" in text
    rows = re.findall(r"<tr><th scope=\"row\">", text)
    assert len(rows) == 6  # one row per factor of the circle
