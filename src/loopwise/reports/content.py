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
    ('loop', 'R', 3, True)
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
    from loopwise.model import Link, Map

BriefKind = Literal["loop", "factor", "path"]
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

    @property
    def filename_stem(self) -> str:
        """A safe file name stem: ``brief-<map>-<kind>-<subject>``."""
        subject = "".join(c if c.isalnum() or c in "-_" else "-" for c in self.subject)
        return f"brief-{self.map_slug}-{self.kind}-{subject}"[:120]

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
    if loop is not None:
        brief = _loop_brief(map_, loop)
    elif factor is not None:
        brief = _factor_brief(map_, factor)
    else:
        assert path is not None
        brief = _path_brief(map_, path)
    _add_leverage(map_, brief, target)
    _add_evidence(map_, brief, evidence_per_link)
    _add_organisations(map_, brief)
    _add_interventions(map_, brief)
    _add_missing(map_, brief)
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


def _step(map_: Map, link: Link, confidences: dict) -> Step:
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
    summary = f"Each step below leads to the next and back to the first: this is {kind_words}."
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
    on = [lp for lp in loops if factor.id in lp.factors]
    curated = [lp.name for lp in map_.curated_loops if factor.id in lp.factors]
    loops_note = (
        f"{factor.label} sits on {len(on)} feedback loop(s) of the map "
        f"({sum(lp.kind == 'R' for lp in on)} reinforcing, {sum(lp.kind == 'B' for lp in on)} "
        "balancing)" + (f", including the named loop(s): {'; '.join(curated)}." if curated else ".")
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
    summary = (
        f"Along this path, more {first} {net} {last} "
        f"(net sign {best.sign if best.sign == '+' else MINUS}: the product of the signs)."
    )
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
    frame = leverage_frame(map_, target)
    brief.leverage_target = frame.attrs["target"]
    brief.leverage_formula = SCORE_FORMULA
    brief.leverage_count = len(frame)
    ranks = {fid: i for i, fid in enumerate(frame.index, start=1)}
    for fid in dict.fromkeys(brief.factor_ids):
        if fid not in ranks:
            continue
        row = frame.loc[fid]
        brief.leverage.append(
            LeverageRow(
                factor_id=fid, label=str(row["label"]), rank=ranks[fid],
                score=float(row["score"]), total_effect=float(row["total_effect"]),
                r_loops=int(row["r_loops"]), b_loops=int(row["b_loops"]),
                reach=int(row["reach"]), evidence_strength=float(row["evidence_strength"]),
                organisations=int(row["organisations"]), gap=bool(row["gap"]),
            )
        )  # fmt: skip


_KIND_ORDER = {"quote": 0, "figure": 1, "finding": 2}


def _add_evidence(map_: Map, brief: Brief, per_link: int | None) -> None:
    sources = {s.id: s for s in map_.sources}
    seen: dict[tuple[str, str, str], int] = {}
    owners: list[tuple[str, str | None, list]] = []
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


def _add_missing(map_: Map, brief: Brief) -> None:
    acted_on = {a.factor for org in map_.organisations for a in org.acts_on}
    subject = [brief.subject] if brief.kind == "factor" else list(dict.fromkeys(brief.factor_ids))
    by_id = {row.factor_id: row for row in brief.leverage}
    for fid in subject:
        if fid in acted_on:
            continue
        label = map_.factor(fid).label
        row = by_id.get(fid)
        if row is not None and row.gap:
            brief.missing.append(
                f"High leverage, nobody working on it: no organisation on the map acts on "
                f"{label} (leverage rank {row.rank} of {brief.leverage_count})."
            )
        elif fid != brief.leverage_target:
            brief.missing.append(f"No organisation on the map acts on {label}.")
    for step in brief.steps if brief.kind != "factor" else []:
        about = f"{step.from_label} → {step.to_label}"
        if step.confidence == "assumption":
            brief.missing.append(f"No accepted evidence for {about}: it is an assumption.")
        elif step.confidence == "low":
            brief.missing.append(f"The evidence for {about} is weak (low confidence).")
    unfunded = [org for org in brief.organisations if not map_.organisation(org.id).funding]
    if brief.organisations and len(unfunded) == len(brief.organisations):
        brief.missing.append("No funding figures are known for the organisations listed.")
    if not brief.figures:
        brief.missing.append("No figure on the map quantifies these links yet.")
    # the funder's question first: high leverage and nobody working on it
    brief.missing.sort(key=lambda text: not text.startswith("High leverage"))


def format_score(value: float) -> str:
    """A score or component as shown in briefs (two decimals, typographic minus)."""
    if math.isnan(value):
        return "–"
    text = f"{value:.2f}"
    return text.replace("-", MINUS)
