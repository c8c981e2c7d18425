"""The things a map is made of: factors, links, curated loops, organisations, interventions,
views, themes and stages.

Example:
    >>> link = Link(**{"from": "homelessness", "to": "reoffending", "polarity": "+"})
    >>> link.id, link.weight
    ('homelessness--reoffending', 0.5)
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_serializer,
    model_validator,
)

from loopwise.model.evidence import Evidence
from loopwise.model.ids import Slug
from loopwise.model.urls import WebUrl

Polarity = Literal["+", "-"]
StrengthLabel = Literal["weak", "medium", "strong"]
FactorKind = Literal["condition", "service", "policy", "outcome"]
"""What a factor is: ``condition`` (a state of people: housing instability), ``service``
(something that can be delivered or funded: help finding accommodation), ``policy`` (a rule
or practice government sets: short custodial sentences, recall rules), ``outcome``
(reoffending, cost, community safety). Funders act on services and conditions; campaigners on
policies. A factor saved before kinds existed is a ``condition``
(see :data:`DEFAULT_FACTOR_KIND`)."""
DEFAULT_FACTOR_KIND: FactorKind = "condition"
"""The kind a factor gets when its map says none (maps saved before format version 2): the
broadest kind, which claims nothing about who can act on it."""
SupportGrade = Literal["states", "implies", "inference"]
"""How far a link's evidence carries it: ``states`` (the evidence says this cause moves this
effect in this direction), ``implies`` (it follows closely but is not said in so many words),
``inference`` (the map maker's reasoning; left out of leverage and briefs unless asked for)."""
STRENGTH_VALUES: dict[str, float] = {"weak": 0.25, "medium": 0.5, "strong": 0.75}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Theme(_Strict):
    """A colour-coded family of factors (housing, mental health...)."""

    id: Slug
    label: str = Field(min_length=1)
    description: str = ""


class Stage(_Strict):
    """A step of a person's path through the system (before court, in prison...)."""

    id: Slug
    label: str = Field(min_length=1)
    description: str = ""


class Indicator(_Strict):
    """A measurable figure for a factor, with its source and year."""

    text: str = Field(min_length=1)
    value: float | None = None
    unit: str = ""
    year: int | None = Field(default=None, ge=1800, le=2200)
    source: Slug


class Position(_Strict):
    x: float
    y: float


class Factor(_Strict):
    """A node of the map: something that can increase or decrease.

    Example:
        >>> Factor(id="help-finding-accommodation", label="Help to find accommodation",
        ...        kind="service").kind
        'service'
        >>> Factor(id="debt", label="Debt").kind  # no kind given: a condition
        'condition'
    """

    id: Slug
    label: str = Field(min_length=1)
    kind: FactorKind = DEFAULT_FACTOR_KIND
    description: str = ""
    theme: Slug | None = None
    stage: Slug | None = None
    tags: list[str] = Field(default_factory=list)
    indicator: Indicator | None = None
    position: Position | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    custom: dict[str, Any] = Field(default_factory=dict)


class Link(_Strict):
    """A directed causal claim ``from -> to``.

    ``polarity`` ``+`` means both move the same way, ``-`` opposite ways. ``strength`` is a
    label (weak / medium / strong) or a number in [-1, 1] whose sign must agree with the
    polarity. ``delay`` marks effects that take a long time. Confidence is not stored: it is
    derived from the evidence (see :mod:`loopwise.model.confidence`).
    """

    id: Slug = ""  # filled from the endpoints when missing
    source_factor: Slug = Field(alias="from")
    target_factor: Slug = Field(alias="to")
    polarity: Polarity
    strength: StrengthLabel | float = "medium"
    delay: bool = False
    mechanism: str = ""
    support: SupportGrade | None = None
    """How far the evidence carries the link (None: not graded)."""
    support_reason: str = ""
    """One line saying why the link has its support grade."""
    tags: list[str] = Field(default_factory=list)
    evidence: list[Evidence] = Field(default_factory=list)
    custom: dict[str, Any] = Field(default_factory=dict)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    @property
    def is_inference(self) -> bool:
        """True when the link rests on the map maker's reasoning, not on what a source says."""
        return self.support == "inference"

    @model_validator(mode="before")
    @classmethod
    def _fill_id(cls, data: Any) -> Any:
        if isinstance(data, dict):
            data = dict(data)
            data.pop("confidence", None)  # derived, never read back
            if not data.get("id"):
                start = data.get("from", data.get("source_factor"))
                end = data.get("to", data.get("target_factor"))
                if isinstance(start, str) and isinstance(end, str):
                    data["id"] = f"{start}--{end}"
        return data

    @field_validator("strength")
    @classmethod
    def _strength_in_range(cls, value: StrengthLabel | float) -> StrengthLabel | float:
        if isinstance(value, float | int) and not -1.0 <= value <= 1.0:
            raise ValueError(f"strength {value} is outside [-1, 1]")
        return value

    @model_validator(mode="after")
    def _sign_agrees(self) -> Link:
        strength = self.strength
        if (
            isinstance(strength, float | int)
            and strength != 0
            and (strength < 0) != (self.polarity == "-")
        ):
            raise ValueError(f"strength {self.strength} disagrees with polarity {self.polarity!r}")
        if self.source_factor == self.target_factor:
            raise ValueError(f"a link cannot go from {self.source_factor!r} to itself")
        return self

    @property
    def magnitude(self) -> float:
        """|strength| as a number in [0, 1]."""
        if isinstance(self.strength, str):
            return STRENGTH_VALUES[self.strength]
        return abs(float(self.strength))

    @property
    def weight(self) -> float:
        """Signed weight in [-1, 1]: the magnitude with the polarity's sign."""
        return self.magnitude if self.polarity == "+" else -self.magnitude


class CuratedLoop(_Strict):
    """A named feedback loop with a narrative; its factors are listed in order around it."""

    id: Slug
    name: str = Field(min_length=1)
    narrative: str = ""
    factors: list[Slug] = Field(min_length=2)
    kind: Literal["R", "B"] | None = None


class OrganisationAction(_Strict):
    """What an organisation does about one factor, and where that is said."""

    factor: Slug
    note: str = ""
    source: Slug | None = None
    text: str = ""
    """The source's own words saying the organisation acts there (verbatim)."""


class Funding(_Strict):
    """A known funding figure for an organisation: an amount in a year, with its source."""

    amount: float = Field(ge=0, allow_inf_nan=False)
    currency: str = Field(default="GBP", pattern=r"^[A-Z]{3}$")
    year: int = Field(ge=1800, le=2200)
    source: Slug | None = None
    note: str = ""


class Organisation(_Strict):
    """A charity, service or agency, where it works, the factors it acts on and any known
    funding."""

    id: Slug
    name: str = Field(min_length=1)
    kind: Literal["charity", "service", "agency", "funder", "research", "other"] = "charity"
    url: WebUrl | None = None  # http(s) or mailto only
    description: str = ""
    where: str = ""
    acts_on: list[OrganisationAction] = Field(default_factory=list)
    funding: list[Funding] = Field(default_factory=list)


class InterventionTarget(_Strict):
    factor: Slug
    effect: float = Field(ge=-1.0, le=1.0)


class MeasuredEffect(_Strict):
    """What a study measured an intervention to do to an outcome (null results too).

    ``difference_pp`` is treatment minus comparison in percentage points (negative: less
    reoffending); ``significant`` is None when the source does not say.

    Example:
        >>> MeasuredEffect(outcome="one-year proven reoffending rate", difference_pp=-7.0,
        ...                cohort=400, significant=True, year=2022, source="jdl",
        ...                text="reoffending rate of 18% compared with 25%").describe()
        '-7.0 percentage points on one-year proven reoffending rate (400 people, significant, 2022)'
    """

    outcome: str = Field(min_length=1)
    difference_pp: float | None = Field(default=None, ge=-100, le=100, allow_inf_nan=False)
    cohort: int | None = Field(default=None, ge=1)
    significant: bool | None = None
    year: int = Field(ge=1800, le=2200)
    source: Slug
    text: str = Field(min_length=1)
    """The source's own words for the result (verbatim)."""
    caveat: str = ""

    def describe(self) -> str:
        """One line: the difference, the cohort, significance and year."""
        if self.difference_pp is None:
            head = f"{self.outcome}: no percentage-point figure given"
        else:
            head = f"{self.difference_pp:+.1f} percentage points on {self.outcome}"
        parts = [f"{self.cohort:,} people"] if self.cohort else []
        parts.append(
            {True: "significant", False: "not significant", None: "significance not reported"}[
                self.significant
            ]
        )
        parts.append(str(self.year))
        return f"{head} ({', '.join(parts)})"


class Intervention(_Strict):
    """A lever a funder can pull: signed pushes on target factors (used in scenarios) and,
    where a study measured it, its effect on reoffending."""

    id: Slug
    label: str = Field(min_length=1)
    description: str = ""
    targets: list[InterventionTarget] = Field(min_length=1)
    measured: list[MeasuredEffect] = Field(default_factory=list)


class ViewFilters(_Strict):
    themes: list[Slug] = Field(default_factory=list)
    stages: list[Slug] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)
    evidence_kinds: list[str] = Field(default_factory=list)
    source_attributes: dict[str, str] = Field(default_factory=dict)


class StoryStep(_Strict):
    """One step of a story: a heading, a short text, and the factors and links it shows.

    The canvas focuses on the step's factors and links and dims the rest; the evidence shown
    with the step is its links' own evidence (a step adds no claims of its own).

    Example:
        >>> step = StoryStep(title="Out of prison, no home", text="...",
        ...                  factors=["settled-accommodation"])
        >>> step.links, step.push
        ([], None)
    """

    title: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=5000)
    factors: list[Slug] = Field(default_factory=list, max_length=200)
    links: list[Slug] = Field(default_factory=list, max_length=200)
    """Link ids (``from--to`` unless the link has its own)."""
    push: Slug | None = None
    """The factor "what if this rose?" pushes (default: the step's first factor)."""

    @model_validator(mode="after")
    def _shows_something(self) -> StoryStep:
        if not self.factors and not self.links:
            raise ValueError("a step shows at least one factor or link")
        return self


class View(_Strict):
    """A saved perspective: filters, an optional focus factor and depth, a layout.

    A view with ``steps`` is a **story** (what Kumu calls a presentation): read one step at
    a time, each focusing the canvas on some factors and links. ``steps`` and
    ``description`` are left out of the JSON when empty, so a plain view's document is
    what it was before stories (same format version).

    Example:
        >>> story = View(id="tour", name="A tour", steps=[{"title": "Start", "text": "Here.",
        ...                                                  "factors": ["a"]}])
        >>> story.is_story, "steps" in View(id="v", name="V").model_dump()
        (True, False)
    """

    id: Slug
    name: str = Field(min_length=1)
    description: str = Field(default="", max_length=5000)
    filters: ViewFilters = Field(default_factory=ViewFilters)
    focus: Slug | None = None
    depth: int = Field(default=2, ge=0, le=20)
    layout: str = "fcose"
    steps: list[StoryStep] = Field(default_factory=list, max_length=100)

    @property
    def is_story(self) -> bool:
        """Whether this view is a story (it has steps)."""
        return bool(self.steps)

    @model_serializer(mode="wrap")
    def _drop_empty_story(self, handler: Any) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            for key in ("steps", "description"):
                if not data.get(key):
                    data.pop(key, None)
        return data
