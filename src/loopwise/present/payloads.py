"""The payloads: what the JSON API returns and takes (documented by ``/openapi.json``), and
what the explorer pages and the static site show. Plain pydantic, no web framework."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from loopwise.model.entities import (
    CuratedLoop,
    FactorKind,
    Indicator,
    MeasuredEffect,
    Organisation,
    Stage,
    SupportGrade,
    Theme,
    View,
)
from loopwise.model.evidence import Evidence, Source

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a long list: ``items`` from ``offset``, ``total`` in all."""

    total: int
    offset: int
    limit: int
    items: list[T]


class MapListItem(BaseModel):
    slug: str
    title: str
    factors: int
    links: int
    version: int


class MapSummary(BaseModel):
    slug: str
    title: str
    description: str
    licence: str
    version: int
    factors: int
    links: int
    sources: int
    evidence: int
    curated_loops: int
    organisations: int
    links_without_evidence: int
    themes: list[Theme]
    stages: list[Stage]


class FactorOut(BaseModel):
    id: str
    label: str
    kind: FactorKind = "condition"
    """condition (a state of people), service (can be delivered or funded), policy (a rule
    or practice government sets) or outcome."""
    description: str = ""
    theme: str | None = None
    stage: str | None = None
    tags: list[str] = Field(default_factory=list)
    indicator: Indicator | None = None
    in_links: int
    out_links: int


class EvidenceOut(Evidence):
    """An evidence item with its source (kind, title, year, citation, attributes)."""

    source_detail: Source


class LinkOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    id: str
    source_factor: str = Field(alias="from")
    target_factor: str = Field(alias="to")
    from_label: str
    to_label: str
    polarity: Literal["+", "-"]
    strength: str | float
    weight: float
    delay: bool
    mechanism: str
    support: SupportGrade | None = None
    """states / implies / inference: how far the evidence carries the link."""
    support_reason: str = ""
    tags: list[str]
    confidence: float
    confidence_level: str
    evidence_kinds: list[str]
    evidence: list[EvidenceOut]


class OrganisationActionOut(BaseModel):
    organisation: str
    name: str
    kind: str
    url: str | None
    note: str
    text: str = ""
    """The source's own words saying the organisation acts there."""
    source: str | None = None


class InterventionOut(BaseModel):
    """An intervention acting on a factor, with what studies measured it to do."""

    id: str
    label: str
    description: str
    push: float
    """The push it gives this factor in scenarios (a modelling assumption)."""
    measured: list[MeasuredEffect]


class LoopOut(BaseModel):
    """A feedback loop: factors in arrow order, R (reinforcing), B (balancing) or ? (a link on
    it has unknown polarity)."""

    index: int
    factors: list[str]
    labels: list[str]
    links: list[str]
    kind: Literal["R", "B", "?"]
    length: int
    weakest_confidence: float
    weakest_link: str
    curated_id: str | None = None
    name: str | None = None
    narrative: str | None = None


class LoopPage(Page[LoopOut]):
    reinforcing: int
    balancing: int
    unknown: int = 0
    truncated: bool


class CuratedLoopOut(CuratedLoop):
    # wider than the map's own field (R or B) on purpose: a kind the API computes is "?" when
    # a link's polarity is unknown; mypy refuses a field that widens its base class's type
    kind: Literal["R", "B", "?"] | None = None  # type: ignore[assignment]
    labels: list[str]


class ActingOrganisation(BaseModel):
    """An organisation acting on a factor: directly (``via`` None) or through the service
    ``via`` that feeds it."""

    id: str
    name: str
    url: str | None = None
    via: str | None = None
    via_label: str | None = None


class FundingFigure(BaseModel):
    """A known funding figure of an organisation acting on a factor."""

    organisation: str
    name: str
    amount: float
    currency: str
    year: int
    source: str | None = None
    citation: str = ""


class LeverageRow(BaseModel):
    factor: str
    label: str
    kind: str = "condition"
    total_effect: float
    r_loops: int
    b_loops: int
    reach: int
    evidence_strength: float
    organisations: int
    effect_part: float
    loops_part: float
    reach_part: float
    evidence_part: float
    score: float
    gap: bool
    rank: int
    coverage: str = "none"
    """Who acts here: ``direct``, ``upstream`` (through a service feeding it) or ``none``."""
    campaign_ask: bool = False
    acting: list[ActingOrganisation] = Field(default_factory=list)
    funding: list[FundingFigure] = Field(default_factory=list)
    median_rank: float | None = None
    """Over Monte Carlo samples of the link strengths (when asked for): the middle rank..."""
    rank_low: int | None = None
    """...the 5th and 95th percentiles of the rank..."""
    rank_high: int | None = None
    top_five: float | None = None
    """...and the share of samples in which the factor is in the top five."""


class LeverageOut(BaseModel):
    target: str
    formula: str
    rule: str = ""
    """The funding-gap and campaign-ask rule in plain words."""
    intervals: str = ""
    """With samples: what the rank intervals mean, in plain words."""
    settings: dict[str, Any]
    items: list[LeverageRow]


class FactorDetail(FactorOut):
    evidence: list[EvidenceOut]
    incoming: list[LinkOut]
    outgoing: list[LinkOut]
    loops: list[LoopOut]
    loops_total: int = 0
    """How many loops run through the factor (``loops`` may list only the first ones)."""
    organisations: list[OrganisationActionOut]
    interventions: list[InterventionOut] = Field(default_factory=list)
    leverage: LeverageRow | None = None


class CentralityRow(BaseModel):
    factor: str
    label: str
    in_degree: int
    out_degree: int
    betweenness: float
    pagerank: float
    reach: int
    reach_total: float


class PathOut(BaseModel):
    factors: list[str]
    labels: list[str]
    links: list[str]
    sign: Literal["+", "-"]
    length: int
    weakest_confidence: float
    weakest_link: str


class PathsOut(BaseModel):
    source: str
    target: str
    max_length: int
    total: int
    positive: int
    negative: int
    truncated: bool
    net_sign: Literal["+", "-", "mixed", "none"]
    items: list[PathOut]


class ScenarioRequest(BaseModel):
    """A scenario: factors pushed (added to their input every step) or clamped.

    Values are in [-1, 1] (tanh). ``samples`` > 0 adds a Monte Carlo run over link
    uncertainty (median and 5-95% band of every effect).
    """

    model_config = ConfigDict(extra="forbid")

    push: dict[str, float] = Field(
        default_factory=dict, examples=[{"help-finding-accommodation": 0.5}]
    )
    clamp: dict[str, float] = Field(default_factory=dict)
    interventions: list[str] = Field(default_factory=list)
    rule: Literal["kosko", "modified", "rescaled"] = "kosko"
    transfer: Literal["sigmoid", "tanh", "bivalent", "trivalent"] = "tanh"
    lam: float | None = Field(default=None, gt=0, le=100)
    samples: int = Field(default=200, ge=0, le=2000)
    uncertainty: float = Field(default=1.0, ge=0, le=1)
    seed: int | None = Field(default=0, ge=0, le=2**64 - 1)
    max_steps: int = Field(default=300, ge=1, le=2000)


class EffectOut(BaseModel):
    factor: str
    label: str
    effect: float
    median: float | None = None
    q05: float | None = None
    q95: float | None = None


class ScenarioOut(BaseModel):
    settings: dict[str, Any]
    converged: bool
    steps: int
    samples: int
    converged_share: float | None
    effects: list[EffectOut]


class RevisionOut(BaseModel):
    number: int
    author: str
    created_at: datetime
    message: str
    changes: int


class ChangeOut(BaseModel):
    collection: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class RevisionDetail(RevisionOut):
    items: list[ChangeOut]


__all__ = [
    "CuratedLoop",
    "Organisation",
    "Source",
    "View",
]
