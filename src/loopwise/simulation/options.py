"""The options of a simulation, in one checked, immutable value.

How a map is iterated (``rule``, ``transfer``, ``lam``, ``threshold``, ``max_steps``) and the
scenario on it (``clamp``, ``push``, ``interventions``, ``intervention_mode``, ``initial``)
are the same for :func:`~loopwise.simulation.simulate`,
:func:`~loopwise.simulation.monte_carlo` and :func:`~loopwise.simulation.fcm.build_scenario`;
the low-level :func:`~loopwise.simulation.run_fcm` and
:func:`~loopwise.simulation.run_fcm_batch` use the first five (they take clamps and pushes
by factor index). Each takes a :class:`SimulationOptions` or the same names as keywords, or
both (the keywords then replace those fields)::

    simulate(m, SimulationOptions(transfer="tanh"), push={"a": 0.5})

The settings are checked when the value is made (a :class:`loopwise.errors.ValidationError`
naming the field); what depends on a map (factor and intervention ids, values in the
transfer's state range) is checked against the map by ``build_scenario``.

Example:
    >>> options = SimulationOptions(transfer="tanh", push={"a": 0.5})
    >>> options.with_changes(rule="modified").rule, options.push["a"]
    ('modified', 0.5)
    >>> SimulationOptions(lam=0)
    Traceback (most recent call last):
    ...
    loopwise.errors.ValidationError: lambda: expected a finite number > 0, got 0
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Literal, TypedDict

import numpy as np

from loopwise.errors import ValidationError
from loopwise.simulation.transfer import TRANSFERS, Transfer
from loopwise.simulation.update_rules import RULES, Rule

MAX_STEPS_LIMIT = 10_000
InterventionMode = Literal["push", "clamp"]
INTERVENTION_MODES: tuple[str, ...] = ("push", "clamp")

#: The fields that say how a map is iterated (all that run_fcm and run_fcm_batch use).
SETTING_FIELDS: tuple[str, ...] = ("rule", "transfer", "lam", "threshold", "max_steps")


class FcmSettings(TypedDict, total=False):
    """How a map is iterated, as keywords (see :class:`SimulationOptions`)."""

    rule: Rule
    transfer: Transfer
    lam: float
    threshold: float
    max_steps: int


class OptionFields(FcmSettings, total=False):
    """Every field of :class:`SimulationOptions`, as keywords."""

    clamp: Mapping[str, float] | None
    push: Mapping[str, float] | None
    interventions: Sequence[str]
    intervention_mode: InterventionMode
    initial: float | Mapping[str, float] | None


@dataclass(frozen=True)
class SimulationOptions:
    """The options of a simulation: how the map is iterated and the scenario on it.

    Parameters
    ----------
    rule : {"kosko", "modified", "rescaled"}
        Update rule (:mod:`loopwise.simulation.update_rules`).
    transfer : {"sigmoid", "tanh", "bivalent", "trivalent"}
        Transfer function (:mod:`loopwise.simulation.transfer`).
    lam : float
        Slope of sigmoid / tanh, in (0, 1000].
    threshold : float
        Converged when no factor changes by more than this in one step (> 0).
    max_steps : int
        At most this many steps, 1..10,000.
    clamp : mapping of factor id to value, optional
        Factors held at a value (in the transfer's state range).
    push : mapping of factor id to value in [-1, 1], optional
        Added to the factor's input at every step.
    interventions : sequence of intervention ids
        Interventions of the map to apply.
    intervention_mode : {"push", "clamp"}
        How an intervention acts on its targets.
    initial : float or mapping of factor id to value, optional
        The initial state (default: the transfer's neutral value).

    Example
    -------
    >>> SimulationOptions(rule="modified", clamp={"a": 1.0}).settings()
    {'rule': 'modified', 'transfer': 'sigmoid', 'lam': 1.0, 'threshold': 1e-05, 'max_steps': 100}
    """

    rule: Rule = "kosko"
    transfer: Transfer = "sigmoid"
    lam: float = 1.0
    threshold: float = 1e-5
    max_steps: int = 100
    clamp: Mapping[str, float] = field(default_factory=dict)
    push: Mapping[str, float] = field(default_factory=dict)
    interventions: tuple[str, ...] = ()
    intervention_mode: InterventionMode = "push"
    initial: float | Mapping[str, float] | None = None

    def __post_init__(self) -> None:
        check_settings(self.rule, self.transfer, self.lam, self.threshold, self.max_steps)
        if self.intervention_mode not in INTERVENTION_MODES:
            raise ValidationError(
                _choices(self.intervention_mode, INTERVENTION_MODES), "intervention_mode"
            )
        for name in ("clamp", "push"):
            value = getattr(self, name)
            if value is None:
                value = {}
            if not isinstance(value, Mapping):
                raise ValidationError(f"expected a mapping of factor id to value, got {value!r}",
                                      name)  # fmt: skip
            object.__setattr__(self, name, MappingProxyType(dict(value)))
        if isinstance(self.interventions, str):
            raise ValidationError(
                f"expected a list of intervention ids, got the string {self.interventions!r}",
                "interventions",
            )
        object.__setattr__(self, "interventions", tuple(self.interventions))
        if isinstance(self.initial, Mapping):
            object.__setattr__(self, "initial", MappingProxyType(dict(self.initial)))

    def __reduce__(self) -> tuple[Any, ...]:  # a mappingproxy does not pickle; dicts do
        values: dict[str, Any] = {
            f.name: dict(v) if isinstance(v := getattr(self, f.name), MappingProxyType) else v
            for f in dataclasses.fields(self)
        }
        return (functools.partial(SimulationOptions, **values), ())

    @classmethod
    def of(cls, options: SimulationOptions | None = None, **changes: Any) -> SimulationOptions:
        """``options`` (default: all defaults) with ``changes`` (field names) applied.

        >>> SimulationOptions.of(None, transfer="tanh").transfer
        'tanh'
        """
        if options is not None and not isinstance(options, SimulationOptions):
            raise ValidationError(
                f"expected SimulationOptions, got {type(options).__name__}", "options"
            )
        base = options if options is not None else cls()
        return dataclasses.replace(base, **changes) if changes else base

    def with_changes(self, **changes: Any) -> SimulationOptions:
        """A copy with some fields replaced (checked again).

        >>> SimulationOptions().with_changes(max_steps=5).max_steps
        5
        """
        return dataclasses.replace(self, **changes)

    def settings(self) -> dict[str, Any]:
        """How the map is iterated: ``rule``, ``transfer``, ``lam``, ``threshold``,
        ``max_steps`` (the keywords of :func:`~loopwise.simulation.run_fcm`)."""
        return {name: getattr(self, name) for name in SETTING_FIELDS}


def check_settings(rule: str, transfer: str, lam: float, threshold: float, max_steps: int) -> None:
    """Refuse (``ValidationError`` naming the setting) an unknown rule or transfer, a slope
    or threshold that is not a finite number > 0 (slope at most 1000), or ``max_steps``
    outside 1..10,000.

    >>> check_settings("kosko", "tanh", 1.0, 1e-5, 100)
    """
    if rule not in RULES:
        raise ValidationError(_choices(rule, RULES), "rule")
    if transfer not in TRANSFERS:
        raise ValidationError(_choices(transfer, TRANSFERS), "transfer")
    for name, number in (("lambda", lam), ("threshold", threshold)):
        if isinstance(number, bool) or not isinstance(number, int | float | np.number):
            raise ValidationError(f"expected a number, got {number!r}", name)
        if not math.isfinite(number) or number <= 0:
            raise ValidationError(f"expected a finite number > 0, got {number}", name)
    if lam > 1000:
        raise ValidationError(f"expected at most 1000, got {lam:g}", "lambda")
    if isinstance(max_steps, bool) or not isinstance(max_steps, int | np.integer):
        raise ValidationError(f"expected a whole number, got {max_steps!r}", "max_steps")
    if not 1 <= max_steps <= MAX_STEPS_LIMIT:
        raise ValidationError(f"expected 1..{MAX_STEPS_LIMIT:,}, got {max_steps}", "max_steps")


def _choices(value: object, choices: Sequence[str]) -> str:
    return f"unknown value {value!r} (choose one of {', '.join(choices)})"
