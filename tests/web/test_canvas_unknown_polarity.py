"""A link whose polarity its file did not give is drawn as "?" on the canvas, never as "+"."""

from __future__ import annotations

from loopwise.model import Map
from loopwise.store import open_store
from loopwise.web.app import create_app

from .browser import served_page

MAP = {
    "slug": "unknown-signs",
    "title": "Unknown signs",
    "factors": [{"id": "a", "label": "Housing"}, {"id": "b", "label": "Work"},
                {"id": "c", "label": "Reoffending"}],
    "links": [{"from": "a", "to": "b", "polarity": "+", "tags": ["polarity:unknown"]},
              {"from": "b", "to": "c", "polarity": "-"}, {"from": "c", "to": "a", "polarity": "-"}],
}  # fmt: skip


def test_graph_payload_and_canvas_show_unknown_polarity(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 'lw.db'}")
    store.create_map(Map.from_dict(MAP), author="test")
    app = create_app(store)
    errors: list[str] = []
    with served_page(app, errors) as (base_url, page):
        import httpx

        links = httpx.get(f"{base_url}/api/maps/unknown-signs/graph").json()["links"]
        assert {lk["id"]: lk["polarity"] for lk in links} == {
            "a--b": "?", "b--c": "-", "c--a": "-",
        }  # fmt: skip
        page.goto(f"{base_url}/maps/unknown-signs/canvas")
        page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
        signs = page.evaluate(
            "Object.fromEntries(window.loopwiseCy.edges().map(e => [e.id(), e.data('sign')]))"
        )
        assert signs["e:a--b"] == "?" and signs["e:b--c"] == "\u2212"
        assert page.evaluate("window.loopwiseCy.$id('e:a--b').hasClass('unknown')")
        assert page.locator("#legend-unknown").is_visible()
        loops = httpx.get(f"{base_url}/api/maps/unknown-signs/loops").json()
        assert [lp["kind"] for lp in loops["items"]] == ["?"]
    assert errors == []
