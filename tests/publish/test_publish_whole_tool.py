"""The published site is the whole public tool as static files: loop pages, stories, briefs
(HTML, PDF, Word) for the named loops and the top factors, and paths between any two factors
found in the browser; every link relative and every linked file there."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from loopwise.builtin import load_builtin_map
from loopwise.present.bundle import MapBundle
from loopwise.present.convert import paths_out
from loopwise.publish import publish_site
from loopwise.publish.briefs import TOP_FACTOR_BRIEFS, top_factors

BUILTIN = load_builtin_map()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("whole-site")
    publish_site(BUILTIN, out)
    return out


def test_every_link_of_every_page_is_relative_and_resolves(site: Path) -> None:
    pages = list(site.rglob("*.html"))
    assert len(pages) > 200
    for page in pages:
        if page.parent.parent.name == "briefs":
            continue  # the briefs are standalone documents (checked below)
        text = page.read_text(encoding="utf-8")
        assert 'href="/' not in text and 'src="/' not in text, page
        for target in re.findall(r'(?:href|src)="([^"]+)"', text):
            if target.startswith(("#", "data:", "http://", "https://", "mailto:")):
                continue
            path = target.split("#")[0].split("?")[0]
            assert (page.parent / path).resolve().is_file(), (page, target)


def test_briefs_for_the_named_loops_and_the_top_factors(site: Path) -> None:
    from loopwise.reports.pdf_brief import weasyprint_problem

    top = top_factors(MapBundle(BUILTIN, 1))
    assert len(top) == TOP_FACTOR_BRIEFS
    subjects = [("loops", lp.id, lp.name) for lp in BUILTIN.curated_loops]
    subjects += [("factors", f, BUILTIN.factor(f).label) for f in top]
    for kind, id_, name in subjects:
        html_brief = (site / "briefs" / kind / f"{id_}.html").read_text(encoding="utf-8")
        assert name in html_brief.replace("&#39;", "'").replace("&amp;", "&")
        assert (site / "briefs" / kind / f"{id_}.docx").read_bytes()[:2] == b"PK"
        if weasyprint_problem() is None:
            assert (site / "briefs" / kind / f"{id_}.pdf").read_bytes()[:5] == b"%PDF-"
    loop_page = (site / "loops" / f"{BUILTIN.curated_loops[0].id}.html").read_text()
    assert f'href="../briefs/loops/{BUILTIN.curated_loops[0].id}.pdf" download' in loop_page
    factor_page = (site / "factors" / f"{top[0]}.html").read_text()
    assert f'href="../briefs/factors/{top[0]}.html"' in factor_page
    other = next(f.id for f in BUILTIN.factors if f.id not in top)
    assert "briefs/" not in (site / "factors" / f"{other}.html").read_text()


PAIRS = [("fear-of-recall", "reoffending"), ("settled-accommodation", "recall-to-prison"),
         ("reoffending", "fear-of-recall"), ("community-safety", "fear-of-recall")]  # fmt: skip


def test_paths_between_any_two_factors_from_file(site: Path) -> None:
    """The published paths page finds, in Chromium from file://, the paths the server's
    ``paths_out`` finds: the same count and net sign for any two factors."""
    from web.browser import launch, need_browser

    need_browser()
    from playwright.sync_api import sync_playwright

    bundle = MapBundle(BUILTIN, 1)
    with sync_playwright() as pw:
        browser = launch(pw)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors: list[Any] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto((site / "paths.html").as_uri())
        for source, target in PAIRS:
            expected = paths_out(bundle, source, target)
            page.select_option("#path-from", source)
            page.select_option("#path-to", target)
            page.get_by_role("button", name="Find paths").click()
            page.wait_for_selector("#static-net-sign")
            assert page.url.endswith(f"#from={source}&to={target}")  # a shareable address
            assert page.locator("#static-paths-result ol.paths > li").count() == expected.total
            net = page.locator("#static-net-sign").inner_text()
            words = {"+": "Net sign: + ", "-": "Net sign: \u2212 ", "mixed": "Net sign: mixed",
                     "none": "No path"}  # fmt: skip
            assert net.startswith(words[expected.net_sign]), (source, target, net)
        page.goto((site / "paths.html").as_uri() + "#from=reoffending&to=fear-of-recall")
        page.wait_for_selector("#static-net-sign")  # the address alone shows the result
        browser.close()
    assert errors == []
