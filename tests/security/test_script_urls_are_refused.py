"""Finding 6: ``javascript:`` and other script URLs are refused in source, citation and
organisation URLs (the model, the API, every format import), maps stored before the check
are read with them dropped, and the static site and saved briefs carry a CSP meta tag."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from loopwise.errors import ValidationError
from loopwise.model import Map
from loopwise.model.entities import Organisation
from loopwise.model.evidence import Source
from loopwise.store import Store
from loopwise.store.tables import ENTITY_TABLES
from store.conftest import sample_map_data

SCRIPT_URLS = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/x",
    "evil.example/x",
    "http:evil",
]
WEB_URLS = ["https://www.gov.uk/x", "http://example.org", "mailto:info@example.org"]


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_the_model_refuses_script_urls(url: str) -> None:
    with pytest.raises(ValueError, match="not a web address"):
        Source(id="s", kind="literature", title="T", url=url)
    with pytest.raises(ValueError, match="not a web address"):
        Source(id="s", kind="literature", title="T", citation={"URL": url})
    with pytest.raises(ValueError, match="not a web address"):
        Organisation(id="o", name="O", url=url)


@pytest.mark.parametrize("url", WEB_URLS)
def test_web_and_mail_urls_are_kept(url: str) -> None:
    assert Source(id="s", kind="literature", title="T", url=url).url == url
    assert Organisation(id="o", name="O", url=url).url == url


def hostile_map(where: str) -> dict[str, Any]:
    data = sample_map_data("hostile")
    if where == "source":
        data["sources"][1]["url"] = "javascript:alert(1)"
    elif where == "citation":
        data["sources"][1]["citation"] = {"URL": "javascript:alert(1)"}
    else:
        data["organisations"][0]["url"] = "javascript:alert(1)"
    return data


@pytest.mark.parametrize("where", ["source", "citation", "organisation"])
def test_a_map_file_with_a_script_url_is_refused_in_one_line(tmp_path: Path, where: str) -> None:
    from loopwise.formats import read_map

    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(hostile_map(where)))
    with pytest.raises(ValidationError) as caught:
        read_map(path)
    message = str(caught.value)
    assert "\n" not in message and "not a web address" in message
    assert ("organisations[0]" if where == "organisation" else "sources[1]") in message


def test_kumu_import_with_a_script_url_is_refused(tmp_path: Path) -> None:
    from loopwise.formats import read_map

    project = {"elements": [{"_id": "a", "attributes": {"label": "A"}},
                            {"_id": "b", "attributes": {"label": "B"}}],
               "connections": [{"from": "a", "to": "b", "attributes": {}}]}  # fmt: skip
    path = tmp_path / "kumu.json"
    path.write_text(json.dumps(project))
    base = read_map(path)  # the file is fine without a URL
    data = base.to_dict()
    data["organisations"] = [{"id": "o", "name": "O", "url": "javascript:alert(1)"}]
    with pytest.raises(ValidationError, match="not a web address"):
        Map.from_dict(data)


def test_the_api_refuses_script_urls_and_writes_nothing(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    version = store.version("demo")
    for path, body in (
        ("/api/maps/demo/sources", {"source": {"id": "x", "kind": "literature", "title": "X",
                                               "url": "javascript:alert(1)"}}),
        ("/api/maps/demo/sources", {"source": {"id": "x", "kind": "literature", "title": "X",
                                               "citation": {"URL": "javascript:alert(1)"}}}),
        ("/api/maps/demo/organisations", {"organisation": {"id": "x", "name": "X",
                                                           "url": "javascript:alert(1)"}}),
    ):  # fmt: skip
        response = client.post(path, json={"based_on": version, **body}, headers=tokens["editor"])
        assert response.status_code == 422, response.text
        assert "not a web address" in response.json()["detail"]
    assert store.version("demo") == version


def test_maps_stored_before_the_check_are_read_without_them(
    client: TestClient, store: Store
) -> None:
    sources = ENTITY_TABLES["source"]
    orgs = ENTITY_TABLES["organisation"]
    legacy = {"id": "npc-2021", "kind": "literature", "title": "Breaking the cycle",
              "url": "javascript:alert(1)", "citation": {"URL": "javascript:alert(2)"}}  # fmt: skip
    with store.writing() as conn:
        conn.execute(update(sources).where(sources.slug == "npc-2021").values(data=legacy))
        conn.execute(update(orgs).where(orgs.slug == "shelter")
                     .values(data={"id": "shelter", "name": "Shelter", "url": "javascript:x"}))  # fmt: skip
    map_ = store.get_map("demo")
    assert map_.source("npc-2021").url is None and map_.source("npc-2021").citation == {}
    for page in ("/maps/demo/text", "/maps/demo/factors/homelessness", "/api/maps/demo/sources"):
        response = client.get(page)
        assert response.status_code == 200 and "javascript:" not in response.text, page


def test_the_static_site_and_saved_briefs_carry_a_csp(tmp_path: Path) -> None:
    from loopwise.publish import publish_site
    from loopwise.reports import build_brief, render_brief

    map_ = Map.from_dict(sample_map_data("demo"))
    publish_site(map_, tmp_path)
    pages = list(tmp_path.rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        if page.name == "embed-snippet.html":
            continue  # a snippet to paste into another page, not a page
        head = html.unescape(page.read_text().split("</head>")[0])
        assert '<meta http-equiv="Content-Security-Policy"' in head, page
        if "briefs" in page.relative_to(tmp_path).parts:  # a brief runs no script at all
            assert "default-src 'none'" in head and "script-src" not in head, page
            continue
        assert "script-src 'self'" in head, page
    brief = render_brief(build_brief(map_, loop="housing-loop"), "html").decode()
    head = brief.split("</head>")[0]
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'' in head
