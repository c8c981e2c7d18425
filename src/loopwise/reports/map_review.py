"""A map's review record: every link with its evidence and support grade, for a reader to audit.

The built-in map's record is ``docs/map-review.md``, written by
``scripts/build_builtin_map.py`` and checked against the map by the tests.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({
    ...     "slug": "demo", "title": "Demo",
    ...     "sources": [{"id": "s", "kind": "statistic", "title": "Stats", "year": 2024}],
    ...     "factors": [{"id": "a", "label": "A", "kind": "service"}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "-", "support": "states",
    ...                "support_reason": "The bulletin says so.",
    ...                "evidence": [{"source": "s", "kind": "figure", "text": "B fell 3%."}]}],
    ... })
    >>> print(render_map_review(m).splitlines()[0])
    # Review record: Demo
    >>> "| states | 1 |" in render_map_review(m)
    True
"""

from __future__ import annotations

from collections import Counter

from loopwise.model import Map

_GRADES = ("states", "implies", "inference")


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def loop_sign_product(m: Map, factors: list[str]) -> tuple[int, str]:
    """The number of ``-`` links around a named loop, and the type that makes it (R or B)."""
    sign = {(lk.source_factor, lk.target_factor): lk.polarity for lk in m.links}
    ring = [*factors, factors[0]]
    minus = sum(sign[(a, b)] == "-" for a, b in zip(ring, ring[1:], strict=False))
    return minus, "R" if minus % 2 == 0 else "B"


def render_map_review(m: Map) -> str:
    """The review record of ``m`` as Markdown: counts, named loops, then every link."""
    labels = {f.id: f.label for f in m.factors}
    sources = {s.id: s for s in m.sources}
    themes = {t.id: t.label for t in m.themes}
    out = [
        f"# Review record: {m.title}",
        "",
        "Generated from the map's data; do not edit by hand. For every link: what it claims, "
        "how far its evidence carries it (**states** it, **implies** it, or is our "
        "**inference**), why, and the evidence itself.",
        "",
        "## Counts",
        "",
        "| factor kind | factors |",
        "|---|---|",
    ]
    for kind, count in sorted(Counter(f.kind for f in m.factors).items()):
        out.append(f"| {kind} | {count} |")
    out += ["", "| theme | factors |", "|---|---|"]
    for theme_id, count in Counter(f.theme for f in m.factors).most_common():
        out.append(f"| {_cell(themes.get(theme_id or '', theme_id or '(none)'))} | {count} |")
    out += ["", "| support grade | links |", "|---|---|"]
    grades: Counter[str] = Counter(lk.support or "ungraded" for lk in m.links)
    for grade in (*_GRADES, "ungraded"):
        if grades.get(grade):
            out.append(f"| {grade} | {grades[grade]} |")
    out += ["", "## Named loops", "", "| loop | type | `-` links | factors |", "|---|---|---|---|"]
    for loop in m.curated_loops:
        minus, loop_kind = loop_sign_product(m, loop.factors)
        path = " → ".join(labels[f] for f in [*loop.factors, loop.factors[0]])
        out.append(f"| {_cell(loop.name)} | {loop_kind} | {minus} | {_cell(path)} |")
    out += ["", f"## Links ({len(m.links)})", ""]
    for link in sorted(
        m.links, key=lambda lk: (labels[lk.source_factor], labels[lk.target_factor])
    ):
        verb = "raises" if link.polarity == "+" else "lowers"
        out += [
            f"### {labels[link.source_factor]} {verb} {labels[link.target_factor]}",
            "",
            f"`{link.id}` · polarity `{link.polarity}` · strength {link.strength} · "
            f"support **{link.support or 'ungraded'}**: {_cell(link.support_reason)}",
            "",
        ]
        if link.mechanism:
            out += [f"Mechanism: {_cell(link.mechanism)}", ""]
        for ev in link.evidence:
            source = sources[ev.source]
            year = f", {ev.year}" if ev.year else ""
            out.append(f"- {ev.kind} ({_cell(source.title)}{year}): “{_cell(ev.text)}”")
            if ev.caveat:
                out.append(f"  - Caveat: {_cell(ev.caveat)}")
        out.append("")
    return "\n".join(out).rstrip() + "\n"
