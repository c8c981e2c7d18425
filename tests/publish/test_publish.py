"""``loopwise publish``: a static site with the same pages, working from ``file://``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from loopwise.builtin import load_builtin_map
from loopwise.cli import app
from loopwise.model import Map
from loopwise.publish import publish_site


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    publish_site(load_builtin_map(), out)
    return out


def test_site_has_every_page_and_the_data(site: Path) -> None:
    builtin = load_builtin_map()
    for name in ["index", "canvas", "embed", "loops", "leverage", "funding", "paths", "scenario",
                 "text"]:  # fmt: skip
        assert (site / f"{name}.html").is_file(), name
    assert len(list((site / "factors").glob("*.html"))) == len(builtin.factors)
    assert (site / "static/vendor/cytoscape.min.js").is_file()
    assert (site / "data/graph.js").read_text().startswith("window.loopwiseGraph = {")
    assert "<iframe" in (site / "embed-snippet.html").read_text()


def test_funding_gaps_are_published(site: Path) -> None:
    """The funding page and the canvas overlay's gap list match the server's computation;
    the portfolio upload, which needs the server, is left out and says so."""
    from loopwise.analysis.funding import funding_gap_frame

    builtin = load_builtin_map()
    frame = funding_gap_frame(builtin)
    expected = sorted(str(f) for f in frame.index[frame["gap"].astype(bool)])
    assert expected, "the built-in map has funding gaps"
    gaps_js = (site / "data/gaps.js").read_text()
    assert gaps_js.startswith("window.loopwiseGaps = [")
    assert sorted(json.loads(gaps_js.split("=", 1)[1].strip().rstrip(";"))) == expected
    funding = (site / "funding.html").read_text()
    fundable = frame[frame["kind"].isin(["service", "condition"])]  # policies are listed apart
    assert funding.count('<tr data-factor="') == len(fundable) > 0
    assert funding.count('class="gap"') == len(expected)
    assert 'id="portfolio-upload"' not in funding and "loopwise serve" in funding
    assert "js/funding.js" not in funding
    canvas = (site / "canvas.html").read_text()
    assert 'data-gaps-script="true"' in canvas and "data/gaps.js" in canvas
    assert 'href="funding.html"' in (site / "index.html").read_text()


def test_links_are_relative_and_resolve(site: Path) -> None:
    for page in [site / "index.html", site / "factors/reoffending.html", site / "scenario.html"]:
        text = page.read_text()
        assert 'href="/' not in text and 'src="/' not in text, page
        for target in re.findall(r'(?:href|src)="([^"#:?]+\.(?:html|js|css|json))"', text):
            assert (page.parent / target).resolve().is_file(), (page, target)


def test_hostile_text_is_escaped(tmp_path: Path, small_map_data) -> None:
    small_map_data["factors"][0]["label"] = '<script>alert(1)</script>"onmouseover=x'
    publish_site(Map.from_dict(small_map_data), tmp_path)
    for page in tmp_path.rglob("*.html"):
        text = page.read_text()
        assert "<script>alert" not in text and '"onmouseover' not in text, page
    graph = (tmp_path / "data/graph.js").read_text()
    assert "<script>alert(1)</script>" in graph  # a JS string in a script file, never markup


def test_cli_publish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPWISE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("LOOPWISE_DATABASE_URL", raising=False)
    result = CliRunner().invoke(app, ["publish", "breaking-the-cycle", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "<iframe" in result.output and (tmp_path / "out/index.html").is_file()
    missing = CliRunner().invoke(app, ["publish", "no-such-map", str(tmp_path / "x")])
    assert missing.exit_code != 0


def test_site_works_from_file_urls_in_chromium(site: Path) -> None:
    from web.browser import launch, need_browser

    need_browser()
    from playwright.sync_api import sync_playwright

    from loopwise.builtin import load_builtin_map

    builtin_factors = load_builtin_map("breaking-the-cycle").factors
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((site / "index.html").as_uri())
        page.get_by_role("link", name="Explore the map").click()
        page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
        assert (
            page.locator("#status")
            .inner_text()
            .startswith(f"Showing {len(builtin_factors)} of {len(builtin_factors)}")
        )
        page.get_by_label("Housing").check()
        assert "themes=housing" in page.url
        page.locator("#visible button").first.click()
        page.locator("#open-factor").click()
        page.wait_for_load_state()
        assert page.url.startswith("file://") and "/factors/" in page.url
        assert page.locator("blockquote").count() > 0
        page.get_by_role("link", name="Scenarios").click()
        page.get_by_role("link", name="Use of short custodial sentences").click()
        assert page.locator("#effects-table tbody tr").count() == len(builtin_factors)
        page.get_by_role("link", name="Text view").click()
        assert page.locator("h1").inner_text().endswith("the whole map as text")
        page.screenshot(path=str(site / "file-url.png"))

        # funders: the funding-gap table and the canvas overlay work without a server
        page.get_by_role("link", name="Funding gaps").first.click()
        gaps = page.locator("#funding-table tbody tr.gap").count()
        rows = page.locator("#funding-table tbody tr").count()
        fundable = [f for f in builtin_factors if f.kind in ("service", "condition")]
        assert gaps > 0 and rows == len(fundable)  # services and conditions only
        page.get_by_role("button", name="Score").click()  # the table still sorts
        page.get_by_role("link", name="Map", exact=True).click()
        page.wait_for_selector("body[data-canvas-ready]", timeout=30_000)
        page.get_by_label("Show funding gaps").check()
        page.wait_for_selector("#visible .gap-marker")
        assert page.locator("#visible li.gap").count() == gaps
        assert page.evaluate("window.loopwiseCy.nodes('.gap').length") == gaps
        page.screenshot(path=str(site / "file-url-gaps.png"))
        browser.close()
    assert errors == []
