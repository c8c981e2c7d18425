"""A big map's pages stay proportional to what they show: the loops table comes in pages, a
long loop is shortened in the middle, and a factor page builds only the loops it lists."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from itertools import permutations
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from loopwise.model import Map
from loopwise.publish import publish_site
from loopwise.store import open_store
from loopwise.web.app import create_app
from loopwise.web.page_contexts import FACTOR_LOOPS_SHOWN, LOOPS_PER_PAGE

# every ordered pair of six factors linked: 409 simple cycles (sum of C(6,k)(k-1)! for k=2..6)
DENSE = [f"d{i}" for i in range(6)]
DENSE_LOOPS = 409
# and one ring of 30 factors: a single loop of length 30
RING = [f"r{i:02d}" for i in range(30)]


def _map() -> Map:
    links = [(a, b) for a, b in permutations(DENSE, 2)]
    links += [(RING[i], RING[(i + 1) % len(RING)]) for i in range(len(RING))]
    return Map.from_dict(
        {
            "slug": "dense", "title": "Dense",
            "themes": [{"id": "t", "label": "Theme"}],
            "sources": [{"id": "s", "kind": "literature", "title": "A study"}],
            "factors": [{"id": f, "label": f"Factor {f}", "theme": "t"} for f in DENSE + RING],
            "links": [{"from": a, "to": b, "polarity": "+",
                       "evidence": [{"source": "s", "kind": "finding", "text": f"{a} raises {b}"}]}
                      for a, b in links],
        }
    )  # fmt: skip


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('big') / 'web.db'}")
    store.create_map(_map(), author="test")
    yield TestClient(create_app(store))
    store.close()


def _rows(page: str) -> list[int]:
    return [int(n) for n in re.findall(r"<tr><td>(\d+)</td>", page)]


def test_the_loops_table_comes_in_pages(client: TestClient) -> None:
    total = DENSE_LOOPS + 1
    pages = -(-total // LOOPS_PER_PAGE)
    seen: list[int] = []
    for number in range(1, pages + 1):
        page = client.get("/maps/dense/loops" + (f"?page={number}" if number > 1 else ""))
        assert page.status_code == 200
        rows = _rows(page.text)
        assert len(rows) == (
            LOOPS_PER_PAGE if number < pages else total - LOOPS_PER_PAGE * (pages - 1)
        )
        assert f"page {number} of {pages}" in page.text
        assert ('rel="next"' in page.text) == (number < pages)
        assert ('rel="prev"' in page.text) == (number > 1)
        seen += rows
    assert seen == list(range(1, total + 1))  # every loop once, in order


def test_a_page_past_the_last_is_refused(client: TestClient) -> None:
    answer = client.get("/maps/dense/loops?page=99")
    assert answer.status_code == 422
    assert "past the last page of loops" in html.unescape(answer.text)
    assert client.get("/maps/dense/loops?page=0").status_code == 422


def test_a_long_loop_is_shortened_in_the_middle(client: TestClient) -> None:
    last = -(-(DENSE_LOOPS + 1) // LOOPS_PER_PAGE)
    page = html.unescape(client.get(f"/maps/dense/loops?page={last}").text)
    row = next(r for r in page.split("<tr>") if "Factor r00" in r)
    assert "… 20 more factors …" in row  # 30 factors: the first 5 and the last 5 are links
    assert len(re.findall(r'href="/maps/dense/factors/r\d\d"', row)) == 11  # and back to the first


def test_a_factor_page_lists_the_first_loops_and_counts_them_all(client: TestClient) -> None:
    page = html.unescape(client.get("/maps/dense/factors/d0").text)
    through = int(re.search(r"Feedback loops through it \((\d+)\)", page).group(1))
    # d0 is on every cycle of the dense six except the 84 among the other five
    # (10 of length 2, 20 of 3, 30 of 4, 24 of 5)
    assert through == DENSE_LOOPS - 84
    section = page.split('id="factor-loops"')[1].split("</section>")[0]
    assert section.count("<li>") == FACTOR_LOOPS_SHOWN
    assert f"and {through - FACTOR_LOOPS_SHOWN} more" in section
    api = client.get("/api/maps/dense/factors/d0").json()
    assert api["loops_total"] == through and len(api["loops"]) == through  # the API lists all


def test_a_published_site_has_every_page_of_loops(tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish_site(_map(), out)
    pages = -(-(DENSE_LOOPS + 1) // LOOPS_PER_PAGE)
    assert (out / "loops.html").exists()
    for number in range(2, pages + 1):
        text = (out / f"loops-{number}.html").read_text()
        assert f"page {number} of {pages}" in text
    assert not (out / f"loops-{pages + 1}.html").exists()
    assert 'href="loops-2.html" rel="next"' in (out / "loops.html").read_text()
