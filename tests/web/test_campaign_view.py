"""The campaign view of a policy: the chain to reoffending with evidence at each step, the
measured comparison with its caveat, the cost figure; 404 for anything but a policy."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from loopwise.builtin import load_builtin_map
from loopwise.store import open_store
from loopwise.web.app import create_app

MAP = "/maps/breaking-the-cycle"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    path: Path = tmp_path_factory.mktemp("campaign") / "web.db"
    store = open_store(f"sqlite:///{path}")
    store.create_map(load_builtin_map(), author="test")
    return TestClient(create_app(store))


def test_short_sentences_campaign(client: TestClient) -> None:
    response = client.get(f"{MAP}/campaigns/short-custodial-sentences")
    assert response.status_code == 200
    text = response.text
    assert "The ask:</strong> Reduce the use of short custodial sentences" in text
    steps = re.findall(r'<li id="step-\d+" data-link="([^"]+)">(.*?)</li>\s*(?=<li id="step|</ol>)',
                       text, re.S)  # fmt: skip
    assert [link for link, _ in steps] == ["short-custodial-sentences--reoffending"]
    body = steps[0][1]
    assert body.count('<blockquote class="evidence">') >= 2  # the evidence at this step
    assert "the sources say this directly" in body
    measured = re.search(r'<ul class="measured">(.*?)</ul>', text, re.S).group(1)
    assert "matched comparison" in measured and "Caveat:" in measured
    cost = re.search(r'<ul class="cost">(.*?)</ul>', text, re.S).group(1)
    assert "£18 billion" in cost and "(2022)" in cost
    assert "length=one-page" in text  # the brief to take to an MP


@pytest.mark.parametrize("factor", ["fear-of-recall", "reoffending", "no-such-factor"])
def test_not_a_policy_is_404(client: TestClient, factor: str) -> None:
    assert client.get(f"{MAP}/campaigns/{factor}").status_code == 404


def test_home_asks_and_policy_pages_link_campaigns(client: TestClient) -> None:
    home = client.get(MAP).text
    block = re.search(r'<ul class="ask-list">(.*?)</ul>', home, re.S).group(1)
    links = re.findall(r'href="([^"]+)"', block)
    assert links and all("/campaigns/" in link for link in links)
    for link in links:
        assert client.get(link).status_code == 200, link
    factor = client.get(f"{MAP}/factors/recall-to-prison").text
    assert f"{MAP}/campaigns/recall-to-prison" in factor
