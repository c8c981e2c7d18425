"""The briefs router on a small FastAPI app: files, content types, 404 / 422."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from loopwise.api import briefs
from loopwise.builtin import load_builtin_map
from loopwise.errors import UnknownIdError
from loopwise.model import Map

DATA = Path(__file__).parent.parent / "data"
URL = "/api/maps/breaking-the-cycle"


class _Store:
    """Just what the router reads: ``get_map``."""

    def __init__(self, *maps: Map) -> None:
        self.maps = {m.slug: m for m in maps}

    def get_map(self, slug: str) -> Map:
        if slug not in self.maps:
            raise UnknownIdError("map", slug)
        return self.maps[slug]


@pytest.fixture(scope="module")
def client() -> TestClient:
    builtin = load_builtin_map("breaking-the-cycle")
    private = builtin.model_copy(update={"slug": "secret", "visibility": "private"})
    app = FastAPI()
    app.state.store = _Store(builtin, private)
    app.include_router(briefs.router)
    return TestClient(app)


@pytest.mark.parametrize(
    ("query", "media", "disposition"),
    [
        (
            "loop=short-sentence-cycle",
            "text/html",
            'inline; filename="brief-breaking-the-cycle-loop-short-sentence-cycle.html"',
        ),
        (
            "factor=financial-hardship&format=docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            'attachment; filename="brief-breaking-the-cycle-factor-financial-hardship.docx"',
        ),
        (
            "from=financial-hardship&to=reoffending&format=html",
            "text/html",
            'inline; filename="brief-breaking-the-cycle-path-financial-hardship-to-reoffending.html"',
        ),
        (
            "loop=reoffending,short-custodial-sentences",
            "text/html",
            'inline; filename="brief-breaking-the-cycle-loop-short-sentence-cycle.html"',
        ),
    ],
)
def test_brief_files(client: TestClient, query: str, media: str, disposition: str) -> None:
    response = client.get(f"{URL}/brief?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-disposition"] == disposition
    assert len(response.content) > 1000


def test_pdf_brief(client: TestClient, weasyprint_ok: None) -> None:
    response = client.get(f"{URL}/brief?loop=drugs-crime-prison-cycle&format=pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "attachment" in response.headers["content-disposition"]


@pytest.mark.parametrize(
    ("path", "status", "message"),
    [
        ("/api/maps/nope/brief?factor=financial-hardship", 404, "no public map 'nope'"),
        ("/api/maps/secret/brief?factor=financial-hardship", 404, "no public map 'secret'"),
        (f"{URL}/brief?loop=nope", 404, "unknown loop 'nope'"),
        (f"{URL}/brief?factor=financial-hardshp", 404, "did you mean 'financial-hardship'"),
        (f"{URL}/brief?from=financial-hardship&to=nope", 404, "unknown factor 'nope'"),
        (f"{URL}/brief?from=community-safety&to=help-finding-accommodation", 404, "no path"),
        (f"{URL}/brief?loop=financial-hardship,reoffending", 404, "not a loop"),
        (f"{URL}/brief", 422, "exactly one"),
        (f"{URL}/brief?factor=financial-hardship&loop=short-sentence-cycle", 422, "exactly one"),
        (f"{URL}/brief?from=financial-hardship", 422, "both from and to"),
        (f"{URL}/brief?factor=financial-hardship&format=rtf", 422, "format"),
        (f"{URL}/brief?from=financial-hardship&to=financial-hardship", 422, "same factor"),
    ],
)
def test_brief_errors(client: TestClient, path: str, status: int, message: str) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert message in response.json()["detail"]


def test_funding_gaps(client: TestClient) -> None:
    from loopwise.builtin import load_builtin_map

    document = client.get(f"{URL}/funding-gaps").json()
    factors = load_builtin_map("breaking-the-cycle").factors
    assert document["target"] == "reoffending"
    assert len(document["factors"]) == len(factors) - 1
    first = document["factors"][0]
    assert any(row["gap"] for row in document["factors"])
    assert {"score", "total_effect", "r_loops", "b_loops", "reach", "evidence_strength",
            "organisations", "funding_total"} <= set(first)  # fmt: skip


def test_funding_gaps_with_an_uploaded_portfolio(client: TestClient) -> None:
    raw = (DATA / "portfolio.xlsx").read_bytes()
    response = client.post(f"{URL}/funding-gaps?filename=portfolio.xlsx", content=raw)
    assert response.status_code == 200, response.text
    document = response.json()
    assert [o["id"] for o in document["portfolio"]["organisations"]][0] == "example-housing-trust"
    rows = {row["factor"]: row for row in document["factors"]}
    assert rows["settled-accommodation"]["portfolio"] == 1
    touched = {c["id"] for c in document["portfolio"]["curated_touched"]}
    assert "homeless-release-cycle" in touched
    assert "short-sentence-cycle" in {c["id"] for c in document["portfolio"]["curated_missed"]}


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("portfolio-unknown-factor.csv", "unknown factor"),
        ("portfolio-bad-amount.csv", "bad amount"),
    ],
)
def test_funding_gaps_bad_portfolio(client: TestClient, name: str, message: str) -> None:
    response = client.post(
        f"{URL}/funding-gaps?filename={name}", content=(DATA / name).read_bytes()
    )
    assert response.status_code == 422 and message in response.json()["detail"]
    assert client.post(f"{URL}/funding-gaps", content=b"").status_code == 422
