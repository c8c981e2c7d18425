"""Stories: the list, a story's cover, one page per step (its own address), the JSON API, the
editor's form, and the published site's story pages."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.conftest import sign_in
from loopwise.builtin import load_builtin_map
from loopwise.publish import publish_site
from loopwise.store import Store, open_store
from loopwise.web.app import create_app

BUILTIN = load_builtin_map()
BASE = "/maps/breaking-the-cycle"
OVERVIEW = "cycle-in-seven-steps"


@pytest.fixture(scope="module")
def builtin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('stories') / 'web.db'}")
    store.create_map(BUILTIN, author="test")
    yield TestClient(create_app(store))
    store.close()


def test_the_builtin_map_ships_its_circles_and_the_overview() -> None:
    ids = [s.id for s in BUILTIN.stories]
    assert ids[0] == OVERVIEW and len(BUILTIN.story(OVERVIEW).steps) == 7
    vicious = [lp.id for lp in BUILTIN.curated_loops if lp.kind == "R"]
    assert set(vicious) <= set(ids)
    for loop_id in vicious:  # each circle's story walks every link of its circle
        loop = BUILTIN.curated_loop(loop_id)
        ring = [*loop.factors, loop.factors[0]]
        shown = {lk for step in BUILTIN.story(loop_id).steps for lk in step.links}
        assert {f"{a}--{b}" for a, b in zip(ring, ring[1:], strict=False)} <= shown


def test_list_cover_and_steps(builtin: TestClient) -> None:
    listing = html.unescape(builtin.get(f"{BASE}/stories").text)
    assert "The cycle of reoffending in seven steps" in listing
    assert f'href="{BASE}/stories/{OVERVIEW}/steps/1"' in listing
    cover = builtin.get(f"{BASE}/stories/{OVERVIEW}")
    assert cover.status_code == 200 and cover.text.count(f"/stories/{OVERVIEW}/steps/") == 8
    story = BUILTIN.story(OVERVIEW)
    for number, step in enumerate(story.steps, 1):
        page = builtin.get(f"{BASE}/stories/{OVERVIEW}/steps/{number}")
        assert page.status_code == 200
        text = html.unescape(page.text)
        assert f'<h1 id="step" tabindex="-1">{step.title}</h1>' in text
        assert f"step {number} of 7" in text and 'role="status" aria-live="polite"' in text
        assert ('rel="prev"' in text) == (number > 1) and ('rel="next"' in text) == (number < 7)
        for link_id in step.links:  # the evidence shown is the links' own, word for word
            for ev in BUILTIN.link(link_id).evidence:
                assert ev.text in text
        assert 'id="play-table"' in text and "js/story.js" in text
    same = builtin.get(f"{BASE}/stories/{OVERVIEW}?step=3").text
    assert same == builtin.get(f"{BASE}/stories/{OVERVIEW}/steps/3").text


def test_a_step_shows_no_evidence_but_its_links(builtin: TestClient) -> None:
    step = BUILTIN.story(OVERVIEW).steps[0]
    text = html.unescape(builtin.get(f"{BASE}/stories/{OVERVIEW}/steps/1").text)
    quoted = re.findall(r'<blockquote class="evidence[^"]*">\s*<p>“?(.*?)”?</p>', text, re.S)
    own = {ev.text for lk in step.links for ev in BUILTIN.link(lk).evidence}
    assert quoted and set(quoted) <= own


def test_step_play_is_the_fcm_steps_as_text(builtin: TestClient) -> None:
    text = html.unescape(builtin.get(f"{BASE}/stories/{OVERVIEW}/steps/1").text)
    assert "What if “Use of short custodial sentences” rose?" in text
    rows = re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', text)
    assert [r[0] for r in rows] == ["Use of short custodial sentences", "Reoffending"]
    reoffending = re.findall(r"<td>(.*?)</td>", rows[1][1])
    assert reoffending[0] == "0" and reoffending[1].startswith("+")  # it arrives a step later


@pytest.mark.parametrize("path", [f"/stories/{OVERVIEW}/steps/8", "/stories/no-such-story",
                                  f"/stories/{OVERVIEW}/steps/0"])  # fmt: skip
def test_unknown_stories_and_steps(builtin: TestClient, path: str) -> None:
    assert builtin.get(BASE + path).status_code in (404, 422)


def test_api_lists_and_reads_stories(builtin: TestClient) -> None:
    listing = builtin.get("/api/maps/breaking-the-cycle/stories").json()
    assert [s["id"] for s in listing] == [s.id for s in BUILTIN.stories]
    one = builtin.get(f"/api/maps/breaking-the-cycle/stories/{OVERVIEW}").json()
    assert one["steps"][2]["title"] == BUILTIN.story(OVERVIEW).steps[2].title
    assert builtin.get("/api/maps/breaking-the-cycle/stories/nope").status_code == 404


TOUR = {"id": "tour", "name": "Tour", "steps": [
    {"title": "Homes", "text": "Homelessness and reoffending.",
     "factors": ["homelessness", "reoffending"], "links": ["homelessness--reoffending"]}]}  # fmt: skip


def test_api_writes_a_story_as_a_revision(
    client: TestClient, store: Store, tokens: dict[str, dict[str, str]]
) -> None:
    url = "/api/maps/demo/stories/tour"
    body = {"based_on": 1, "story": TOUR}
    assert client.put(url, json=body, headers=tokens["viewer"]).status_code == 403
    saved = client.put(url, json=body, headers=tokens["editor"])
    assert saved.status_code == 200 and saved.json()["version"] == 2
    assert store.get_map("demo").story("tour").steps[0].title == "Homes"
    assert client.put(url, json=body, headers=tokens["editor"]).status_code == 409  # stale
    bad = {"based_on": 2, "story": {**TOUR, "steps": [{**TOUR["steps"][0], "links": ["x--y"]}]}}
    refused = client.put(url, json=bad, headers=tokens["editor"])
    assert refused.status_code == 422 and "story 'tour' step 1 links" in refused.json()["detail"]
    assert store.version("demo") == 2  # nothing written
    gone = client.delete(url + "?based_on=2", headers=tokens["editor"])
    assert gone.status_code == 200 and store.get_map("demo").stories == []


def _csrf(client: TestClient, page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text).group(1)


def test_editor_writes_a_story_with_the_form(client: TestClient, store: Store) -> None:
    page = "/maps/demo/edit/stories"
    assert client.get(page, follow_redirects=False).status_code == 303  # sign in first
    assert sign_in(client, "editor").status_code == 303
    form = {"csrf_token": _csrf(client, page), "based_on": "1", "id": "tour", "name": "Tour",
            "title-1": "Homes", "text-1": "Homelessness and reoffending.",
            "factors-1": "homelessness, reoffending", "links-1": "homelessness--reoffending",
            "title-2": "", "text-2": ""}  # fmt: skip
    bad = client.post(page, data={**form, "factors-1": "homelessness nowhere"})
    assert bad.status_code == 422 and "story &#39;tour&#39; step 1 factors" in bad.text
    assert store.version("demo") == 1
    saved = client.post(page, data=form, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/maps/demo/stories/tour"
    assert store.history("demo")[-1].author == "editor"
    assert store.get_map("demo").story("tour").steps[0].links == ["homelessness--reoffending"]
    edit = client.get(page + "/tour").text
    assert 'value="Homes"' in edit and 'name="title-2"' in edit
    stale = client.post(page, data={**form, "csrf_token": _csrf(client, page), "based_on": "1"})
    assert stale.status_code == 409


def test_viewers_cannot_use_the_form(client: TestClient) -> None:
    sign_in(client, "viewer")
    assert client.get("/maps/demo/edit/stories").status_code == 403


def test_published_site_has_every_story_step(tmp_path: Path) -> None:
    publish_site(BUILTIN, tmp_path)
    assert 'href="stories/cycle-in-seven-steps.html"' in (tmp_path / "stories.html").read_text()
    for story in BUILTIN.stories:
        for number in range(1, len(story.steps) + 1):
            page = (tmp_path / "stories" / story.id / "steps" / f"{number}.html").read_text()
            assert 'src="../../../data/graph.js"' in page and 'href="../../../factors/' in page
            assert "/maps/" not in page and "/api/" not in page  # relative links only
