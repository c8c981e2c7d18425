"""The explorer links each named loop, factor and pathway to its evidence brief, and the links
download real briefs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from loopwise.builtin import load_builtin_map
from loopwise.store import open_store
from loopwise.web.app import create_app


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('briefs') / 'b.db'}")
    store.create_map(load_builtin_map(), author="test")
    return TestClient(create_app(store))


def _links(page: str, fmt: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*format=' + fmt + ')"', page)]


def test_loops_page_offers_a_brief_for_every_named_circle(client: TestClient) -> None:
    page = client.get("/maps/breaking-the-cycle/loops").text
    pdfs = _links(page, "pdf")
    assert len(pdfs) == len(load_builtin_map().curated_loops)
    response = client.get(pdfs[0])
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_factor_and_paths_pages_offer_briefs(client: TestClient) -> None:
    factor = client.get("/maps/breaking-the-cycle/factors/settled-accommodation").text
    (docx,) = _links(factor, "docx")
    response = client.get(docx)
    assert response.status_code == 200 and response.content.startswith(b"PK")
    paths = client.get(
        "/maps/breaking-the-cycle/paths",
        params={"from": "settled-accommodation", "to": "reoffending"},
    ).text
    (html,) = _links(paths, "html")
    assert "Release without accommodation" in client.get(html).text


def test_published_site_has_no_dead_brief_links(tmp_path: Path) -> None:
    from loopwise.web.urls import StaticUrls

    assert StaticUrls("breaking-the-cycle").brief("pdf", loop="x") is None
