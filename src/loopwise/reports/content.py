"""What an evidence brief says, independent of its format (HTML, PDF, DOCX).

:func:`build_brief` turns a loop, a factor or a path of a map into a :class:`Brief`: the
pathway in words and as a small diagram, why it matters (the leverage components of its
factors, see :mod:`loopwise.analysis.leverage`), the evidence (quotes copied exactly with the
participant's attributes, figures with their year and citation), what is being done (the
organisations acting on its factors, with any known funding) and what is missing.

The renderers (:mod:`loopwise.reports.html`, ``pdf``, ``docx``) only lay the brief out.

Example:
    >>> from loopwise.builtin import load_builtin_map
    >>> brief = build_brief(load_builtin_map("breaking-the-cycle"), loop="short-sentence-cycle")
    >>> brief.kind, brief.loop_kind, len(brief.steps), brief.diagram.svg.startswith("<svg")
    ('loop', 'R', 2, True)
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Literal

from loopwise.errors import ValidationError
from loopwise.model.polarity import polarity_known
from loopwise.reports.citations import format_attributes, format_citation, source_year
from loopwise.reports.diagram import MINUS, Diagram, chain_diagram, ring_diagram, star_diagram

if TYPE_CHECKING:
    from loopwise.model import Evidence, Link, Map
    from loopwise.model.map import LinkConfidence

BriefKind = Literal["loop", "factor", "path"]
BriefLength = Literal["one-page", "full"]
BRIEF_LENGTHS: tuple[str, ...] = ("one-page", "full")
HEADLINE_EVIDENCE = 3
"""A one-page brief shows this many pieces of evidence: the newest official figure first."""
ONE_PAGE_MEASURED = 2
ONE_PAGE_MISSING = 3
ONE_PAGE_ACTING = 4
ONE_PAGE_NAMES = 3
"""A one-page brief names at most this many organisations per factor ("and N more")."""
JARGON = (
    "kosko", "tanh", "sigmoid", "lambda", "formula", "score", "total_effect", "total effect",
    "r loops", "b loops", "spectral", "percentile", "evidence_strength", "fcm", "monte carlo",
)  # fmt: skip
"""Analyst words no brief uses (a reader outside the project would not know them)."""
NOBODY_HERE = (
    "No organisation on the map works on these factors (a policy is changed by government; "
    "an outcome moves with what drives it)."
)
NOTHING_MISSING = (
    "Nothing flagged: every link here has accepted evidence, and every service or condition "
    "here has someone working on it."
)
STAR_SIDE_LIMIT = 8
"""A factor brief's diagram draws at most this many causes and effects each."""
DEFAULT_EVIDENCE_PER_LINK = 3
"""A brief shows at most this many evidence items per link (quotes first); the rest are
counted and the brief says how many more the map holds."""
PATH_MAX_LENGTH = 6


@dataclass(frozen=True)
class Step:
    """One link of the pathway, in words."""

    link_id: str
    from_id: str
    from_label: str
    to_id: str
    to_label: str
    polarity: str
    delay: bool
    mechanism: str
    confidence: str  # assumption / low / medium / high
    evidence_count: int

    @property
    def sign(self) -> str:
        """``+`` or the typographic minus."""
        return "+" if self.polarity == "+" else MINUS

    @property
    def effect(self) -> str:
        """What the second factor does when the first goes up."""
        return "goes up too" if self.polarity == "+" else "goes down"


@dataclass(frozen=True)
class EvidenceItem:
    """One quote, figure or finding shown in a brief (``text`` exactly as in the map)."""

    about: str  # "A → B" or a factor label
    link_id: str | None
    kind: str
    text: str
    source_id: str
    source_kind: str
    citation: str
    attributes: str
    year: int | None
    locator: str | None
    note: str


@dataclass(frozen=True)
class LeverageRow:
    factor_id: str
    label: str
    rank: int
    score: float
    total_effect: float
    r_loops: int
    b_loops: int
    reach: int
    evidence_strength: float
    organisations: int
    gap: bool
    kind: str = "condition"
    campaign_ask: bool = False
    who: str = ""  # who acts here, in words ("directly: A, B", "through S: A", "nobody")

    @property
    def verdict(self) -> str:
        """What the factor is for a reader: a funding gap, a campaign ask, or neither."""
        if self.gap:
            return "funding gap: high leverage and nobody works on it"
        if self.campaign_ask:
            return "campaign ask: a policy, changed by government, not by funding"
        return ""


@dataclass(frozen=True)
class OrganisationEntry:
    """An organisation acting on the brief's factors: what it does there, any funding."""

    id: str
    name: str
    kind: str
    url: str | None
    where: str
    description: str
    actions: list[tuple[str, str, str]]  # (factor label, note, citation or "")
    funding: list[str]


@dataclass(frozen=True)
class ActingLine:
    """Who acts on one of the brief's factors, in words (directly or through a service)."""

    factor_id: str
    label: str
    how: str  # direct / upstream
    words: str  # "Change Grow Live" or "through Drug and alcohol treatment: Change Grow Live"
    organisations: tuple[str, ...]  # organisation ids


@dataclass(frozen=True)
class InterventionEntry:
    """An intervention acting on the brief's factors and what studies measured it to do."""

    id: str
    label: str
    description: str
    factors: list[str]  # labels of the brief's factors it acts on
    measured: list[tuple[str, str, str, str]]  # (result, source's words, citation, caveat)


@dataclass
class Brief:
    """Everything a brief shows; renderers only lay it out."""

    kind: BriefKind
    subject: str  # the loop id, the factor id, or "a to b"
    title: str
    subtitle: str
    map_slug: str
    map_title: str
    licence: str
    summary: str
    narrative: str
    steps: list[Step]
    diagram: Diagram
    factor_ids: list[str]
    loop_kind: str | None = None  # R / B for a loop, the net sign for a path
    loops_note: str = ""
    leverage: list[LeverageRow] = field(default_factory=list)
    leverage_target: str | None = None
    leverage_formula: str = ""
    leverage_count: int = 0
    evidence: list[EvidenceItem] = field(default_factory=list)
    evidence_omitted: int = 0
    organisations: list[OrganisationEntry] = field(default_factory=list)
    interventions: list[InterventionEntry] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    other_paths: list[str] = field(default_factory=list)
    evidence_links: list[str] | None = None  # the links whose evidence is shown (None: all)
    generated: date = field(default_factory=date.today)
    length: BriefLength = "full"
    ask: str = ""  # the ask, in one sentence
    headline: list[EvidenceItem] = field(default_factory=list)  # the strongest evidence
    acting: list[ActingLine] = field(default_factory=list)
    nobody: list[str] = field(default_factory=list)  # factor ids the brief says nobody acts on
    why: list[str] = field(default_factory=list)  # why it matters, in plain sentences
    cost: list[EvidenceItem] = field(default_factory=list)  # confirmed cost figures, newest first

    @property
    def filename_stem(self) -> str:
        """A safe file name stem: ``brief-<map>-<kind>-<subject>`` (``-one-page`` added for
        the one-page brief)."""
        subject = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.subject)
        suffix = "-one-page" if self.length == "one-page" else ""
        return f"brief-{self.map_slug}-{self.kind}-{subject}"[: 120 - len(suffix)] + suffix

    @property
    def quotes(self) -> list[EvidenceItem]:
        return [ev for ev in self.evidence if ev.kind == "quote"]

    @property
    def figures(self) -> list[EvidenceItem]:
        return [ev for ev in self.evidence if ev.kind == "figure"]

    @property
    def findings(self) -> list[EvidenceItem]:
        return [ev for ev in self.evidence if ev.kind == "finding"]


# ---------------------------------------------------------------------------- entry point
def build_brief(
    map_: Map,
    *,
    loop: str | Sequence[str] | None = None,
    factor: str | None = None,
    path: tuple[str, str] | None = None,
    target: str | None = None,
    evidence_per_link: int | None = DEFAULT_EVIDENCE_PER_LINK,
    length: BriefLength = "full",
) -> Brief:
    """Build the brief for exactly one of a loop, a factor or a path of ``map_``.

    Parameters
    ----------
    map_ : loopwise.model.Map
    loop : str or sequence of str, optional
        A curated loop's id, or the factor ids of any feedback loop in order (a list, or one
        string joined by ``,`` or ``>``).
    factor : str, optional
        A factor id: the brief shows its direct causes and effects.
    path : (str, str), optional
        From and to factor ids: the brief shows the shortest, best-supported path.
    target : str, optional
        The outcome leverage is ranked for (default ``reoffending`` when the map has it; the
        brief leaves leverage out when it has no such factor).
    evidence_per_link : int or None
        The most evidence items shown per link (``None``: all).
    length : {"full", "one-page"}
        ``one-page``: the brief for an MP, one A4 page: the ask, the diagram, the three
        strongest pieces of evidence (newest official figure first), who already acts, what
        is proven to work and what is missing. Both lengths use plain words only (no
        formulas or analyst terms, see :data:`JARGON`) and never say nobody acts on a factor
        when an organisation they list acts there.

    Returns
    -------
    Brief

    Raises
    ------
    loopwise.errors.UnknownIdError
        An unknown loop or factor id (with suggestions).
    loopwise.errors.ValidationError
        Not exactly one subject; factors that do not form a loop; no path between two factors.
    """
    chosen = [name for name, value in (("loop", loop), ("factor", factor), ("path", path))
              if value is not None]  # fmt: skip
    if len(chosen) != 1:
        raise ValidationError(
            "give exactly one of a loop, a factor or a path (from and to)"
            + (f"; got {' and '.join(chosen)}" if chosen else ""),
            "brief",
        )
    if length not in BRIEF_LENGTHS:
        raise ValidationError(
            f"unknown length {length!r} (choose from {', '.join(BRIEF_LENGTHS)})", "length"
        )
    if loop is not None:
        brief = _loop_brief(map_, loop)
    elif factor is not None:
        brief = _factor_brief(map_, factor)
    else:
        assert path is not None
        brief = _path_brief(map_, path)
    brief.length = length
    _add_leverage(map_, brief, target)
    _add_evidence(map_, brief, evidence_per_link)
    _add_organisations(map_, brief)
    _add_acting(map_, brief)
    _add_interventions(map_, brief)
    _add_missing(map_, brief)
    _add_ask(map_, brief)
    _add_headline(brief)
    _add_cost(map_, brief)
    if length == "one-page":
        _trim_to_one_page(map_, brief)
    return brief


# ---------------------------------------------------------------------------- subjects
def parse_loop_spec(map_: Map, spec: str | Sequence[str]) -> tuple[str | None, list[str]]:
    """A curated loop id or a list of factor ids -> (curated id or None, factor ids in order).

    Raises UnknownIdError for an unknown loop or factor, ValidationError when the factors
    do not go round a loop of the map.
    """
    if isinstance(spec, str):
        if any(lp.id == spec for lp in map_.curated_loops):
            return spec, list(map_.curated_loop(spec).factors)
        separators = [s for s in (",", ">") if s in spec]
        if not separators:
            map_.curated_loop(spec)  # UnknownIdError with suggestions
        ids = [part.strip() for part in spec.replace(">", ",").split(",") if part.strip()]
    else:
        ids = [str(part) for part in spec]
    if len(ids) < 2:
        raise ValidationError("a loop needs at least two factors", "loop")
    if len(set(ids)) != len(ids):
        raise ValidationError("a loop visits each factor once", "loop")
    for fid in ids:
        map_.factor(fid)
    edges = {(lk.source_factor, lk.target_factor) for lk in map_.links}
    ring = [*ids, ids[0]]
    for a, b in zip(ring, ring[1:], strict=False):
        if (a, b) not in edges:
            raise ValidationError(f"no link {a} -> {b}, so this is not a loop", "loop")
    from loopwise.analysis import canonical_cycle

    key = canonical_cycle(ids)
    for curated in map_.curated_loops:
        if canonical_cycle(curated.factors) == key:
            return curated.id, list(curated.factors)
    return None, ids


def _link_between(map_: Map, a: str, b: str) -> Link:
    for link in map_.links:
        if link.source_factor == a and link.target_factor == b:
            return link
    raise ValidationError(f"no link {a} -> {b}", "brief")  # pragma: no cover - checked before


def _step(map_: Map, link: Link, confidences: dict[str, LinkConfidence]) -> Step:
    conf = confidences[link.id]
    return Step(
        link_id=link.id,
        from_id=link.source_factor,
        from_label=map_.factor(link.source_factor).label,
        to_id=link.target_factor,
        to_label=map_.factor(link.target_factor).label,
        polarity=link.polarity,
        delay=link.delay,
        mechanism=link.mechanism,
        confidence=conf.level,
        evidence_count=conf.evidence_count,
    )


def _loop_brief(map_: Map, spec: str | Sequence[str]) -> Brief:
    curated_id, ids = parse_loop_spec(map_, spec)
    confidences = map_.link_confidences()
    ring = [*ids, ids[0]]
    links = [_link_between(map_, a, b) for a, b in zip(ring, ring[1:], strict=False)]
    steps = [_step(map_, link, confidences) for link in links]
    negatives = sum(link.polarity == "-" for link in links)
    kind = "R" if negatives % 2 == 0 else "B"
    if not all(polarity_known(link) for link in links):
        kind = "?"
    labels = [map_.factor(fid).label for fid in ids]
    if curated_id is not None:
        curated = map_.curated_loop(curated_id)
        title, narrative, subject = curated.name, curated.narrative, curated.id
    else:
        title = " → ".join(labels) + " → " + labels[0]
        narrative, subject = "", ",".join(ids)
    kind_words = {
        "R": "a reinforcing loop (R): a change anywhere on it comes back round stronger, so "
        "it is a vicious circle when things get worse and a virtuous one when they get better",
        "B": "a balancing loop (B): it pushes back against change and holds things in place",
        "?": "a feedback loop of unknown type (?): the polarity of at least one of its links "
        "is not known, so whether it reinforces or balances is not known either",
    }[kind]
    summary = f"Each factor leads to the next and back to the first: this is {kind_words}."
    diagram = ring_diagram(
        list(zip(ids, labels, strict=True)),
        [(lk.source_factor, lk.target_factor, lk.polarity) for lk in links],
        title=f"Feedback loop ({kind}): {title}",
    )
    return Brief(
        kind="loop", subject=subject, title=title,
        subtitle=_loop_subtitle(kind, len(ids)),
        map_slug=map_.slug, map_title=map_.title, licence=map_.licence, summary=summary,
        narrative=narrative, steps=steps, diagram=diagram, factor_ids=ids, loop_kind=kind,
    )  # fmt: skip


def _loop_subtitle(kind: str, size: int) -> str:
    if kind == "?":
        return f"A feedback loop of {size} factors, of unknown type (a link's polarity is unknown)"
    return f"A {'reinforcing' if kind == 'R' else 'balancing'} feedback loop of {size} factors"


def _factor_brief(map_: Map, factor_id: str) -> Brief:
    factor = map_.factor(factor_id)
    confidences = map_.link_confidences()

    def order(links: list[Link]) -> list[Link]:
        return sorted(links, key=lambda lk: (-confidences[lk.id].score, lk.id))

    incoming = order([lk for lk in map_.links if lk.target_factor == factor.id])
    outgoing = order([lk for lk in map_.links if lk.source_factor == factor.id])
    steps = [_step(map_, lk, confidences) for lk in [*incoming, *outgoing]]
    causes = [((lk.source_factor, map_.factor(lk.source_factor).label), lk.polarity)
              for lk in incoming]  # fmt: skip
    effects = [((lk.target_factor, map_.factor(lk.target_factor).label), lk.polarity)
               for lk in outgoing]  # fmt: skip
    diagram = star_diagram(
        (factor.id, factor.label), causes[:STAR_SIDE_LIMIT], effects[:STAR_SIDE_LIMIT],
        title=f"What drives {factor.label} and what it drives",
        more_causes=max(0, len(causes) - STAR_SIDE_LIMIT),
        more_effects=max(0, len(effects) - STAR_SIDE_LIMIT),
    )  # fmt: skip
    from loopwise.analysis import find_feedback_loops

    loops = find_feedback_loops(map_)
    on = loops.take(loops.where(through=factor.id))
    curated = [lp.name for lp in map_.curated_loops if factor.id in lp.factors]
    loops_note = (
        f"{factor.label} sits on {len(on)} feedback loop(s) of the map "
        f"({on.reinforcing} reinforcing, {on.balancing} balancing)"
        + (f", including the named loop(s): {'; '.join(curated)}." if curated else ".")
    )
    summary_parts = [f"{len(incoming)} factor(s) of the map drive {factor.label} and it drives "
                     f"{len(outgoing)}."]  # fmt: skip
    if factor.indicator:
        ind = factor.indicator
        value = f" {ind.value:g}{ind.unit if ind.unit == '%' else ' ' + ind.unit}" if (
            ind.value is not None) else ""  # fmt: skip
        year = f" ({ind.year})" if ind.year else ""
        summary_parts.append(f"Indicator: {ind.text}{year}:{value}.".replace(":.", "."))
    return Brief(
        kind="factor", subject=factor.id, title=factor.label,
        subtitle="A factor, what drives it and what it drives",
        map_slug=map_.slug, map_title=map_.title, licence=map_.licence,
        summary=" ".join(summary_parts), narrative=factor.description, steps=steps,
        diagram=diagram, factor_ids=[factor.id], loops_note=loops_note,
        evidence_links=[lk.id for lk in [*incoming[:STAR_SIDE_LIMIT], *outgoing[:STAR_SIDE_LIMIT]]],
    )  # fmt: skip


def _path_brief(map_: Map, path: tuple[str, str]) -> Brief:
    from loopwise.analysis import find_paths

    start, end = path
    found = find_paths(map_, start, end, max_length=PATH_MAX_LENGTH)
    if not found:
        raise ValidationError(
            f"no path from {start!r} to {end!r} within {PATH_MAX_LENGTH} links", "path"
        )
    ranked = sorted(found, key=lambda p: (p.length, -p.weakest_confidence, p.factors))
    best = ranked[0]
    confidences = map_.link_confidences()
    links = [map_.link(lid) for lid in best.links]
    steps = [_step(map_, lk, confidences) for lk in links]
    labels = [map_.factor(fid).label for fid in best.factors]
    first, last = labels[0], labels[-1]
    net = "raises" if best.sign == "+" else "lowers"
    summary = f"Along this path, more {_lower_first(first)} {net} {_lower_first(last)}."
    others = [
        " → ".join(map_.factor(fid).label for fid in p.factors)
        + f" (net {'+' if p.sign == '+' else MINUS})"
        for p in ranked[1:6]
    ]
    note = (
        f"The map has {len(found)} path(s) of up to {PATH_MAX_LENGTH} links from {first} to "
        f"{last}: {found.positive} with net sign +, {found.negative} with net sign {MINUS}."
    )
    diagram = chain_diagram(
        list(zip(best.factors, labels, strict=True)),
        [(lk.source_factor, lk.target_factor, lk.polarity) for lk in links],
        title=f"Causal path: {' → '.join(labels)}",
    )
    return Brief(
        kind="path", subject=f"{start}-to-{end}", title=f"From {first} to {last}",
        subtitle=f"A causal path of {best.length} link(s)", map_slug=map_.slug,
        map_title=map_.title, licence=map_.licence, summary=summary, narrative="",
        steps=steps, diagram=diagram, factor_ids=list(best.factors), loop_kind=best.sign,
        loops_note=note, other_paths=others,
    )  # fmt: skip


# ---------------------------------------------------------------------------- sections
def _add_leverage(map_: Map, brief: Brief, target: str | None) -> None:
    from loopwise.analysis.leverage import DEFAULT_TARGET, SCORE_FORMULA, leverage_frame

    if target is None and not any(f.id == DEFAULT_TARGET for f in map_.factors):
        brief.missing.append(
            f"Leverage is not shown: the map has no factor {DEFAULT_TARGET!r} to rank for."
        )
        return
    from loopwise.analysis.coverage import acting_on

    frame = leverage_frame(map_, target)
    cover = acting_on(map_.without_inferences())
    brief.leverage_target = frame.attrs["target"]
    brief.leverage_formula = SCORE_FORMULA
    brief.leverage_count = len(frame)
    ranks = {fid: i for i, fid in enumerate(frame.index, start=1)}
    for fid in dict.fromkeys(brief.factor_ids):
        if fid not in ranks:
            continue
        row = frame.loc[fid].to_dict()  # the factor's row: column -> value
        brief.leverage.append(
            LeverageRow(
                factor_id=fid, label=str(row["label"]), rank=ranks[fid],
                score=float(row["score"]), total_effect=float(row["total_effect"]),
                r_loops=int(row["r_loops"]), b_loops=int(row["b_loops"]),
                reach=int(row["reach"]), evidence_strength=float(row["evidence_strength"]),
                organisations=int(row["organisations"]), gap=bool(row["gap"]),
                kind=str(row["kind"]), campaign_ask=bool(row["campaign_ask"]),
                who=cover[fid].describe(),
            )
        )  # fmt: skip
    target_label = map_.factor(brief.leverage_target).label
    for ranked in brief.leverage:
        sentence = (
            f"{ranked.label} ranks {ordinal(ranked.rank)} of {brief.leverage_count} factors on "
            f"the map for how much changing it could change {target_label.lower()}"
        )
        brief.why.append(sentence + (f" ({ranked.verdict})." if ranked.verdict else "."))


_KIND_ORDER = {"quote": 0, "figure": 1, "finding": 2}


def _add_evidence(map_: Map, brief: Brief, per_link: int | None) -> None:
    sources = {s.id: s for s in map_.sources}
    seen: dict[tuple[str, str, str], int] = {}
    owners: list[tuple[str, str | None, list[Evidence]]] = []
    if brief.kind == "factor":
        factor = map_.factor(brief.subject)
        owners.append((factor.label, None, factor.evidence))
    for step in brief.steps:
        evidence = map_.link(step.link_id).evidence
        if brief.evidence_links is not None and step.link_id not in brief.evidence_links:
            brief.evidence_omitted += sum(ev.status == "accepted" for ev in evidence)
            continue
        owners.append((f"{step.from_label} → {step.to_label}", step.link_id, evidence))
    for about, link_id, evidence in owners:
        accepted = [ev for ev in evidence if ev.status == "accepted"]
        accepted.sort(key=lambda ev: _KIND_ORDER[ev.kind])  # stable: map order within a kind
        shown = accepted if per_link is None else accepted[:per_link]
        brief.evidence_omitted += len(accepted) - len(shown)
        for ev in shown:
            source = sources[ev.source]
            key = (ev.kind, ev.source, ev.text)
            if key in seen:  # the same passage backs several links: show it once
                index = seen[key]
                merged = f"{brief.evidence[index].about}; {about}"
                brief.evidence[index] = dataclasses.replace(brief.evidence[index], about=merged)
                continue
            seen[key] = len(brief.evidence)
            brief.evidence.append(
                EvidenceItem(
                    about=about, link_id=link_id, kind=ev.kind, text=ev.text,
                    source_id=source.id, source_kind=source.kind,
                    citation=format_citation(source),
                    attributes=format_attributes(source.attributes),
                    year=ev.year if ev.year is not None else source_year(source),
                    locator=ev.page and f"p. {ev.page}" or None, note=ev.caveat,
                )
            )  # fmt: skip


def _add_organisations(map_: Map, brief: Brief) -> None:
    sources = {s.id: s for s in map_.sources}
    wanted = set(brief.factor_ids)
    if brief.kind == "factor":
        wanted = {brief.subject}
    for org in map_.organisations:
        actions = [
            (map_.factor(a.factor).label, a.note,
             format_citation(sources[a.source]) if a.source else "")
            for a in org.acts_on if a.factor in wanted
        ]  # fmt: skip
        if not actions:
            continue
        funding = [
            f"{f.currency} {f.amount:,.0f} in {f.year}"
            + (f" ({f.note})" if f.note else "")
            + (f" — {format_citation(sources[f.source])}" if f.source else "")
            for f in org.funding
        ]
        brief.organisations.append(
            OrganisationEntry(
                id=org.id,
                name=org.name,
                kind=org.kind,
                url=org.url,
                where=org.where,
                description=org.description,
                actions=actions,
                funding=funding,
            )  # fmt: skip
        )


def _add_interventions(map_: Map, brief: Brief) -> None:
    sources = {s.id: s for s in map_.sources}
    wanted = {brief.subject} if brief.kind == "factor" else set(brief.factor_ids)
    for item in map_.interventions:
        factors = [map_.factor(t.factor).label for t in item.targets if t.factor in wanted]
        if not factors:
            continue
        measured = [
            (effect.describe(), effect.text,
             format_citation(sources[effect.source]) if effect.source in sources else "",
             effect.caveat)
            for effect in item.measured
        ]  # fmt: skip
        brief.interventions.append(
            InterventionEntry(item.id, item.label, item.description, factors, measured)
        )


def _add_acting(map_: Map, brief: Brief) -> None:
    """Who acts on each of the brief's factors, directly or through a service feeding it."""
    from loopwise.analysis.coverage import acting_on

    cover = acting_on(map_.without_inferences())
    subject = [brief.subject] if brief.kind == "factor" else list(dict.fromkeys(brief.factor_ids))
    for fid in subject:
        c = cover[fid]
        if c.how == "none":
            continue
        words = c.describe().removeprefix("directly: ")
        brief.acting.append(ActingLine(fid, map_.factor(fid).label, c.how, words, c.organisations))


def _add_missing(map_: Map, brief: Brief) -> None:
    from loopwise.analysis.coverage import acting_on

    cover = acting_on(map_.without_inferences())
    subject = [brief.subject] if brief.kind == "factor" else list(dict.fromkeys(brief.factor_ids))
    by_id = {row.factor_id: row for row in brief.leverage}
    listed = {org.id for org in brief.organisations} | {
        o for line in brief.acting for o in line.organisations
    }
    for fid in subject:
        factor = map_.factor(fid)
        if factor.kind in ("policy", "outcome") or fid == brief.leverage_target:
            continue  # a policy is changed by government, an outcome is what moves
        if cover[fid].how != "none" or listed.intersection(cover[fid].organisations):
            continue
        brief.nobody.append(fid)
        row = by_id.get(fid)
        if row is not None and row.gap:
            brief.missing.append(
                f"High leverage, nobody working on it: no organisation on the map works on "
                f"{factor.label}, directly or through a service that feeds it (it ranks "
                f"{ordinal(row.rank)} of {brief.leverage_count})."
            )
        else:
            brief.missing.append(
                f"No organisation on the map works on {factor.label}, directly or through a "
                "service that feeds it."
            )
    for step in brief.steps if brief.kind != "factor" else []:
        about = f"{step.from_label} → {step.to_label}"
        if step.confidence == "assumption":
            brief.missing.append(f"No accepted evidence for {about}: it is an assumption.")
        elif step.confidence == "low":
            brief.missing.append(f"The evidence for {about} is weak.")
    unfunded = [org for org in brief.organisations if not map_.organisation(org.id).funding]
    if brief.organisations and len(unfunded) == len(brief.organisations):
        brief.missing.append("No funding figures are known for the organisations listed.")
    if not brief.figures:
        brief.missing.append("No figure on the map quantifies these links yet.")
    # the funder's question first: high leverage and nobody working on it
    brief.missing.sort(key=lambda text: not text.startswith("High leverage"))


def _add_ask(map_: Map, brief: Brief) -> None:
    """The ask in one sentence: change the brief's best campaign ask (a policy), else fund
    its best funding gap, else its highest-leverage factor, in the direction that lowers the
    outcome."""
    if not brief.leverage:
        return
    rows = sorted(brief.leverage, key=lambda r: r.rank)
    chosen = next((r for r in rows if r.campaign_ask), None) or next(
        (r for r in rows if r.gap), rows[0]
    )
    target = map_.factor(brief.leverage_target).label.lower() if brief.leverage_target else ""
    more = chosen.total_effect < 0  # pushing it up brings the outcome down
    name = chosen.label[0].lower() + chosen.label[1:]
    if name.startswith(("use of", "number", "quality", "flexibility", "funding")):
        name = "the " + name
    if chosen.kind == "policy":
        verb = "Expand" if more else "Reduce"
        brief.ask = f"{verb} {name}: on this map that lowers {target}."
    elif chosen.kind == "service":
        verb = "Fund and expand" if more else "Scale back"
        brief.ask = f"{verb} {name}: on this map that lowers {target}."
    else:
        verb = "Increase" if more else "Reduce"
        brief.ask = f"{verb} {name}: on this map that lowers {target}."


_OFFICIAL = ("statistic",)


def _add_headline(brief: Brief) -> None:
    """The strongest evidence, at most :data:`HEADLINE_EVIDENCE` items: the newest official
    figure first, then the newest finding or figure from another step, then a person's own
    words; the rest filled by year (newest first), one item per step where possible."""
    items = list(brief.evidence)

    def year(ev: EvidenceItem) -> int:
        return ev.year or 0

    picks: list[EvidenceItem] = []

    def take(candidates: list[EvidenceItem]) -> None:
        fresh = [ev for ev in candidates if ev not in picks]
        other_step = [ev for ev in fresh if ev.about not in {p.about for p in picks}]
        pool = other_step or fresh
        if pool and len(picks) < HEADLINE_EVIDENCE:
            picks.append(max(pool, key=year))

    take([ev for ev in items if ev.kind == "figure" and ev.source_kind in _OFFICIAL])
    take([ev for ev in items if ev.kind in ("figure", "finding")])
    take([ev for ev in items if ev.kind == "quote"])
    for ev in sorted(items, key=year, reverse=True):
        take([ev])
    brief.headline = picks


def _fewer_names(map_: Map, line: ActingLine) -> ActingLine:
    """The line with at most :data:`ONE_PAGE_NAMES` organisations named."""
    if len(line.organisations) <= ONE_PAGE_NAMES:
        return line
    names = [map_.organisation(o).name for o in line.organisations[:ONE_PAGE_NAMES]]
    words = ", ".join(names) + f" and {len(line.organisations) - ONE_PAGE_NAMES} more"
    if line.how == "upstream":
        head = line.words.split(": ", 1)[0]
        words = f"{head}: {words}"
    return dataclasses.replace(line, words=words)


def _add_cost(map_: Map, brief: Brief) -> None:
    """What the outcome costs, where the map confirms it: accepted figures on an outcome the
    target leads to (its own evidence, or a link from the target the evidence states), the
    newest first; one figure per source."""
    target = brief.leverage_target
    if target is None:
        return
    sources = {s.id: s for s in map_.sources}
    found: list[EvidenceItem] = []
    for link in map_.links:
        if link.source_factor != target or link.support not in (None, "states"):
            continue
        outcome = map_.factor(link.target_factor)
        if outcome.kind != "outcome" or "cost" not in outcome.id:
            continue
        for ev in [*outcome.evidence, *link.evidence]:
            if ev.kind != "figure" or ev.status != "accepted":
                continue
            source = sources[ev.source]
            found.append(
                EvidenceItem(
                    about=outcome.label, link_id=None, kind=ev.kind, text=ev.text,
                    source_id=source.id, source_kind=source.kind,
                    citation=format_citation(source), attributes="",
                    year=ev.year if ev.year is not None else source_year(source),
                    locator=None, note=ev.caveat,
                )
            )  # fmt: skip
    found.sort(key=lambda item: -(item.year or 0))
    seen: set[str] = set()
    for item in found:
        if item.source_id not in seen and item.text not in {c.text for c in brief.cost}:
            seen.add(item.source_id)
            brief.cost.append(item)


def _trim_to_one_page(map_: Map, brief: Brief) -> None:
    """Keep what fits one A4 page: the measured results that matter, the top of what is
    missing (the rest stays in the full brief)."""
    for i, item in enumerate(brief.interventions):
        brief.interventions[i] = dataclasses.replace(item, measured=item.measured[:1])
    with_results = [item for item in brief.interventions if item.measured]
    brief.interventions = with_results[:ONE_PAGE_MEASURED]
    brief.missing = brief.missing[:ONE_PAGE_MISSING]
    brief.cost = brief.cost[:1]
    brief.acting = [_fewer_names(map_, line) for line in brief.acting[:ONE_PAGE_ACTING]]
    if brief.leverage and brief.leverage_target:
        rows = sorted(brief.leverage, key=lambda r: r.rank)
        parts = [
            f"{r.label} {ordinal(r.rank)}" + (" (a campaign ask)" if r.campaign_ask else "")
            + (" (a funding gap)" if r.gap else "")
            for r in rows
        ]  # fmt: skip
        brief.why = [
            f"Of the {brief.leverage_count} factors on the map, ranked by how much changing "
            f"each could change {brief.leverage_target}: " + "; ".join(parts) + "."
        ]


def _lower_first(label: str) -> str:
    """A label inside a sentence: ``Use of short...`` -> ``use of short...`` (an acronym
    such as ``ID`` stays)."""
    return label if label[1:2].isupper() else label[:1].lower() + label[1:]


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th... 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def format_score(value: float) -> str:
    """A score or component as shown in briefs (two decimals, typographic minus)."""
    if math.isnan(value):
        return "–"
    text = f"{value:.2f}"
    return text.replace("-", MINUS)
