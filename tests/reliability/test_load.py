"""Load: 50 concurrent writers against a real ``loopwise serve --workers 2`` on loopback.

Afterwards every acknowledged write is in the map and in its history, and no response was a
5xx. The run lasts ``LOOPWISE_LOAD_SECONDS`` (default 60 s in CI, 10 s otherwise); no
wall-clock time is asserted, the throughput is reported (``pytest -s`` or the JSON under
``$TMPDIR/loopwise-reliability``).
"""

from __future__ import annotations

from reliability.conftest import Backend, report, run_seconds
from reliability.writers import lost_writes, run_writers

WRITERS = 50


def test_fifty_writers_lose_nothing(backend: Backend) -> None:
    seconds = run_seconds(60, 10)
    server = backend.server(workers=2)
    server.start()
    try:
        tally, elapsed = run_writers(server.base_url, backend.token, WRITERS, seconds)
    finally:
        server.stop()
    store = backend.open()
    try:
        lost = lost_writes(store, tally)
        version = store.version("load")
    finally:
        store.close()
    figures = {
        "backend": backend.name, "writers": WRITERS, "seconds": round(elapsed, 1),
        "acknowledged_writes": tally.acknowledged,
        "throughput_per_second": round(tally.acknowledged / elapsed, 1),
        "conflicts_409": tally.statuses[409], "server_errors_5xx": tally.server_errors,
        "statuses": dict(tally.statuses), "connection_errors": tally.connection_errors,
        "lost_writes": len(lost["missing"]) + len(lost["missing_from_history"]),
        "requests_per_second": round(sum(tally.statuses.values()) / elapsed, 1),
        "final_version": version,
    }  # fmt: skip
    report(f"load-{backend.name}", figures)
    assert tally.acknowledged > 0
    assert tally.server_errors == 0
    assert tally.connection_errors == 0
    assert lost == {"missing": [], "missing_from_history": []}
    assert set(tally.statuses) <= {200, 201, 409}
    assert version == 1 + tally.acknowledged  # every revision since the seed is one of ours
