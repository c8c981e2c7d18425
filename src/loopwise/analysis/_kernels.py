"""Whether the compiled loop search can run without compiling first.

:func:`loopwise.analysis.find_feedback_loops` with ``engine="auto"`` uses the compiled
search on small maps too, but only when that costs no compile: its kernels are already
loaded in this process (``loopwise serve`` warms them, see :mod:`loopwise.warm`) or numba
has them in its on-disk cache (any earlier run on this install). A brand-new install's first
search on a small map uses networkx instead of waiting seconds for the compiler.

Example:
    >>> isinstance(loop_kernels_cached(), bool)
    True
"""

from __future__ import annotations

from typing import Any

_ready = False


def loop_kernels() -> tuple[Any, ...]:
    """The numba dispatchers every loop search calls (both searches and the description)."""
    from loopwise.analysis._bounded import bounded_cycles_csr
    from loopwise.analysis._johnson import simple_cycles_csr
    from loopwise.analysis._loop_arrays import describe_loops, gather_loops

    return (simple_cycles_csr, bounded_cycles_csr, describe_loops, gather_loops)


def loop_kernels_loaded() -> bool:
    """Whether every loop kernel is compiled (or loaded from the cache) in this process."""
    return all(kernel.signatures for kernel in loop_kernels())


def loop_kernels_cached() -> bool:
    """Whether every loop kernel is loaded in this process or waiting in numba's disk cache.

    Once true it stays true for the process (the answer is kept).
    """
    global _ready
    if not _ready:
        _ready = all(kernel.signatures or _on_disk(kernel) for kernel in loop_kernels())
    return _ready


def _on_disk(kernel: Any) -> bool:
    """Whether numba's cache index for ``kernel`` holds a compiled version for this source.

    numba has no public call for this; its cache object answers, and any change in its
    internals makes the answer "no" (the search then uses networkx until compiled)."""
    try:
        return bool(kernel._cache._cache_file._load_index())
    except Exception:  # noqa: BLE001 - a private numba API: any failure means "not cached"
        return False
