"""A big map's canvas (over 1,500 factors) first draws its factors and themes, then its links
when the view zooms in to readable labels: the first view does not wait for thousands of
links nobody can read at that zoom, and nothing is lost once you zoom in."""

from __future__ import annotations

import random
import sys
from pathlib import Path

from loopwise.store import open_store
from loopwise.web.app import create_app

from .browser import served_page

sys.path.insert(0, str(Path(__file__).parents[2] / "benchmarks"))
from _bigmap import big_map  # noqa: E402

FACTORS, LINKS = 1_600, 2_000


def test_links_are_drawn_when_the_view_zooms_in(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'lw.db'}")
    store.create_map(big_map(FACTORS, LINKS, seed=3), author="test")
    errors: list[str] = []
    with served_page(create_app(store), errors) as (base_url, page):
        page.set_default_timeout(300_000)
        page.goto(f"{base_url}/maps/big/canvas")
        page.wait_for_selector("body[data-canvas-ready]")
        first = page.evaluate(
            """() => ({nodes: loopwiseCy.nodes('.factor').length, edges: loopwiseCy.edges().length,
                       overview: loopwiseCy.container().getAttribute('data-overview')})"""
        )
        assert first == {"nodes": FACTORS, "edges": 0, "overview": "true"}
        status = page.locator("#status").inner_text()
        assert f"Showing {FACTORS} of {FACTORS} factors and {LINKS} links." in status
        assert "Zoom in, or choose a theme, to draw the links." in status

        # a theme filter hides factors; links added later must take the same filter
        theme = f"theme-{random.Random(0).randrange(12)}"
        page.evaluate(
            """(theme) => { const box = document.querySelector(`input[name=themes][value="${theme}"]`);
                            box.checked = true; box.dispatchEvent(new Event('change', {bubbles: true})); }""",
            theme,
        )
        page.wait_for_function("loopwiseCy.edges().length > 0")  # the filter's fit zooms in
        drawn = page.evaluate(
            """(theme) => {
                 const shown = new Set(loopwiseCy.nodes('.factor').filter(n => !n.hasClass('hidden')).map(n => n.id()));
                 const edges = loopwiseCy.edges();
                 const visible = edges.filter(e => !e.hasClass('hidden'));
                 return {total: edges.length, visible: visible.length,
                         inside: visible.every(e => shown.has(e.source().id()) && shown.has(e.target().id())),
                         overview: loopwiseCy.container().getAttribute('data-overview')};
               }""",
            theme,
        )
        assert drawn["total"] == LINKS and drawn["overview"] == "false"
        assert 0 < drawn["visible"] < LINKS and drawn["inside"]
        assert "Zoom in" not in page.locator("#status").inner_text()
    assert errors == []
