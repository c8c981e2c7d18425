"""The :class:`Map`: one systems map, validated as a whole.

A map owns its factors, links (with their evidence), sources, curated loops, organisations,
interventions and views. Building one checks every reference (a link to a missing factor,
evidence from an unknown source, a duplicate id) and names the first problem and where it is.

Example:
    >>> m = Map.from_dict({
    ...     "slug": "demo", "title": "Demo",
    ...     "sources": [{"id": "s", "kind": "literature", "title": "A study", "year": 2020}],
    ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "-",
    ...                "evidence": [{"source": "s", "kind": "finding", "text": "A lowers B"}]}],
    ... })
    >>> m.link("a--b").polarity, m.link_confidence("a--b").level
    ('-', 'medium')
    >>> m.factor("c")
    Traceback (most recent call last):
    ...
    loopwise.errors.UnknownIdError: unknown factor 'c'
"""

from __future__ import annotations

import difflib
import html
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, NamedTuple, Protocol, TypeVar

import pydantic
from pydantic import ConfigDict, Field, model_validator

from loopwise.errors import DuplicateIdError, UnknownIdError, ValidationError
from loopwise.model.confidence import (
    SOURCE_KIND_WEIGHT,
    ConfidenceLevel,
    confidence_level,
    confidence_score,
)
from loopwise.model.entities import (
    CuratedLoop,
    Factor,
    Intervention,
    Link,
    Organisation,
    Stage,
    Theme,
    View,
    _Strict,
)
from loopwise.model.evidence import Evidence, Source
from loopwise.model.ids import Slug

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd

FORMAT_NAME = "loopwise"
FORMAT_VERSION = 2
"""2 added factor kinds, link support grades, evidence caveats, organisation wording and
measured effects of interventions. A version-1 document reads as version 2 with every factor
a ``condition`` and no link graded (nothing else changed)."""


class LinkConfidence(NamedTuple):
    score: float
    level: ConfidenceLevel
    evidence_count: int


class Map(_Strict):
    """One systems map."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    slug: Slug
    title: str = Field(min_length=1)
    description: str = ""
    licence: str = "CC-BY-4.0"
    visibility: Literal["public", "private"] = "public"
    created: datetime | None = None
    updated: datetime | None = None
    themes: list[Theme] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    factors: list[Factor] = Field(default_factory=list)
    links: list[Link] = Field(default_factory=list)
    curated_loops: list[CuratedLoop] = Field(default_factory=list, alias="loops")
    """The map's named loops (JSON key ``loops``); ``loops()`` computes every loop."""
    organisations: list[Organisation] = Field(default_factory=list)
    interventions: list[Intervention] = Field(default_factory=list)
    views: list[View] = Field(default_factory=list)

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_dict(cls, data: Any, where: str = "map", *, stored: bool = False) -> Map:
        """Validate a plain dict (as read from JSON) into a Map.

        Raises :class:`loopwise.errors.ValidationError` naming the first problem and where.
        ``stored=True`` reads a map the store already holds: a URL that is not a web
        address (kept before :mod:`loopwise.model.urls` checked them) is dropped, not refused.
        """
        if not isinstance(data, dict):
            raise ValidationError(f"expected a JSON object, got {type(data).__name__}", where)
        body = {k: v for k, v in data.items() if k not in ("format", "format_version")}
        try:
            return cls.model_validate(body, context={"stored": stored})
        except pydantic.ValidationError as exc:
            raise ValidationError(*_describe(exc, body, where)) from None
        except ValidationError as exc:
            place = f"{where}: {exc.where}" if exc.where else where
            raise type(exc)(exc.message, place) from None

    @model_validator(mode="before")
    @classmethod
    def _fill_evidence_ids(cls, data: Any) -> Any:
        """Give evidence without an id a stable one: ``<owner>.e<n>``."""
        if not isinstance(data, dict):
            return data
        for collection in ("links", "factors"):
            items = data.get(collection)
            if not isinstance(items, list):
                continue
            for item in items:
                if not isinstance(item, dict) or not isinstance(item.get("evidence"), list):
                    continue
                owner = item.get("id")
                if not owner and collection == "links":
                    owner = f"{item.get('from')}--{item.get('to')}"
                for n, ev in enumerate(item["evidence"], start=1):
                    if isinstance(ev, dict) and not ev.get("id") and isinstance(owner, str):
                        ev["id"] = f"{owner}.e{n}"
        return data

    @model_validator(mode="after")
    def _check_references(self) -> Map:
        _unique("themes", (t.id for t in self.themes))
        _unique("stages", (s.id for s in self.stages))
        _unique("sources", (s.id for s in self.sources))
        _unique("factors", (f.id for f in self.factors))
        _unique("links", (link.id for link in self.links))
        _unique("loops", (lp.id for lp in self.curated_loops))
        _unique("organisations", (o.id for o in self.organisations))
        _unique("interventions", (i.id for i in self.interventions))
        _unique("views", (v.id for v in self.views))
        _unique(
            "evidence",
            (ev.id for _kind, _owner, ev in self.evidence_items() if ev.id),
        )
        _unique(
            "link endpoints", (f"{lk.source_factor} -> {lk.target_factor}" for lk in self.links)
        )

        factor_ids = {f.id for f in self.factors}
        source_ids = {s.id for s in self.sources}
        theme_ids = {t.id for t in self.themes}
        stage_ids = {s.id for s in self.stages}

        def need(ids: set[str], kind: str, value: str | None, where: str) -> None:
            if value is not None and value not in ids:
                raise _reference_error(kind, value, ids, where)

        for i, factor in enumerate(self.factors):
            where = f"factors[{i}] ({factor.id})"
            if theme_ids:
                need(theme_ids, "theme", factor.theme, where + ".theme")
            if stage_ids:
                need(stage_ids, "stage", factor.stage, where + ".stage")
            if factor.indicator:
                need(source_ids, "source", factor.indicator.source, where + ".indicator.source")
            for j, ev in enumerate(factor.evidence):
                need(source_ids, "source", ev.source, f"{where}.evidence[{j}].source")
        for i, link in enumerate(self.links):
            where = f"links[{i}] ({link.id})"
            need(factor_ids, "factor", link.source_factor, where + ".from")
            need(factor_ids, "factor", link.target_factor, where + ".to")
            for j, ev in enumerate(link.evidence):
                need(source_ids, "source", ev.source, f"{where}.evidence[{j}].source")
        edges = {(lk.source_factor, lk.target_factor) for lk in self.links}
        for i, loop in enumerate(self.curated_loops):
            where = f"loops[{i}] ({loop.id})"
            for factor_id in loop.factors:
                need(factor_ids, "factor", factor_id, where + ".factors")
            ring = [*loop.factors, loop.factors[0]]
            for a, b in zip(ring, ring[1:], strict=False):
                if (a, b) not in edges:
                    raise ValidationError(f"no link {a} -> {b}, so this is not a loop", where)
        for i, org in enumerate(self.organisations):
            for j, action in enumerate(org.acts_on):
                where = f"organisations[{i}] ({org.id}).acts_on[{j}]"
                need(factor_ids, "factor", action.factor, where + ".factor")
                need(source_ids, "source", action.source, where + ".source")
            for j, funding in enumerate(org.funding):
                where = f"organisations[{i}] ({org.id}).funding[{j}].source"
                need(source_ids, "source", funding.source, where)
        for i, intervention in enumerate(self.interventions):
            for j, target in enumerate(intervention.targets):
                where = f"interventions[{i}] ({intervention.id}).targets[{j}].factor"
                need(factor_ids, "factor", target.factor, where)
            for j, effect in enumerate(intervention.measured):
                where = f"interventions[{i}] ({intervention.id}).measured[{j}].source"
                need(source_ids, "source", effect.source, where)
        link_ids = {lk.id for lk in self.links}
        for i, view in enumerate(self.views):
            need(factor_ids, "factor", view.focus, f"views[{i}] ({view.id}).focus")
            for j, step in enumerate(view.steps):
                where = f"story {view.id!r} step {j + 1}"
                for factor_id in step.factors:
                    need(factor_ids, "factor", factor_id, where + " factors")
                for link_id in step.links:
                    need(link_ids, "link", link_id, where + " links")
                need(factor_ids, "factor", step.push, where + " push")
        return self

    # ------------------------------------------------------------------ lookups
    def factor(self, factor_id: str) -> Factor:
        """The factor with this id; :class:`UnknownIdError` (with suggestions) if none."""
        return _find("factor", self.factors, factor_id)

    def link(self, link_id: str) -> Link:
        """The link with this id (``from--to`` by default)."""
        return _find("link", self.links, link_id)

    def source(self, source_id: str) -> Source:
        return _find("source", self.sources, source_id)

    def organisation(self, organisation_id: str) -> Organisation:
        return _find("organisation", self.organisations, organisation_id)

    def curated_loop(self, loop_id: str) -> CuratedLoop:
        return _find("loop", self.curated_loops, loop_id)

    @property
    def stories(self) -> list[View]:
        """The views that are stories (they have steps), in the map's order."""
        return [view for view in self.views if view.is_story]

    def story(self, story_id: str) -> View:
        """The story with this id; :class:`UnknownIdError` (with suggestions) if none.

        >>> Map(slug="m", title="M").stories
        []
        """
        return _find("story", self.stories, story_id)

    def evidence_items(self) -> Iterator[tuple[str, str, Evidence]]:
        """Every evidence item as ``(owner kind, owner id, evidence)``."""
        for link in self.links:
            for ev in link.evidence:
                yield "link", link.id, ev
        for factor in self.factors:
            for ev in factor.evidence:
                yield "factor", factor.id, ev

    def without_inferences(self) -> Map:
        """This map without its links graded ``inference`` (and the named loops that need
        them): what the sources themselves support. Analyses and briefs use it unless the
        user asks for inferences.

        Example:
            >>> m = Map.from_dict({"slug": "d", "title": "D",
            ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            ...     "links": [{"from": "a", "to": "b", "polarity": "+", "support": "inference"}]})
            >>> len(m.without_inferences().links)
            0
        """
        kept = [link for link in self.links if not link.is_inference]
        if len(kept) == len(self.links):
            return self
        edges = {(lk.source_factor, lk.target_factor) for lk in kept}
        loops = [
            loop
            for loop in self.curated_loops
            if all(
                (a, b) in edges
                for a, b in zip(loop.factors, [*loop.factors[1:], loop.factors[0]], strict=True)
            )
        ]
        views = self.views_within({lk.id for lk in kept})
        return self.model_copy(update={"links": kept, "curated_loops": loops, "views": views})

    def views_within(self, link_ids: Iterable[str]) -> list[View]:
        """The map's views for a map that keeps only the links ``link_ids`` (a subgroup's
        map, the map without inferences): each story step keeps only those links, a step
        left showing nothing is dropped, and so is a story left with no step.

        Example:
            >>> m = Map.from_dict({"slug": "d", "title": "D",
            ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            ...     "links": [{"from": "a", "to": "b", "polarity": "+"}],
            ...     "views": [{"id": "tour", "name": "Tour", "steps": [
            ...         {"title": "One", "text": "A raises B.", "links": ["a--b"]},
            ...         {"title": "Two", "text": "A.", "factors": ["a"], "links": ["a--b"]}]}]})
            >>> [[s.links for s in v.steps] for v in m.views_within([])]
            [[[]]]
        """
        kept = set(link_ids)
        views = []
        for view in self.views:
            if not view.steps:
                views.append(view)
                continue
            steps = [
                step.model_copy(update={"links": [lk for lk in step.links if lk in kept]})
                for step in view.steps
            ]
            steps = [step for step in steps if step.factors or step.links]
            if steps:
                views.append(view.model_copy(update={"steps": steps}))
        return views

    # ------------------------------------------------------------------ derived values
    def link_confidence(self, link_id: str) -> LinkConfidence:
        """Confidence of a link from its accepted evidence (see ``model.confidence``)."""
        return _confidence_of(self.link(link_id), {s.id: s.kind for s in self.sources})

    def link_confidences(self) -> dict[str, LinkConfidence]:
        """Every link's confidence at once (one pass, for analyses of big maps)."""
        kinds = {s.id: s.kind for s in self.sources}
        return {link.id: _confidence_of(link, kinds) for link in self.links}

    def link_confidence_scores(self) -> list[float]:
        """Every link's confidence score (as in :meth:`link_confidences`), in link order: the
        quick way for analyses that need only the numbers.

        >>> from loopwise.builtin import load_builtin_map
        >>> m = load_builtin_map()
        >>> m.link_confidence_scores() == [c.score for c in m.link_confidences().values()]
        True
        """
        # the doubt each source leaves, multiplied in evidence order as confidence_score does
        doubt_of = {s.id: 1.0 - SOURCE_KIND_WEIGHT.get(s.kind, 0.0) for s in self.sources}
        scores = []
        for link in self.links:
            if not link.evidence:
                scores.append(0.0)
                continue
            doubt = 1.0
            for ev in link.evidence:
                if ev.status == "accepted":
                    doubt *= doubt_of[ev.source]
            scores.append(round(1.0 - doubt, 4))
        return scores

    def summary(self) -> dict[str, Any]:
        """Counts and themes, as ``loopwise show`` prints them."""
        kinds = {s.id: s.kind for s in self.sources}
        interview_links = sum(
            any(kinds[ev.source] == "interview" for ev in lk.evidence) for lk in self.links
        )
        literature_links = sum(
            any(kinds[ev.source] != "interview" for ev in lk.evidence) for lk in self.links
        )
        return {
            "slug": self.slug,
            "title": self.title,
            "factors": len(self.factors),
            "links": len(self.links),
            "sources": len(self.sources),
            "evidence": sum(1 for _ in self.evidence_items()),
            "curated_loops": len(self.curated_loops),
            "organisations": len(self.organisations),
            "links_without_evidence": sum(1 for lk in self.links if not lk.evidence),
            "links_with_interview_evidence": interview_links,
            "links_with_literature_evidence": literature_links,
            "themes": {t.id: sum(1 for f in self.factors if f.theme == t.id) for t in self.themes},
        }

    # ------------------------------------------------------------------ notebook helpers
    def factors_frame(self) -> pd.DataFrame:
        """A pandas DataFrame of factors, indexed by id."""
        import pandas as pd

        rows = [
            {
                "id": f.id,
                "label": f.label,
                "theme": f.theme,
                "stage": f.stage,
                "tags": "|".join(f.tags),
                "description": f.description,
                "evidence": len(f.evidence),
            }
            for f in self.factors
        ]
        columns = ["id", "label", "theme", "stage", "tags", "description", "evidence"]
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def links_frame(self) -> pd.DataFrame:
        """A pandas DataFrame of links, indexed by id, with weight and confidence."""
        import pandas as pd

        rows = []
        for link in self.links:
            conf = self.link_confidence(link.id)
            rows.append(
                {
                    "id": link.id,
                    "from": link.source_factor,
                    "to": link.target_factor,
                    "polarity": link.polarity,
                    "weight": link.weight,
                    "delay": link.delay,
                    "evidence": conf.evidence_count,
                    "confidence": conf.score,
                    "confidence_level": conf.level,
                    "mechanism": link.mechanism,
                }
            )
        columns = [
            "id", "from", "to", "polarity", "weight", "delay", "evidence",
            "confidence", "confidence_level", "mechanism",
        ]  # fmt: skip
        return pd.DataFrame(rows, columns=columns).set_index("id")

    def to_networkx(self) -> nx.DiGraph[str]:
        """A ``networkx.DiGraph``: factor attributes on nodes; polarity, weight, confidence
        and evidence count on edges."""
        import networkx as nx

        graph: nx.DiGraph[str] = nx.DiGraph(slug=self.slug, title=self.title)
        for f in self.factors:
            graph.add_node(f.id, label=f.label, theme=f.theme, stage=f.stage, tags=list(f.tags))
        for link in self.links:
            conf = self.link_confidence(link.id)
            graph.add_edge(
                link.source_factor,
                link.target_factor,
                id=link.id,
                polarity=link.polarity,
                sign=1 if link.polarity == "+" else -1,
                weight=link.weight,
                delay=link.delay,
                confidence=conf.score,
                evidence=conf.evidence_count,
            )
        return graph

    # ------------------------------------------------------------------ analysis shortcuts
    # Conveniences for notebooks. They delegate to loopwise.analysis and loopwise.simulation,
    # imported when called, so the model module itself depends on neither.
    def loops(self, *, max_length: int | None = None, limit: int | None = None) -> pd.DataFrame:
        """Every feedback loop as a DataFrame (see ``analysis.find_feedback_loops``)."""
        from loopwise.analysis import find_feedback_loops, loops_frame

        return loops_frame(find_feedback_loops(self, max_length=max_length, limit=limit))

    def centrality(self, *, weighted: bool = False, reach_steps: int = 3) -> pd.DataFrame:
        """Degree, betweenness, PageRank and reach per factor (``analysis.centrality_frame``)."""
        from loopwise.analysis import centrality_frame

        return centrality_frame(self, weighted=weighted, reach_steps=reach_steps)

    def micmac(self, *, power: int | None = 3, weighted: bool = False) -> pd.DataFrame:
        """MICMAC influence, dependence and quadrants (``analysis.micmac_frame``)."""
        from loopwise.analysis import micmac_frame

        return micmac_frame(self, power=power, weighted=weighted)

    def paths(self, source: str, target: str, *, max_length: int = 6) -> pd.DataFrame:
        """Every simple path from ``source`` to ``target`` with its net sign."""
        from loopwise.analysis import find_paths, paths_frame

        return paths_frame(find_paths(self, source, target, max_length=max_length))

    def simulate(self, settings: Any = None, **options: Any) -> Any:
        """Run a scenario (``simulation.simulate``, with an optional ``SimulationOptions``);
        ``.to_frame()`` gives the effects."""
        from loopwise.simulation import simulate

        return simulate(self, settings, **options)

    def monte_carlo(self, settings: Any = None, **options: Any) -> Any:
        """A scenario under link uncertainty (``simulation.monte_carlo``, with an optional
        ``SimulationOptions``); see ``.summary``."""
        from loopwise.simulation import monte_carlo

        return monte_carlo(self, settings, **options)

    def leverage(self, target: str | None = None, **options: Any) -> pd.DataFrame:
        """The leverage and funding-gap table for a target (``analysis.leverage_frame``)."""
        from loopwise.analysis.leverage import leverage_frame

        return leverage_frame(self, target, **options)

    def _repr_html_(self) -> str:
        """An inline summary for notebooks (all user text escaped)."""
        labels = {f.id: f.label for f in self.factors}
        rows = "".join(
            f"<tr><td>{html.escape(labels[lk.source_factor])}</td>"
            f"<td>{html.escape(lk.polarity)}</td>"
            f"<td>{html.escape(labels[lk.target_factor])}</td>"
            f"<td>{len(lk.evidence)}</td></tr>"
            for lk in self.links[:50]
        )
        more = f"<p>… and {len(self.links) - 50} more links</p>" if len(self.links) > 50 else ""
        return (
            f"<div><strong>{html.escape(self.title)}</strong> "
            f"({len(self.factors)} factors, {len(self.links)} links)"
            "<table><tr><th>from</th><th>±</th><th>to</th><th>evidence</th></tr>"
            f"{rows}</table>{more}</div>"
        )

    def content(self) -> Map:
        """This map without the store's timestamps, for comparing what two maps say.

        >>> stored = Map(slug="m", title="M", created="2026-01-01T00:00:00Z")
        >>> stored.content() == Map(slug="m", title="M")
        True
        """
        return self.model_copy(update={"created": None, "updated": None})

    # ------------------------------------------------------------------ canonical form
    def to_dict(self) -> dict[str, Any]:
        """The canonical loopwise JSON document (format name and version first)."""
        body = self.model_dump(mode="json", by_alias=True, exclude_none=True)
        return {"format": FORMAT_NAME, "format_version": FORMAT_VERSION, **body}


def _confidence_of(link: Link, source_kinds: Mapping[str, str]) -> LinkConfidence:
    accepted = [ev for ev in link.evidence if ev.status == "accepted"]
    score = confidence_score(source_kinds[ev.source] for ev in accepted)
    return LinkConfidence(round(score, 4), confidence_level(score), len(accepted))


def _unique(kind: str, ids: Iterable[str]) -> None:
    seen: dict[str, int] = {}
    for index, id_ in enumerate(ids):
        if id_ in seen:
            raise DuplicateIdError(
                f"duplicate id {id_!r} (first used at {kind}[{seen[id_]}])", f"{kind}[{index}]"
            )
        seen[id_] = index


def _reference_error(kind: str, value: str, known: set[str], where: str) -> ValidationError:
    close = difflib.get_close_matches(value, sorted(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return ValidationError(f"refers to unknown {kind} {value!r}{hint}", where)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


_ItemT = TypeVar("_ItemT", bound=_Identified)


def _find(kind: str, items: Sequence[_ItemT], id_: str) -> _ItemT:
    for item in items:
        if item.id == id_:
            return item
    suggestions = difflib.get_close_matches(str(id_), [i.id for i in items], n=3)
    raise UnknownIdError(kind, id_, suggestions)


def _describe(exc: pydantic.ValidationError, body: dict[str, Any], where: str) -> tuple[str, str]:
    """Turn pydantic's first error into (message, where) naming the item by id."""
    first = exc.errors()[0]
    loc = list(first.get("loc", ()))
    parts: list[str] = []
    node: Any = body
    for step in loc:
        if isinstance(step, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{step}]"]
            node = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str) and node["id"]:
                parts[-1] += f" ({node['id']})"
            elif isinstance(node, dict) and isinstance(node.get("from"), str):
                parts[-1] += f" ({node['from']}--{node.get('to')})"
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    message = first.get("msg", "invalid value")
    if first.get("type") == "string_pattern_mismatch":
        message = "ids must be lower-case letters and digits joined by '-', '_' or '.'"
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    place = ".".join(parts)
    if (
        "input" in first
        and first.get("type") not in ("missing",)
        and not isinstance(first["input"], dict | list)
    ):
        message += f" (got {first['input']!r})"
    return message, f"{where}: {place}" if place else where
