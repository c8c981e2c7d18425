"""Who acts on each factor, directly or through the service that feeds it, and the rule that
makes a factor a funding gap or a campaign ask.

**The rule, in plain words** (:data:`GAP_RULE`). A *funding gap* is something a funder can
pay for (a factor of kind ``service`` or ``condition``) that ranks in the top quarter for
leverage on the outcome, and that no organisation on the map works on: neither directly, nor
through a service one step upstream that feeds it (an organisation running drug treatment
works on drug dependency through it). A *policy* is never a funding gap: government sets it,
so every policy that moves the outcome is a *campaign ask*, ranked by leverage. An
*outcome* (reoffending, its cost) is neither: it is what the other factors move.

:func:`acting_on` says, for every factor, who acts there and how: ``direct`` (an
organisation names the factor), ``upstream`` (an organisation acts on a service with a link
into the factor) or ``none``.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "factors": [{"id": "treatment", "label": "Treatment", "kind": "service"},
    ...                 {"id": "dependency", "label": "Dependency"},
    ...                 {"id": "debt", "label": "Debt"}],
    ...     "links": [{"from": "treatment", "to": "dependency", "polarity": "-"}],
    ...     "organisations": [{"id": "cgl", "name": "CGL", "acts_on": [{"factor": "treatment"}]}]})
    >>> cover = acting_on(m)
    >>> cover["treatment"].how, cover["dependency"].how, cover["debt"].how
    ('direct', 'upstream', 'none')
    >>> cover["dependency"].describe()
    'through Treatment: CGL'
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from loopwise.model import Map, Organisation

Coverage = Literal["direct", "upstream", "none"]
FUNDABLE_KINDS = frozenset({"service", "condition"})
"""Factor kinds a funder can pay for (a gap can only be one of these)."""
CAMPAIGN_KINDS = frozenset({"policy"})
"""Factor kinds that are changed by campaigning, not by funding."""

GAP_RULE = (
    "A funding gap is a service or a condition that ranks in the top quarter for leverage "
    "and that no organisation on the map works on, either directly or through a service one "
    "step upstream that feeds it. Policies are never funding gaps: government sets them, so "
    "every policy that moves the outcome is a campaign ask, ranked by leverage. Outcomes "
    "(such as reoffending) are neither."
)
"""The gap rule in plain words, as the explorer and the docs show it."""


@dataclass(frozen=True)
class UpstreamService:
    """A service feeding a factor through one link, and the organisations acting on it."""

    factor: str
    label: str
    organisations: tuple[str, ...]  # organisation ids


@dataclass(frozen=True)
class FactorCoverage:
    """Who acts on one factor: directly (``direct``, organisation ids) and through the
    services one step upstream that feed it (``upstream``)."""

    factor: str
    direct: tuple[str, ...] = ()
    upstream: tuple[UpstreamService, ...] = ()
    names: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @property
    def how(self) -> Coverage:
        """``direct``, ``upstream`` or ``none``."""
        if self.direct:
            return "direct"
        return "upstream" if self.upstream else "none"

    @property
    def organisations(self) -> tuple[str, ...]:
        """Every organisation id acting here, directly first, each once."""
        ids = [*self.direct, *(o for s in self.upstream for o in s.organisations)]
        return tuple(dict.fromkeys(ids))

    def describe(self) -> str:
        """Who acts here, in words: ``"directly: A, B"``, ``"through S: A"`` or ``"nobody"``."""
        if self.direct:
            return "directly: " + ", ".join(self.names.get(o, o) for o in self.direct)
        if self.upstream:
            return "; ".join(
                f"through {s.label}: " + ", ".join(self.names.get(o, o) for o in s.organisations)
                for s in self.upstream
            )
        return "nobody"


def acting_on(
    map_: Map, organisations: list[Organisation] | None = None
) -> dict[str, FactorCoverage]:
    """For every factor of ``map_``: who acts on it, directly or through a service upstream.

    Parameters
    ----------
    map_ : loopwise.model.Map
    organisations : list of Organisation, optional
        Whose actions count (default: the map's own organisations; a funder's portfolio
        gives its own cover).

    Returns
    -------
    dict of str to FactorCoverage
        Keyed by factor id, in map order. A service upstream counts when a link of the map
        goes from it into the factor (either polarity) and an organisation acts on it.

    Example
    -------
    >>> from loopwise.builtin import load_builtin_map
    >>> cover = acting_on(load_builtin_map())
    >>> cover["substance-dependency"].how
    'upstream'
    """
    orgs = map_.organisations if organisations is None else organisations
    names = {o.id: o.name for o in orgs}
    direct: dict[str, list[str]] = {f.id: [] for f in map_.factors}
    for org in orgs:
        for fid in dict.fromkeys(a.factor for a in org.acts_on):
            if fid in direct and org.id not in direct[fid]:
                direct[fid].append(org.id)
    kinds = {f.id: f.kind for f in map_.factors}
    labels = {f.id: f.label for f in map_.factors}
    upstream: dict[str, list[UpstreamService]] = {f.id: [] for f in map_.factors}
    for link in map_.links:
        source = link.source_factor
        if kinds.get(source) == "service" and direct.get(source):
            upstream[link.target_factor].append(
                UpstreamService(source, labels[source], tuple(direct[source]))
            )
    return {
        fid: FactorCoverage(fid, tuple(direct[fid]), tuple(upstream[fid]), names) for fid in direct
    }
