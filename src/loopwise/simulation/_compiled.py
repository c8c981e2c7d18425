"""How loopwise's numba kernels are compiled and run: options, the vectoriser, all cores.

The simulation kernels (:mod:`._kernel`, :mod:`._random`, :mod:`._quantiles`) share
:data:`OPTIONS`: cached on disk, numpy's error model (a division is not guarded by a
``ZeroDivisionError`` check, which would keep it scalar) and fused multiply-adds.
:func:`vectorised` compiles a kernel with LLVM's superword-level vectoriser on (numba turns it
off by default), which is what packs the hand-written lanes of :mod:`._kernel` into vector
instructions. :func:`on_all_cores` runs a kernel that releases the GIL once per core, on plain
threads: numba's own ``parallel=True`` took seconds longer to compile and left its worker
threads spinning after each run. How the threads share the work is the kernel's: the Monte
Carlo kernel hands samples out one at a time from a shared atomic counter (a busy core takes
fewer), the quantiles split rows in advance.

numba's on-disk cache is keyed on the file of the function called; after editing a kernel in
another module, clear the ``__pycache__`` ``*.nbi``/``*.nbc`` files of its callers.

Example:
    >>> import numpy as np
    >>> from loopwise.simulation._quantiles import row_quantiles
    >>> out = np.empty((1, 2))
    >>> on_all_cores(vectorised(row_quantiles), np.arange(6.0).reshape(2, 3), np.array([0.5]),
    ...              out)
    >>> out.tolist()
    [[1.0, 4.0]]
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from numba.core import config

OPTIONS: dict[str, Any] = {"cache": True, "error_model": "numpy", "fastmath": {"contract"}}
_COMPILE_LOCK = threading.Lock()


def vectorised(kernel: Callable[..., Any]) -> Callable[..., Any]:
    """``kernel`` callable, compiled (on its first call) with LLVM's superword-level
    vectoriser on; numba turns it off by default for all code.

    Example:
        >>> from loopwise.simulation._random import seed_key, uniforms
        >>> vectorised(uniforms)(seed_key(1), 0, 1, 2).shape
        (1, 2)
    """

    def call(*args: Any) -> Any:
        if getattr(kernel, "signatures", ()):  # a numba dispatcher, compiled already
            return kernel(*args)
        settings = vars(config)  # numba sets its options at import time, unseen by mypy
        with _COMPILE_LOCK:
            before = settings["SLP_VECTORIZE"]
            settings["SLP_VECTORIZE"] = 1
            try:
                return kernel(*args)
            finally:
                settings["SLP_VECTORIZE"] = before

    return call


def on_all_cores(kernel: Callable[..., Any], *args: Any) -> None:
    """Call ``kernel(*args, worker, workers)`` once per core, at the same time.

    The kernels here release the GIL (``nogil``), so plain threads run them in parallel;
    a kernel either takes every ``workers``-th block from its ``worker``-th, or ignores
    both and takes work from a counter it shares with the other calls.

    >>> import numpy as np
    >>> from loopwise.simulation._quantiles import row_quantiles
    >>> out = np.empty((1, 3))
    >>> on_all_cores(vectorised(row_quantiles), np.arange(15.0).reshape(3, 5), np.array([0.5]),
    ...              out)
    >>> out.tolist()
    [[2.0, 7.0, 12.0]]
    """
    workers = _cores()
    if workers == 1:
        kernel(*args, 0, 1)
        return
    pool = _pool(workers)
    for future in [pool.submit(kernel, *args, w, workers) for w in range(workers)]:
        future.result()


def _cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


_POOLS: dict[int, ThreadPoolExecutor] = {}
if hasattr(os, "register_at_fork"):  # a forked child has none of its parent's threads
    os.register_at_fork(after_in_child=_POOLS.clear)


def _pool(workers: int) -> ThreadPoolExecutor:
    with _COMPILE_LOCK:
        if workers not in _POOLS:
            _POOLS[workers] = ThreadPoolExecutor(workers, thread_name_prefix="loopwise-mc")
        return _POOLS[workers]
