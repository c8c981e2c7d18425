"""Monte Carlo over link uncertainty: how sure is a scenario's effect?

Each sample draws every link's weight from a range set by its strength and its evidence, runs
the baseline and the scenario with those weights (:mod:`.fcm`, same rule, transfer and initial
state) and keeps the effect (scenario - baseline) of every factor. The result is the
distribution of each factor's effect: median, 5th and 95th percentiles, mean.

**The sampling rule.** A link of magnitude ``m`` (weak .25 / medium .5 / strong .75 or its
number) and evidence confidence ``c`` in [0, 1] (:meth:`loopwise.model.Map.link_confidence`)
gets the relative spread ``u = uncertainty * (1 - c)`` and its magnitude is drawn uniformly
from::

    [m * (1 - u), min(1, m * (1 + u))]

keeping the sign of its polarity. So a well-evidenced link (c near 1) barely moves, an
assumption (c = 0, u = 1 by default) ranges from 0 (no effect at all) to twice its stated
strength, and no weight ever leaves [-1, 1] or changes sign. ``uncertainty`` (default 1, in
[0, 1]) scales every spread; ``uncertainty=0`` (or every link at confidence 1) gives the
deterministic result in every sample.

**Vectorised over samples.** States are an array of shape (samples, factors) and one step
for all samples is one gather of the link sources, one multiply by the sampled weights
(samples, links) and one segmented sum by link target: never a Python loop over samples,
and memory grows with links, not factors squared. :func:`run_fcm_batch` does this with
numpy (``numpy.add.reduceat``) and is the reference; :func:`monte_carlo` runs the same steps
compiled (:mod:`loopwise.simulation._kernel`: blocks of eight samples in vector
instructions, on every core), which the tests check against the reference. Each block draws
its own weights from a counter-based generator keyed by the seed, so sample ``k``'s weights
depend only on the seed and ``k`` (:func:`sample_link_weights` gives the same numbers) and
the weights of all samples are never held at once. Samples run in chunks (a progress
callback after each); a sample stops changing once it has converged (max change <=
threshold), exactly as a single run would.

Example:
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "+"}]})
    >>> result = monte_carlo(m, clamp={"a": 1.0}, transfer="tanh", samples=500, seed=1)
    >>> row = result.summary.loc["b"]
    >>> bool(row["q05"] < row["median"] < row["q95"]), round(float(row["deterministic"]), 4)
    (True, 0.4621)

References:
    Osoba, O. and Kosko, B. (2017). Fuzzy cognitive maps of public support for insurgency and
    terrorism. Journal of Defense Modeling and Simulation 14(1).
    Gray, S. A. et al. (2014). Fuzzy cognitive maps as representations of mental models and
    group beliefs. In *Fuzzy Cognitive Maps for Applied Sciences and Engineering*, Springer.
"""

from __future__ import annotations

import math
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Unpack

import numpy as np

from loopwise.errors import ValidationError
from loopwise.simulation.fcm import build_scenario, link_arrays, simulate
from loopwise.simulation.options import FcmSettings, OptionFields, SimulationOptions
from loopwise.simulation.transfer import apply_transfer
from loopwise.simulation.update_rules import self_term, source_term

if TYPE_CHECKING:
    import pandas as pd

    from loopwise.model import Map

MAX_SAMPLES = 1_000_000
#: Bound on samples x factors: the effects kept for the quantiles (8 bytes each, 200 MB).
MAX_SAMPLE_FACTORS = 25_000_000
#: Bound on samples x links x max_steps: the total work, so that no request runs for hours.
MAX_WORK = 10**12
#: Progress is reported after each chunk: about this many chunks per run...
PROGRESS_STEPS = 50
#: ...of at least this many samples each (results never depend on the chunking).
PROGRESS_CHUNK_MIN = 1024

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class MonteCarloResult:
    """The distribution of each factor's effect over the samples.

    ``summary`` is indexed by factor id with columns ``label``, ``deterministic`` (the effect
    with the map's own weights), ``median``, ``q05``, ``q95``, ``mean``, largest effects first
    (by the absolute median; factors with equal medians in map order); ``effects`` holds
    every sample (rows) and factor (columns); ``converged`` says, per sample, whether both
    its baseline and its scenario converged; ``seed`` is the seed used (drawn at random when
    none was given), so that any run can be repeated.
    """

    summary: pd.DataFrame
    effects: pd.DataFrame
    converged: np.ndarray
    samples: int
    seed: int
    settings: dict[str, Any] = field(default_factory=dict)

    @property
    def converged_share(self) -> float:
        return float(self.converged.mean()) if self.samples else 0.0


# ---------------------------------------------------------------------------- sampling
def link_uncertainty(map_: Map, uncertainty: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Each link's lowest and highest weight (signed), in ``map_.links`` order, from the
    module's rule: magnitude in ``[m (1 - u), min(1, m (1 + u))]``, ``u = uncertainty (1 - c)``.
    """
    _check_uncertainty(uncertainty)
    magnitude = np.array([lk.magnitude for lk in map_.links], dtype=float)
    sign = np.array([1.0 if lk.polarity == "+" else -1.0 for lk in map_.links])
    scores = map_.link_confidences()
    confidence = np.array([scores[lk.id].score for lk in map_.links], dtype=float)
    spread = uncertainty * (1.0 - np.clip(confidence, 0.0, 1.0))
    low = magnitude * (1.0 - spread)
    high = np.minimum(1.0, magnitude * (1.0 + spread))
    return sign * low, sign * high


def sample_link_weights(
    low: np.ndarray, high: np.ndarray, samples: int, seed: int, first: int = 0
) -> np.ndarray:
    """Samples ``first .. first + samples - 1``'s link weights (one row each), drawn uniformly
    between ``low`` and ``high`` with the generator :func:`monte_carlo` uses: the same
    ``seed``, sample number and link order give the same weight, however the samples are
    chunked.

    >>> low, high = np.array([0.0, -1.0]), np.array([1.0, -0.5])
    >>> w = sample_link_weights(low, high, 3, seed=1)
    >>> w.shape, bool(((0 <= w[:, 0]) & (w[:, 0] < 1)).all()), bool((w[:, 1] <= -0.5).all())
    ((3, 2), True, True)
    >>> bool((sample_link_weights(low, high, 2, seed=1, first=1)[0] == w[1]).all())
    True
    """
    from loopwise.simulation._compiled import vectorised
    from loopwise.simulation._random import seed_key, uniforms

    u = vectorised(uniforms)(seed_key(seed), int(first), int(samples), int(low.size))
    return low + (high - low) * u


# ---------------------------------------------------------------------------- the batched core
@dataclass(frozen=True)
class _Links:
    """Links sorted by target, ready for the segmented sum."""

    order: np.ndarray  # positions in map order, sorted by target
    sources: np.ndarray
    targets_with_input: np.ndarray
    starts: np.ndarray
    n: int
    indptr: np.ndarray  # the links into factor i are indptr[i]:indptr[i + 1] (sorted order)

    @classmethod
    def build(cls, sources: np.ndarray, targets: np.ndarray, n: int) -> _Links:
        order = np.argsort(targets, kind="stable")
        sorted_targets = targets[order]
        unique, starts = np.unique(sorted_targets, return_index=True)
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(np.bincount(sorted_targets, minlength=n), out=indptr[1:])
        return cls(order, sources[order], unique, starts, n, indptr)


def run_fcm_batch(
    links: tuple[np.ndarray, np.ndarray],
    weights: np.ndarray,
    n: int,
    initial: np.ndarray,
    options: SimulationOptions | None = None,
    *,
    clamp: Mapping[int, float] | None = None,
    push: np.ndarray | None = None,
    **settings: Unpack[FcmSettings],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Run one FCM per row of ``weights``, all at once.

    Parameters
    ----------
    links : (sources, targets)
        Factor indices of each link's two ends (arrays of equal length ``E``).
    weights : numpy.ndarray, shape (samples, E)
        One row of link weights per sample.
    n : int
        Number of factors.
    initial : numpy.ndarray, shape (n,)
        The common initial state.
    options, clamp, push, **settings
        As :func:`loopwise.simulation.run_fcm`: the settings from ``options`` or keywords,
        clamps and pushes by factor index.

    Returns
    -------
    (states, steps, converged)
        Final states (samples, n), the number of steps each sample took, and whether it
        converged (else it ran ``max_steps``). No cycle detection: a sample that never
        settles runs to ``max_steps``.
    """
    chosen = SimulationOptions.of(options, **settings)
    sources, targets = links
    table = _Links.build(np.asarray(sources, np.intp), np.asarray(targets, np.intp), n)
    sorted_weights = np.ascontiguousarray(np.asarray(weights, dtype=float)[:, table.order])
    return _iterate(
        table, sorted_weights, initial, clamp=clamp or {}, push=push, **chosen.settings()
    )


def _iterate(
    table: _Links,
    weights: np.ndarray,
    initial: np.ndarray,
    *,
    rule: str,
    transfer: str,
    lam: float,
    clamp: Mapping[int, float],
    push: np.ndarray | None,
    threshold: float,
    max_steps: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    samples, n = weights.shape[0], table.n
    clamp_idx = np.array(list(clamp), dtype=np.intp)
    clamp_val = np.array(list(clamp.values()), dtype=float)
    push_row = np.zeros(n) if push is None else np.asarray(push, dtype=float)
    start = np.array(initial, dtype=float)
    start[clamp_idx] = clamp_val

    final = np.empty((samples, n))
    steps = np.full(samples, max_steps, dtype=np.intp)
    converged = np.zeros(samples, dtype=bool)
    active = np.arange(samples)  # the samples still moving, in the rows of state / w
    state = np.tile(start, (samples, 1))
    w = weights
    inputs = np.zeros((samples, n))
    for step in range(1, max_steps + 1):
        sent = np.take(source_term(state, rule), table.sources, axis=1)
        sent *= w
        inputs[:] = push_row
        if table.starts.size:
            inputs[:, table.targets_with_input] += np.add.reduceat(sent, table.starts, axis=1)
        new = apply_transfer(self_term(state, rule) + inputs, transfer, lam)
        new[:, clamp_idx] = clamp_val
        done = np.max(np.abs(new - state), axis=1, initial=0.0) <= threshold
        state = new
        if done.any():
            finished = active[done]
            final[finished] = state[done]
            steps[finished] = step
            converged[finished] = True
            keep = ~done
            active, state, w, inputs = active[keep], state[keep], w[keep], inputs[keep]
            if not active.size:
                break
    final[active] = state
    return final, steps, converged


def _compiled_iterate(
    table: _Links,
    weights: np.ndarray,
    initial: np.ndarray,
    *,
    rule: str,
    transfer: str,
    lam: float,
    clamp: Mapping[int, float],
    push: np.ndarray | None,
    threshold: float,
    max_steps: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_iterate`'s steps, compiled (see :mod:`loopwise.simulation._kernel`), on every
    core (the threads take samples from a shared counter)."""
    from loopwise.simulation._compiled import on_all_cores, vectorised
    from loopwise.simulation._kernel import RULE_CODES, TRANSFER_CODES, fcm_samples_on_cores

    clamped, clamp_values, push_row = _clamp_arrays(table.n, clamp, push)
    samples = weights.shape[0]
    final = np.empty((table.n, samples))  # factors x samples: what the kernel writes
    steps = np.empty(samples, dtype=np.int64)
    converged = np.empty(samples, dtype=bool)
    on_all_cores(
        vectorised(fcm_samples_on_cores), table.indptr, table.sources.astype(np.int64),
        np.ascontiguousarray(weights, float), np.asarray(initial, float), clamped,
        clamp_values, push_row, RULE_CODES[rule], TRANSFER_CODES[transfer], float(lam),
        float(threshold), int(max_steps), np.zeros(1, dtype=np.int64), final, steps,
        converged,
    )  # fmt: skip
    return final.T.copy(), steps, converged


def _clamp_arrays(
    n: int, clamp: Mapping[int, float], push: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    clamped = np.zeros(n, dtype=bool)
    clamp_values = np.zeros(n)
    for index, value in clamp.items():
        clamped[index] = True
        clamp_values[index] = value
    push_row = np.zeros(n) if push is None else np.asarray(push, dtype=float)
    return clamped, clamp_values, push_row


# ---------------------------------------------------------------------------- the public API
def monte_carlo(
    map_: Map,
    options: SimulationOptions | None = None,
    *,
    samples: int = 1000,
    seed: int | None = None,
    uncertainty: float = 1.0,
    progress: Progress | None = None,
    chunk_size: int | None = None,
    **changes: Unpack[OptionFields],
) -> MonteCarloResult:
    """The distribution of a scenario's effect when link weights are uncertain.

    Parameters
    ----------
    map_ : loopwise.model.Map
    options : SimulationOptions, optional
        The scenario and the FCM settings, as :func:`loopwise.simulation.simulate`.
    samples : int
        Number of weight samples, 1..1,000,000 (and samples x factors <= 25 million).
    seed : int, optional
        0 .. 2**64 - 1: the same seed gives the same result, however the samples are
        chunked and on any number of cores. Without one a seed is drawn at random and
        reported in the result's ``seed``.
    uncertainty : float
        Scale of every link's spread, in [0, 1] (see the module docstring); 0 = none.
    progress : callable(done, total), optional
        Called after each chunk of samples.
    chunk_size : int, optional
        Samples per chunk, so per progress report (default: about 50 chunks, of at least
        1,024 samples). Results do not depend on it.
    **changes
        Fields of ``options`` as keywords (``clamp``, ``push``, ``interventions``,
        ``intervention_mode``, ``rule``, ``transfer``, ``lam``, ``threshold``, ``max_steps``,
        ``initial``), as :func:`loopwise.simulation.simulate`.

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    loopwise.errors.ValidationError
        ``samples`` outside its bounds, a bad ``uncertainty``, ``seed`` or ``chunk_size``,
        or any error :func:`~loopwise.simulation.simulate` raises.
    loopwise.errors.UnknownIdError
        An unknown factor or intervention.

    Example
    -------
    >>> from loopwise.model import Map
    >>> m = Map.from_dict({"slug": "d", "title": "D",
    ...     "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
    ...     "links": [{"from": "a", "to": "b", "polarity": "-"}]})
    >>> r = monte_carlo(m, clamp={"a": 1.0}, transfer="tanh", samples=200, seed=7)
    >>> bool((r.effects["b"] < 0).all()), r.samples
    (True, 200)
    """
    import pandas as pd

    from loopwise.simulation._compiled import on_all_cores, vectorised
    from loopwise.simulation._kernel import RULE_CODES, TRANSFER_CODES, monte_carlo_samples
    from loopwise.simulation._random import seed_key

    n = len(map_.factors)
    max_steps = changes.get("max_steps", (options or SimulationOptions).max_steps)
    check_monte_carlo_size(map_, samples, max_steps)
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**64
    ):
        raise ValidationError(f"expected a whole number in 0..2**64 - 1, got {seed!r}", "seed")
    if chunk_size is not None and (
        isinstance(chunk_size, bool) or not isinstance(chunk_size, int) or chunk_size < 1
    ):
        raise ValidationError(f"expected a whole number >= 1, got {chunk_size!r}", "chunk_size")
    chosen = SimulationOptions.of(options, **changes)
    rule, transfer, lam, threshold = chosen.rule, chosen.transfer, chosen.lam, chosen.threshold
    low, high = link_uncertainty(map_, uncertainty)
    scenario = build_scenario(map_, chosen)
    deterministic = simulate(map_, chosen).effect

    sources, targets, _ = link_arrays(map_)
    table = _Links.build(sources, targets, n)
    low, high = low[table.order], high[table.order]  # sample straight into target order
    if seed is None:
        seed = secrets.randbits(63)
    kernel = vectorised(monte_carlo_samples)
    clamped, clamp_values, push_row = _clamp_arrays(n, scenario.clamp, scenario.push)
    sources_sorted = table.sources.astype(np.int64)
    constants = (
        np.asarray(scenario.initial, float), clamped, clamp_values, push_row, RULE_CODES[rule],
        TRANSFER_CODES[transfer], float(lam), float(threshold), int(max_steps),
    )  # fmt: skip
    key = seed_key(seed)
    chunk = chunk_size or max(PROGRESS_CHUNK_MIN, -(-samples // PROGRESS_STEPS))
    by_factor = np.empty((n, samples))  # factors x samples: what the kernel writes in rows
    converged = np.empty(samples, dtype=bool)
    for begin in range(0, samples, chunk):
        end = min(samples, begin + chunk)
        counter = np.zeros(1, dtype=np.int64)  # the threads take samples from it
        on_all_cores(kernel, table.indptr, sources_sorted, low, high, key,
                     begin, end - begin, counter, by_factor, converged, *constants)  # fmt: skip
        if progress is not None:
            progress(end, samples)

    ids = [f.id for f in map_.factors]
    q05, median, q95 = _quantiles(by_factor, (0.05, 0.5, 0.95))
    effects = by_factor.T  # samples x factors, without a copy
    summary = pd.DataFrame(
        {
            "label": [f.label for f in map_.factors],
            "deterministic": deterministic.to_numpy(),
            "median": median,
            "q05": q05,
            "q95": q95,
            "mean": by_factor.mean(axis=1),
        },
        index=pd.Index(ids, name="factor"),
    ).iloc[np.argsort(-np.abs(median), kind="stable")]  # largest effects first
    settings = {**chosen.settings(), "uncertainty": uncertainty,
                "intervention_mode": chosen.intervention_mode}  # fmt: skip
    frame = pd.DataFrame(effects, columns=pd.Index(ids, name="factor"))
    return MonteCarloResult(summary, frame, converged, samples, seed, settings)


def _quantiles(by_factor: np.ndarray, qs: Sequence[float]) -> np.ndarray:
    """Each factor's (row's) quantiles, as ``numpy.quantile(..., axis=1)`` gives them."""
    from loopwise.simulation._compiled import on_all_cores, vectorised
    from loopwise.simulation._quantiles import row_quantiles

    out = np.empty((len(qs), by_factor.shape[0]))
    if by_factor.shape[0]:
        on_all_cores(vectorised(row_quantiles), by_factor, np.asarray(qs, dtype=float), out)
    return out


# ---------------------------------------------------------------------------- checks
def check_monte_carlo_size(map_: Map, samples: int, max_steps: int = 100) -> None:
    """Refuse (``ValidationError`` on ``samples``) a run that is out of bounds: samples
    outside 1..1,000,000, more than 25 million sample-factor cells to keep, or more than
    10^12 sample-link-steps of work."""
    n, n_links = len(map_.factors), len(map_.links)
    if isinstance(samples, bool) or not isinstance(samples, int | np.integer):
        raise ValidationError(f"expected a whole number, got {samples!r}", "samples")
    if not 1 <= samples <= MAX_SAMPLES:
        raise ValidationError(f"expected 1..{MAX_SAMPLES:,}, got {samples:,}", "samples")
    if samples * n > MAX_SAMPLE_FACTORS:
        most = MAX_SAMPLE_FACTORS // max(n, 1)
        raise ValidationError(
            f"{samples:,} samples of {n} factors is too many to keep (at most {most:,} for "
            "this map)",
            "samples",
        )
    if isinstance(max_steps, int) and samples * max(n_links, 1) * max_steps > MAX_WORK:
        raise ValidationError(
            f"{samples:,} samples x {n_links:,} links x {max_steps:,} steps is too much work "
            f"(at most {MAX_WORK:.0e}); use fewer samples or steps",
            "samples",
        )


def _check_uncertainty(uncertainty: float) -> None:
    if (
        isinstance(uncertainty, bool)
        or not isinstance(uncertainty, int | float)
        or not math.isfinite(uncertainty)
        or not 0 <= uncertainty <= 1
    ):
        raise ValidationError(f"expected a number in [0, 1], got {uncertainty!r}", "uncertainty")
