"""Hypothesis strategies that build valid maps, shared by round-trip and invariant tests."""

from __future__ import annotations

from hypothesis import strategies as st

from loopwise.model import Map

slugs = st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4}){0,2}", fullmatch=True)
# any text, including markup and non-Latin scripts; no surrogates (not valid in JSON files)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)
labels = texts.filter(lambda s: len(s) >= 1)


@st.composite
def maps(draw: st.DrawFn, max_factors: int = 8) -> Map:
    """A random valid map: factors, links with evidence, sources, a loop when one exists."""
    factor_ids = draw(st.lists(slugs, min_size=2, max_size=max_factors, unique=True))
    source_ids = draw(st.lists(slugs, min_size=1, max_size=3, unique=True))
    sources = [
        {
            "id": sid,
            "kind": draw(st.sampled_from(["interview", "literature", "statistic", "practitioner"])),
            "title": draw(labels),
            "year": draw(st.none() | st.integers(1990, 2030)),
            "attributes": draw(st.dictionaries(slugs, texts, max_size=2)),
        }
        for sid in source_ids
    ]
    factors = [
        {
            "id": fid,
            "label": draw(labels),
            "description": draw(texts),
            "tags": draw(st.lists(texts, max_size=2)),
        }
        for fid in factor_ids
    ]
    pairs = [(a, b) for a in factor_ids for b in factor_ids if a != b]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=12, unique=True))
    links = []
    for a, b in chosen:
        polarity = draw(st.sampled_from(["+", "-"]))
        magnitude = draw(st.sampled_from(["weak", "medium", "strong"]) | st.floats(0.0, 1.0))
        strength = (
            magnitude
            if isinstance(magnitude, str)
            else (magnitude if polarity == "+" else -magnitude)
        )
        evidence = [
            {
                "source": draw(st.sampled_from(source_ids)),
                "kind": draw(st.sampled_from(["quote", "figure", "finding"])),
                "text": draw(labels),
                "status": draw(st.sampled_from(["suggested", "accepted", "rejected"])),
            }
            for _ in range(draw(st.integers(0, 2)))
        ]
        links.append(
            {
                "from": a,
                "to": b,
                "polarity": polarity,
                "strength": strength,
                "delay": draw(st.booleans()),
                "mechanism": draw(texts),
                "evidence": evidence,
            }
        )
    return Map.from_dict(
        {
            "slug": draw(slugs),
            "title": draw(labels),
            "description": draw(texts),
            "visibility": draw(st.sampled_from(["public", "private"])),
            "sources": sources,
            "factors": factors,
            "links": links,
        }
    )
