"""Crash: SIGKILL the server in the middle of writes, start it again, and check that every
acknowledged write is there and the store is consistent (integrity check, migrations
current, revisions contiguous, history replays to the current state)."""

from __future__ import annotations

import threading
import time

from sqlalchemy import func, select, text

from loopwise.model.revision import decompose
from loopwise.store.migrate import head_schema_revision
from loopwise.store.tables import MapRow, RevisionRow
from reliability.conftest import Backend, report, run_seconds
from reliability.writers import SLUG, lost_writes, run_writers

WRITERS = 20
CRASHES = 2


def check_consistent(backend: Backend) -> dict[str, object]:
    store = backend.open()
    try:
        assert store.current_schema_revision() == head_schema_revision()
        with store.engine.connect() as conn:
            if backend.name == "sqlite":
                assert conn.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                assert conn.execute(text("PRAGMA foreign_key_check")).fetchall() == []
            version = conn.scalar(select(MapRow.version).where(MapRow.slug == SLUG))
            numbers = conn.scalars(
                select(RevisionRow.number).join(MapRow, MapRow.id == RevisionRow.map_id)
                .where(MapRow.slug == SLUG).order_by(RevisionRow.number)
            ).all()  # fmt: skip
            revisions = conn.scalar(select(func.count(RevisionRow.id)))
        assert list(numbers) == list(range(1, version + 1))
        # undoing every revision from the current state gives back revision 1 exactly, and
        # replaying them from nothing gives the current state
        assert not store.diff(SLUG, 0, version) or decompose(store.map_at(SLUG, version)) == \
            decompose(store.get_map(SLUG))  # fmt: skip
        first = store.map_at(SLUG, 1)
        assert {f.id for f in first.factors} == {"homelessness", "reoffending", "stigma"}
        return {"version": version, "revisions": revisions}
    finally:
        store.close()


def test_sigkill_mid_write_loses_nothing(backend: Backend) -> None:
    seconds = run_seconds(20, 8)
    server = backend.server(workers=1)
    totals = {"acknowledged_writes": 0, "lost_writes": 0, "server_errors_5xx": 0, "crashes": 0}
    try:
        for _ in range(CRASHES):
            server.start()
            stop = threading.Event()
            result: dict[str, object] = {}

            def write(stop: threading.Event = stop, result: dict[str, object] = result) -> None:
                tally, _ = run_writers(server.base_url, backend.token, WRITERS, seconds, stop)
                result["tally"] = tally

            runner = threading.Thread(target=write)
            runner.start()
            time.sleep(seconds / 2)  # writes are in flight
            server.kill()
            totals["crashes"] += 1
            runner.join(timeout=seconds + 120)
            stop.set()
            tally = result["tally"]
            figures = check_consistent(backend)
            store = backend.open()
            try:
                lost = lost_writes(store, tally)  # type: ignore[arg-type]
            finally:
                store.close()
            totals["acknowledged_writes"] += tally.acknowledged  # type: ignore[attr-defined]
            totals["server_errors_5xx"] += tally.server_errors  # type: ignore[attr-defined]
            totals["lost_writes"] += len(lost["missing"]) + len(lost["missing_from_history"])
            assert lost == {"missing": [], "missing_from_history": []}
            assert tally.acknowledged > 0  # type: ignore[attr-defined]
        # the restarted server serves and takes writes again
        server.start()
        import httpx

        headers = {"Authorization": f"Bearer {backend.token}"}
        version = httpx.get(f"{server.base_url}/api/maps/{SLUG}/summary").json()["version"]
        after = httpx.post(
            f"{server.base_url}/api/maps/{SLUG}/factors",
            headers=headers,
            json={"based_on": version, "factor": {"id": "after", "label": "A"}},
        )
        assert after.status_code == 201
    finally:
        server.stop()
    report(
        f"crash-{backend.name}",
        {"backend": backend.name, **totals, "final_version": figures["version"]},
    )
    assert totals["server_errors_5xx"] == 0 and totals["lost_writes"] == 0
