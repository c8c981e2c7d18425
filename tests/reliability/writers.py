"""Concurrent writers against a live server, and the checks that no acknowledged write was
lost. Each writer adds its own factors and then relabels them, always sending the version
it saw; a 409 makes it retry on the version the server names. A write counts as
acknowledged only once its 2xx response has been read in full."""

from __future__ import annotations

import random
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from loopwise.store import Store

SLUG = "load"


@dataclass
class Tally:
    """What the writers sent and what the server acknowledged."""

    expected: dict[str, set[str]] = field(default_factory=dict)  # factor -> allowed labels
    revisions: dict[int, str] = field(default_factory=dict)  # acknowledged revision -> factor
    statuses: Counter[int] = field(default_factory=Counter)
    connection_errors: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def acknowledged(self) -> int:
        return len(self.revisions)

    @property
    def server_errors(self) -> int:
        return sum(n for status, n in self.statuses.items() if status >= 500)


def run_writers(
    base_url: str, token: str, count: int, seconds: float, stop: threading.Event | None = None
) -> tuple[Tally, float]:
    """``count`` writers for ``seconds`` (or until ``stop``); the tally and the time taken."""
    tally = Tally()
    stop = stop or threading.Event()
    deadline = time.monotonic() + seconds
    threads = [
        threading.Thread(target=_writer, args=(base_url, token, i, deadline, tally, stop))
        for i in range(count)
    ]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 120)
    return tally, time.monotonic() - start


def _writer(
    base_url: str, token: str, index: int, deadline: float, tally: Tally, stop: threading.Event
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
        try:
            version = client.get(f"/api/maps/{SLUG}/summary").json()["version"]
        except httpx.HTTPError:
            with tally.lock:
                tally.connection_errors += 1
            return
        n = 0
        while time.monotonic() < deadline and not stop.is_set():
            factor_id = f"w{index}-{n}"
            n += 1
            for label, method, url in (
                (f"{factor_id} first", "POST", f"/api/maps/{SLUG}/factors"),
                (f"{factor_id} second", "PUT", f"/api/maps/{SLUG}/factors/{factor_id}"),
            ):
                if method == "PUT":
                    with tally.lock:
                        tally.expected[factor_id] = tally.expected[factor_id] | {label}
                outcome = _send(client, method, url, factor_id, label, version, tally,
                                deadline, stop)  # fmt: skip
                if outcome is None:
                    return
                version = outcome


def _send(
    client: httpx.Client, method: str, url: str, factor_id: str, label: str, version: int,
    tally: Tally, deadline: float, stop: threading.Event,
) -> int | None:  # fmt: skip
    """Send until acknowledged; the new version, or None to stop this writer."""
    while not stop.is_set():
        body: dict[str, Any] = {"based_on": version, "factor": {"id": factor_id, "label": label}}
        try:
            response = client.request(method, url, json=body)
            payload = response.json()
        except (httpx.HTTPError, ValueError):
            with tally.lock:
                tally.connection_errors += 1
            return None
        with tally.lock:
            tally.statuses[response.status_code] += 1
            if response.status_code in (200, 201):
                tally.revisions[payload["revision"]] = factor_id
                tally.expected[factor_id] = {label}
        if response.status_code in (200, 201):
            return int(payload["version"])
        if response.status_code == 409:
            version = int(payload["current"])
            if time.monotonic() > deadline:  # bounded: an unacknowledged write is not counted
                return None
            time.sleep(random.uniform(0, 0.05))  # a client backs off a little, with jitter
            continue
        return None
    return None


def lost_writes(store: Store, tally: Tally) -> dict[str, Any]:
    """Acknowledged writes missing from the map or its history (all lists empty: none)."""
    current = {f.id: f.label for f in store.get_map(SLUG).factors}
    history = {r.number: r for r in store.history(SLUG)}
    # a factor is expected once its add was acknowledged; its label must be the last
    # acknowledged one (or the one in flight when the server died)
    missing = [f for f, labels in tally.expected.items() if current.get(f) not in labels]
    missing_from_history = [
        n for n, factor_id in tally.revisions.items()
        if n not in history or factor_id not in {c.entity_id for c in history[n].changes}
        or history[n].author != "writer"
    ]  # fmt: skip
    return {"missing": missing, "missing_from_history": missing_from_history}
