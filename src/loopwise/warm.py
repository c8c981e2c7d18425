"""Compile the numba kernels ahead of the first request that needs them.

The Monte Carlo kernel and the compiled loop searches are compiled on first use (a few
seconds in a new install, then loaded from numba's on-disk cache in about half a second).
``loopwise serve`` calls :func:`warm_up_in_background` so that a visitor's first scenario
with uncertainty bands does not wait for the compiler.

Example:
    >>> thread = warm_up_in_background()
    >>> thread.join()
    >>> kernels_ready()
    True
"""

from __future__ import annotations

import threading


def warm_up() -> None:
    """Run each compiled kernel once on a two-factor map (compiling or loading it)."""
    from loopwise.analysis import find_feedback_loops
    from loopwise.model import Map
    from loopwise.simulation import monte_carlo

    tiny = Map.from_dict(
        {
            "slug": "warm-up",
            "title": "Warm-up",
            "factors": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            "links": [
                {"from": "a", "to": "b", "polarity": "+"},
                {"from": "b", "to": "a", "polarity": "-"},
            ],
        }
    )
    monte_carlo(tiny, push={"a": 0.5}, samples=16, seed=0)
    list(find_feedback_loops(tiny, engine="compiled"))  # Johnson's search, the description
    find_feedback_loops(tiny, engine="compiled", max_length=2)  # the length-bounded search
    from loopwise.analysis.leverage_intervals import leverage_intervals

    leverage_intervals(tiny, "b", samples=8, seed=0)  # the batch kernel behind rank ranges


def warm_up_in_background() -> threading.Thread:
    """Start :func:`warm_up` on a daemon thread and return it."""
    thread = threading.Thread(target=warm_up, name="loopwise-warm-up", daemon=True)
    thread.start()
    return thread


def kernels_ready() -> bool:
    """Whether the Monte Carlo kernels and the loop searches are compiled in this process."""
    from loopwise.analysis._kernels import loop_kernels_loaded
    from loopwise.simulation._kernel import fcm_samples_on_cores, monte_carlo_samples
    from loopwise.simulation._quantiles import row_quantiles

    kernels = (monte_carlo_samples, fcm_samples_on_cores, row_quantiles)
    return loop_kernels_loaded() and all(k.signatures for k in kernels)
