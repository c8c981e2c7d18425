"""The built-in map "Breaking the cycle of reoffending", second edition: checks that fail if its
data breaks or drifts from its source.

The map's source is ``data/breaking-the-cycle/*.yaml``; ``scripts/build_builtin_map.py`` builds
the shipped JSON and ``docs/map-review.md`` from it. These tests rebuild both and compare, and
check the wording against the seed documents (``$LOOPWISE_SEEDS_DIR`` or
``<repo root>/../shared/seeds``) and the checked material (``$LOOPWISE_DOMAIN_DIR`` or
``../shared/domain``). Without those folders the tests that need them are skipped, except
under CI (``$CI`` set), where they fail.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest

from loopwise.analysis.structure import aggregate_double_routes
from loopwise.builtin import builtin_map_slugs, load_builtin_map
from loopwise.model import FORMAT_VERSION, Map

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED = REPO_ROOT.parent / "shared"
SEED_FILES = ("000_8becc94c9f9319c9.txt", "004_a8f2dc39369e899e.txt")
NEGATION = re.compile(r"\b(without|lack|lacking|no|not|poor|un\w+|mis\w+|non\w*)\b", re.I)
# the first edition's named vicious circles kept in the second (the others were merged or
# dropped, with the reason in data/breaking-the-cycle/loops.yaml)
KEPT_CIRCLES = (
    "short-sentence-cycle", "homeless-release-cycle", "recall-silence-cycle",
    "drugs-crime-prison-cycle", "mistrust-crisis-cycle",
)  # fmt: skip


def _need_folder(env: str, folder: Path) -> Path:
    path = Path(os.environ.get(env) or folder)
    if not path.is_dir():
        reason = f"{path} not found (set {env})"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


@pytest.fixture(scope="module")
def bmap() -> Map:
    return load_builtin_map("breaking-the-cycle")


@pytest.fixture(scope="module")
def tool() -> ModuleType:
    """``scripts/build_builtin_map.py``, imported as a module."""
    _need_folder("LOOPWISE_SEEDS_DIR", SHARED / "seeds")
    _need_folder("LOOPWISE_DOMAIN_DIR", SHARED / "domain")
    spec = importlib.util.spec_from_file_location(
        "build_builtin_map", REPO_ROOT / "scripts" / "build_builtin_map.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def seed_texts() -> dict[str, str]:
    folder = _need_folder("LOOPWISE_SEEDS_DIR", SHARED / "seeds")
    texts = {}
    for name in SEED_FILES:
        with open(folder / name, encoding="utf-8", newline="") as fh:
            texts[name] = fh.read()
    return texts


def _sources(bmap: Map) -> dict:
    return {s.id: s for s in bmap.sources}


# ----------------------------------------------------------------------------- the data


def test_map_ships_and_validates(bmap: Map) -> None:
    assert "breaking-the-cycle" in builtin_map_slugs()
    assert bmap.slug == "breaking-the-cycle"
    assert bmap.title == "Breaking the cycle of reoffending"
    assert bmap.licence == "CC-BY-4.0" and bmap.visibility == "public"
    assert Map.from_dict(bmap.to_dict()).to_dict() == bmap.to_dict()


def test_shipped_json_and_review_record_are_built_from_the_yaml(tool: ModuleType) -> None:
    """The JSON in the package and docs/map-review.md are exactly what the YAML builds: edit
    the YAML and run the tool, never the JSON by hand."""
    document, built = tool.build_map()
    shipped = load_builtin_map("breaking-the-cycle")
    assert document == shipped.to_dict()
    review = (REPO_ROOT / "docs" / "map-review.md").read_text(encoding="utf-8")
    assert review == tool.review_record(built)


def test_source_data_is_yaml_a_researcher_can_edit() -> None:
    folder = REPO_ROOT / "data" / "breaking-the-cycle"
    names = {p.name for p in folder.glob("*.yaml")}
    assert {"map.yaml", "factors.yaml", "links.yaml", "loops.yaml", "sources.yaml"} <= names
    assert (folder / "README.md").is_file()
    script = (REPO_ROOT / "scripts" / "build_builtin_map.py").read_text(encoding="utf-8")
    assert len(script.splitlines()) < 500  # a tool, not the content
    assert "nobody every asks" not in script  # no quote lives in the code


def test_every_factor_is_a_variable_with_a_kind(bmap: Map) -> None:
    themes = {t.id for t in bmap.themes}
    stages = {s.id for s in bmap.stages}
    kinds = {f.kind for f in bmap.factors}
    assert kinds == {"condition", "service", "policy", "outcome"}
    assert "rise or fall" in bmap.description  # the framing convention is written down
    for factor in bmap.factors:
        assert factor.theme in themes and factor.stage in stages, factor.id
        assert factor.description, factor.id
        assert not NEGATION.search(factor.label), f"{factor.id}: {factor.label!r} is negated"
    outcomes = {f.id for f in bmap.factors if f.kind == "outcome"}
    assert "reoffending" in outcomes
    assert bmap.factor("short-custodial-sentences").kind == "policy"
    assert bmap.factor("help-finding-accommodation").kind == "service"
    assert bmap.factor("settled-accommodation").kind == "condition"


def test_one_variable_per_idea(bmap: Map) -> None:
    """The first edition's near-duplicates and opposite ends are merged."""
    ids = {f.id for f in bmap.factors}
    merged_away = {
        "multiple-unmet-needs", "poverty", "secure-income", "benefit-adequacy", "debt",
        "drug-money-gap", "release-without-accommodation", "housing-instability",
        "rehabilitation-progress", "acquisitive-crime", "offending-to-return-to-prison",
        "childrens-later-offending", "mistrust-of-authority", "trusting-staff-relationships",
        "staff-going-beyond-minimum", "punitive-staff-culture", "stigmatising-language",
        "prison-mental-health-waiting-lists", "access-to-prison-mental-health-care",
    }  # fmt: skip
    assert ids.isdisjoint(merged_away), ids & merged_away
    labels = [f.label.casefold() for f in bmap.factors]
    assert len(labels) == len(set(labels))


def test_no_factor_reaches_an_outcome_through_an_aggregate_and_around_it(bmap: Map) -> None:
    assert aggregate_double_routes(bmap) == []
    assert not any(
        "unmet" in f.label.lower() or "multiple" in f.label.lower() for f in bmap.factors
    )


def test_the_aggregate_check_finds_a_double_route() -> None:
    """The check above can fail: the first edition's shape is caught."""
    m = Map.from_dict({
        "slug": "first", "title": "First edition shape",
        "factors": [
            {"id": "multiple-unmet-needs", "label": "Multiple unmet needs", "tags": ["aggregate"]},
            {"id": "poverty", "label": "Poverty"}, {"id": "debt", "label": "Debt"},
            {"id": "reoffending", "label": "Reoffending", "kind": "outcome"},
        ],
        "links": [
            {"from": "poverty", "to": "multiple-unmet-needs", "polarity": "+"},
            {"from": "debt", "to": "multiple-unmet-needs", "polarity": "+"},
            {"from": "multiple-unmet-needs", "to": "reoffending", "polarity": "+"},
            {"from": "poverty", "to": "debt", "polarity": "+"},
            {"from": "debt", "to": "reoffending", "polarity": "+"},
        ],
    })  # fmt: skip
    routes = aggregate_double_routes(m)
    assert {(r.part, r.outcome) for r in routes} == {
        ("poverty", "reoffending"),
        ("debt", "reoffending"),
    }


def test_every_link_is_graded_and_evidenced(bmap: Map) -> None:
    grades = {"states", "implies", "inference"}
    for link in bmap.links:
        assert link.support in grades, link.id
        assert link.support_reason.strip(), link.id
        assert any(ev.status == "accepted" for ev in link.evidence), link.id
        assert link.mechanism.strip(), link.id
        assert link.strength in ("weak", "medium", "strong"), link.id
        if link.support == "inference":
            assert link.strength == "weak", link.id
        if link.strength == "strong":
            assert link.support == "states", link.id


def test_no_quote_is_spread_over_many_links(bmap: Map) -> None:
    uses: dict[str, int] = {}
    for link in bmap.links:
        for ev in link.evidence:
            uses[ev.text] = uses.get(ev.text, 0) + 1
    assert max(uses.values()) <= 3, max(uses.items(), key=lambda kv: kv[1])


def test_seed_quotes_match_their_files_exactly(bmap: Map, seed_texts: dict[str, str]) -> None:
    sources = _sources(bmap)
    checked = 0
    for owner_kind, owner, ev in bmap.evidence_items():
        file = sources[ev.source].file
        if not file:
            continue
        assert ev.span is not None, f"{owner_kind} {owner}: seed quote without a span"
        assert seed_texts[file][ev.span.start : ev.span.end] == ev.text, ev.id
        checked += 1
    assert checked >= 15


def test_every_other_text_is_checked_wording(bmap: Map, tool: ModuleType) -> None:
    """Every figure, finding, organisation's wording and measured result occurs word for word
    in shared/domain, never from a not-confirmed item, and partly items carry a caveat."""
    domain = tool.DomainMaterial.load(_need_folder("LOOPWISE_DOMAIN_DIR", SHARED / "domain"))
    sources = _sources(bmap)
    items: list[tuple[str, str, str]] = []
    for _, owner, ev in bmap.evidence_items():
        if not sources[ev.source].file:
            items.append((f"{owner}/{ev.id}", ev.text, ev.caveat))
    for org in bmap.organisations:
        for action in org.acts_on:
            if action.source and not sources[action.source].file:
                caveat = action.note if action.note.lower().startswith("caveat") else ""
                items.append((f"{org.id}/{action.factor}", action.text, caveat))
    for intervention in bmap.interventions:
        for effect in intervention.measured:
            items.append((intervention.id, effect.text, effect.caveat))
    assert len(items) >= 40
    for where, text, caveat in items:
        found = domain.locate(text)
        assert found is not None, f"{where}: not word for word in shared/domain: {text[:60]!r}"
        assert found.status != "not confirmed", f"{where}: from a not-confirmed item"
        if found.status == "partly":
            assert caveat, f"{where}: a partly item shown without its caveat"


def test_no_internal_curation_notes_reach_readers(bmap: Map) -> None:
    for _, owner, ev in bmap.evidence_items():
        for text in (ev.caveat, ev.note):
            assert "Status partly" not in text and "mirror" not in text.lower(), owner


def test_figures_carry_year_and_citation(bmap: Map) -> None:
    sources = _sources(bmap)
    for owner_kind, owner, ev in bmap.evidence_items():
        source = sources[ev.source]
        if ev.kind == "figure":
            assert ev.year, f"{owner_kind} {owner}: figure {ev.id} has no year"
        if not source.file:
            assert source.citation.get("title") and source.url, source.id


# ----------------------------------------------------------------------------- indicators

_STOP = {"the", "and", "of", "to", "in", "on", "a", "an", "for", "by", "with", "from", "at"}


def _stems(text: str) -> set[str]:
    return {w[:5] for w in re.findall(r"[a-z]+", text.lower()) if w not in _STOP and len(w) > 2}


def test_every_indicator_measures_its_own_factor(bmap: Map) -> None:
    with_indicator = [f for f in bmap.factors if f.indicator]
    assert len(with_indicator) >= 6
    for factor in with_indicator:
        words = _stems(factor.label + " " + factor.description)
        assert _stems(factor.indicator.text) & words, (factor.id, factor.indicator.text)
        assert factor.indicator.year, factor.id
    population = bmap.factor("prison-population").indicator
    assert "recall" not in population.text.lower() and population.value > 80_000
    housed = bmap.factor("settled-accommodation").indicator
    assert "housed" in housed.text and housed.value == 84.0  # the share housed, as the factor


# ----------------------------------------------------------------------------- loops, who acts


def test_named_loops_have_the_type_their_signs_make(bmap: Map) -> None:
    from loopwise.reports.map_review import loop_sign_product

    assert {lp.kind for lp in bmap.curated_loops} == {"R", "B"}
    for loop in bmap.curated_loops:
        assert loop_sign_product(bmap, loop.factors)[1] == loop.kind, loop.id
        assert loop.name and loop.narrative, loop.id


@pytest.mark.parametrize("loop_id", KEPT_CIRCLES)
def test_first_edition_vicious_circles_are_still_loops(bmap: Map, loop_id: str) -> None:
    assert bmap.curated_loop(loop_id).kind == "R"


def test_organisations_say_in_their_sources_words_where_they_act(bmap: Map) -> None:
    names = {o.name for o in bmap.organisations}
    for expected in ("The Clink Charity", "Anawim", "Change Grow Live", "Revolving Doors Agency"):
        assert expected in names
    assert len(bmap.organisations) >= 14
    factor_ids = {f.id for f in bmap.factors}
    for org in bmap.organisations:
        assert org.acts_on, org.id
        for action in org.acts_on:
            assert action.factor in factor_ids and action.text and action.source, org.id
        assert org.url is None or org.url.startswith(("https://", "http://")), org.id


def test_interventions_carry_measured_effects_null_results_too(bmap: Map) -> None:
    assert len(bmap.interventions) >= 8
    measured = [e for i in bmap.interventions for e in i.measured]
    assert all(e.source in _sources(bmap) and e.year for e in measured)
    assert any(e.significant is False for e in measured)  # null results are kept
    assert any(e.significant and (e.difference_pp or 0) < 0 for e in measured)


def test_format_version(bmap: Map) -> None:
    assert bmap.to_dict()["format_version"] == FORMAT_VERSION == 2


def test_stories_are_built_from_the_yaml_and_show_only_the_maps_links(bmap: Map) -> None:
    """The overview and one story per vicious circle; each step's links' ends are among its
    factors, and a circle's story walks every link of its circle."""
    assert bmap.story("cycle-in-seven-steps").name == "The cycle of reoffending in seven steps"
    assert len(bmap.story("cycle-in-seven-steps").steps) == 7
    for circle in KEPT_CIRCLES:
        story = bmap.story(circle)
        loop = bmap.curated_loop(circle)
        ring = [*loop.factors, loop.factors[0]]
        shown = {lk for step in story.steps for lk in step.links}
        assert {f"{a}--{b}" for a, b in zip(ring, ring[1:], strict=False)} <= shown
    for story in bmap.stories:
        for step in story.steps:
            for link_id in step.links:
                link = bmap.link(link_id)
                assert {link.source_factor, link.target_factor} <= set(step.factors)


def test_story_texts_bring_no_figures_of_their_own(bmap: Map) -> None:
    """A number in a step's text is one the shown links' evidence or mechanism gives (or a
    step number): a story adds no claims."""
    for story in bmap.stories:
        said = " ".join(
            text
            for step in story.steps
            for lk in step.links
            for text in [bmap.link(lk).mechanism, *(ev.text for ev in bmap.link(lk).evidence)]
        )
        for n, step in enumerate(story.steps, 1):
            text = re.sub(r"\bsteps? \d+", "", step.text)
            for number in re.findall(r"\d+(?:\.\d+)?", text):
                assert number in said, f"story {story.id} step {n}: {number} is not in its evidence"


def test_the_build_tool_names_each_bad_story_step(tool: ModuleType, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(REPO_ROOT / "data" / "breaking-the-cycle", folder)
    (folder / "stories.yaml").write_text(
        "stories:\n"
        "- id: bad\n  name: Bad\n  steps:\n"
        "  - {title: A, text: B, factors: [reoffending, nowhere]}\n"
        "  - {title: C, text: D, factors: [reoffending], links: [settled-accommodation--reoffending]}\n"
        "  - {title: E, text: F, factors: [reoffending], links: [reoffending--nowhere]}\n"
        "- id: short-sentence-cycle\n  name: Half a circle\n  steps:\n"
        "  - {title: A, text: B, factors: [short-custodial-sentences, reoffending],"
        " links: [short-custodial-sentences--reoffending]}\n",
        encoding="utf-8",
    )
    with pytest.raises(tool.BuildError) as caught:
        tool.build_map(folder)
    problems = caught.value.problems
    assert "stories.yaml: story bad step 1: unknown factor 'nowhere'" in problems
    assert any(p.startswith("stories.yaml: story bad step 2: link settled-accommodation--"
                            "reoffending needs its factor(s)") for p in problems)  # fmt: skip
    assert "stories.yaml: story bad step 3: unknown link 'reoffending--nowhere'" in problems
    assert ("stories.yaml: story short-sentence-cycle: never shows its loop's link "
            "reoffending--short-custodial-sentences") in problems  # fmt: skip
    assert all("\n" not in p for p in problems)
