"""The built-in map "Breaking the cycle of reoffending": checks that fail if its data breaks.

Seed quotes are checked against the seed documents, found in ``$LOOPWISE_SEEDS_DIR`` or
``<repo root>/../shared/seeds``. Without them the quote test is skipped, except under CI
(``$CI`` set), where it fails.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from loopwise.builtin import builtin_map_slugs, load_builtin_map
from loopwise.model import Map

REPO_ROOT = Path(__file__).resolve().parents[1]
SEED_FILES = ("000_8becc94c9f9319c9.txt", "004_a8f2dc39369e899e.txt")

# The seven vicious circles of the domain brief, by the factor ids the map uses for them.
VICIOUS_CIRCLES = {
    "short-sentence-cycle": {"short-custodial-sentences", "multiple-unmet-needs", "reoffending"},
    "homeless-release-cycle": {
        "release-without-accommodation", "offending-to-return-to-prison", "short-custodial-sentences",
    },
    "recall-silence-cycle": {
        "threat-of-recall", "honest-disclosure", "multiple-unmet-needs", "licence-breaches",
        "recall-to-prison",
    },
    "drugs-crime-prison-cycle": {
        "substance-dependency", "drug-money-gap", "acquisitive-crime", "reoffending",
        "short-custodial-sentences", "prison-substance-treatment",
    },
    "stigma-work-poverty-cycle": {
        "criminal-past-stigma", "employment-after-release", "poverty", "reoffending",
    },
    "mistrust-crisis-cycle": {
        "mistrust-of-authority", "engagement-with-community-services", "crisis",
        "contact-with-police-and-courts", "negative-experiences-of-cjs",
    },
    "intergenerational-cycle": {
        "parental-imprisonment", "family-relationships", "childrens-later-offending",
    },
}  # fmt: skip


@pytest.fixture(scope="module")
def bmap() -> Map:
    return load_builtin_map("breaking-the-cycle")


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    folder = Path(os.environ.get("LOOPWISE_SEEDS_DIR") or REPO_ROOT.parent / "shared" / "seeds")
    missing = [name for name in SEED_FILES if not (folder / name).is_file()]
    if missing:
        reason = f"seed documents not found in {folder} (set LOOPWISE_SEEDS_DIR): {missing}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    texts = {}
    for name in SEED_FILES:
        with open(folder / name, encoding="utf-8", newline="") as fh:
            texts[name] = fh.read()
    return texts


def _sources(bmap: Map) -> dict:
    return {s.id: s for s in bmap.sources}


def test_map_ships_and_validates(bmap: Map) -> None:
    assert "breaking-the-cycle" in builtin_map_slugs()
    assert bmap.slug == "breaking-the-cycle"
    assert bmap.title == "Breaking the cycle of reoffending"
    assert bmap.licence == "CC-BY-4.0" and bmap.visibility == "public"
    assert bmap.interventions == []
    # round trip through the canonical form keeps it valid and unchanged
    assert Map.from_dict(bmap.to_dict()).to_dict() == bmap.to_dict()


def test_size_themes_and_stages(bmap: Map) -> None:
    assert len(bmap.factors) >= 60
    assert len(bmap.links) >= 120
    themes = {t.id for t in bmap.themes}
    stages = {s.id for s in bmap.stages}
    assert len(themes) >= 10 and len(stages) == 4
    for factor in bmap.factors:
        assert factor.theme in themes, factor.id
        assert factor.stage in stages, factor.id
        assert factor.description, factor.id
    assert bmap.factor("reoffending")
    # every theme and stage is used
    assert {f.theme for f in bmap.factors} == themes
    assert {f.stage for f in bmap.factors} == stages


def test_every_link_has_accepted_evidence_and_a_mechanism(bmap: Map) -> None:
    for link in bmap.links:
        assert any(ev.status == "accepted" for ev in link.evidence), link.id
        assert link.mechanism.strip(), link.id
        assert link.strength in ("weak", "medium", "strong"), link.id


def test_seed_quotes_match_their_files_exactly(bmap: Map, seed_texts: dict[str, str]) -> None:
    sources = _sources(bmap)
    checked = 0
    for owner_kind, owner, ev in bmap.evidence_items():
        file = sources[ev.source].file
        if not file:
            continue
        assert file in seed_texts, f"{owner_kind} {owner}: unknown seed file {file}"
        assert ev.span is not None, f"{owner_kind} {owner}: seed quote without a span"
        text = seed_texts[file]
        assert text[ev.span.start : ev.span.end] == ev.text, f"{owner_kind} {owner}: {ev.id}"
        checked += 1
    assert checked >= 15


def test_at_least_fifteen_distinct_seed_quotes(bmap: Map) -> None:
    sources = _sources(bmap)
    quotes = {
        ev.text
        for _, _, ev in bmap.evidence_items()
        if sources[ev.source].file and ev.status == "accepted"
    }
    assert len(quotes) >= 15
    files = {
        sources[ev.source].file for _, _, ev in bmap.evidence_items() if sources[ev.source].file
    }
    assert files == set(SEED_FILES)
    kinds = {
        sources[ev.source].kind for _, _, ev in bmap.evidence_items() if sources[ev.source].file
    }
    assert "interview" in kinds and kinds - {"interview"}


def test_publications_carry_year_and_citation(bmap: Map) -> None:
    for source in bmap.sources:
        assert source.title and source.year, source.id
        if source.kind != "interview":
            assert source.citation, source.id
            assert source.citation.get("title") and source.citation.get("type"), source.id
            assert source.citation.get("issued", {}).get("date-parts"), source.id
        if not source.file:  # a publication, not a seed document
            assert source.url and source.citation.get("URL"), source.id
    for owner_kind, owner, ev in bmap.evidence_items():
        if ev.kind == "figure":
            assert ev.year, f"{owner_kind} {owner}: figure {ev.id} has no year"
        assert "(truncated)" not in ev.text, ev.id


def test_evidence_tags_match_source_kinds(bmap: Map) -> None:
    kinds = {s.id: s.kind for s in bmap.sources}
    for link in bmap.links:
        source_kinds = {kinds[ev.source] for ev in link.evidence}
        expected = set()
        if "interview" in source_kinds:
            expected.add("evidence:interview")
        if source_kinds - {"interview"}:
            expected.add("evidence:literature")
        tags = {t for t in link.tags if t.startswith("evidence:")}
        assert tags, link.id
        assert tags == expected, link.id


def _loop_kind(bmap: Map, factors: list[str]) -> str:
    sign = {(lk.source_factor, lk.target_factor): lk.polarity for lk in bmap.links}
    ring = [*factors, factors[0]]
    minus = sum(sign[(a, b)] == "-" for a, b in zip(ring, ring[1:], strict=False))
    return "R" if minus % 2 == 0 else "B"


@pytest.mark.parametrize("loop_id", sorted(VICIOUS_CIRCLES))
def test_vicious_circles_are_reinforcing_loops(bmap: Map, loop_id: str) -> None:
    loop = bmap.curated_loop(loop_id)
    assert set(loop.factors) == VICIOUS_CIRCLES[loop_id]
    assert loop.kind == "R" and loop.name and loop.narrative
    assert _loop_kind(bmap, loop.factors) == "R"


def test_every_curated_loop_has_the_declared_kind(bmap: Map) -> None:
    assert len(bmap.curated_loops) >= 7
    for loop in bmap.curated_loops:
        assert loop.kind == _loop_kind(bmap, loop.factors), loop.id


def test_organisations_act_on_existing_factors(bmap: Map) -> None:
    factor_ids = {f.id for f in bmap.factors}
    source_ids = {s.id for s in bmap.sources}
    names = {o.name for o in bmap.organisations}
    for expected in ("The Clink Charity", "Anawim", "Change Grow Live", "Revolving Doors Agency"):
        assert expected in names
    assert any(name.startswith("NPC") for name in names)
    for org in bmap.organisations:
        assert org.acts_on, org.id
        for action in org.acts_on:
            assert action.factor in factor_ids, (org.id, action.factor)
            assert action.note and action.source in source_ids, (org.id, action.factor)


def test_no_unconfirmed_figures(bmap: Map) -> None:
    # verified-figures.md marks these as not confirmed: they must never appear.
    texts = " ".join(ev.text for _, _, ev in bmap.evidence_items())
    assert "49%" not in texts and "23% of male" not in texts
    assert "involved in prostitution" not in texts


def test_literature_wording_is_copied_from_the_checked_figures(bmap: Map) -> None:
    """Every figure or finding from a publication is copied word for word from
    ``shared/domain/verified-figures.md``, where each was checked at its source."""
    path = (
        Path(os.environ.get("LOOPWISE_DOMAIN_DIR") or REPO_ROOT.parent / "shared" / "domain")
        / "verified-figures.md"
    )
    if not path.exists():
        reason = f"{path} not found (set LOOPWISE_DOMAIN_DIR)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    checked = path.read_text(encoding="utf-8")
    sources = {s.id: s for s in bmap.sources}
    texts = {ev.text for _, _, ev in bmap.evidence_items() if not sources[ev.source].file}
    assert texts, "the map should cite publications as well as the seeds"
    assert [t for t in texts if t not in checked] == []
