"""Benchmark: p95 latency of the reads users feel, loopwise against a static file server.

Run with ``python benchmarks/bench_api.py`` (``--smoke``: a few requests from two clients,
to check that it runs; ``--duration S`` and ``--clients N`` to change the load).

Two servers run side by side, each a local uvicorn with one worker in its own process:

- **loopwise**: ``create_app`` over a real store (a SQLite file seeded with the built-in map,
  as ``loopwise serve`` opens it);
- **static** (the baseline): Starlette's ``StaticFiles`` serving, as files, the very bytes
  loopwise answered for each route.

Each route is loaded by ``--clients`` concurrent clients for ``--duration`` seconds on each
server, in ``--rounds`` rounds taking turns between the servers (so that a busy moment of the
machine falls on both), each client with its own keep-alive connection (``http.client`` on a
thread; the clients are spread over several processes, so neither a shared connection pool
nor one interpreter's lock is the bottleneck). Reported per route: requests per second, p50
and p95 in ms on each server, and the loopwise/static p95 ratio. The routes: the canvas
payload (``/graph``), the loop and leverage JSON, the reoffending factor page, the canvas
page, and a repeated seeded scenario (``POST .../scenarios`` with 1,000 samples; its static
peer is the same bytes as a file). Requests ask for no compression, so both servers send the
same bytes; a last column gives loopwise's p95 when the client accepts gzip. The goal
(issue 18): p95 within 2x of the static server and, for the reads, under 100 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SLUG = "breaking-the-cycle"
SCENARIO = {"push": {"help-into-work": 0.5}, "samples": 1000, "seed": 7}
ROUTES: list[tuple[str, str, str]] = [  # (name, method, path)
    ("graph", "GET", f"/api/maps/{SLUG}/graph"),
    ("loops", "GET", f"/api/maps/{SLUG}/loops"),
    ("leverage", "GET", f"/api/maps/{SLUG}/leverage"),
    ("factor page", "GET", f"/maps/{SLUG}/factors/reoffending"),
    ("canvas page", "GET", f"/maps/{SLUG}/canvas"),
    ("seeded scenario", "POST", f"/api/maps/{SLUG}/scenarios"),
]
PROCESSES = 4
"""Client processes; each runs ``clients / PROCESSES`` threads with a connection each."""


# ---------------------------------------------------------------------------- servers
def serve_loopwise(port: int, folder: str) -> None:
    import uvicorn

    from loopwise.store import open_store
    from loopwise.store.seed import seed_builtin_maps
    from loopwise.warm import warm_up
    from loopwise.web.app import create_app

    store = open_store(f"sqlite:///{folder}/bench.db")
    seed_builtin_maps(store)
    app = create_app(store)
    warm_up()  # as `loopwise serve` does (there on threads) before the first visitor
    try:
        from loopwise.web.prime import prime_for_serving
    except ImportError:  # an older loopwise, measured for comparison
        pass
    else:
        prime_for_serving(app)  # as `loopwise serve` does, there on a thread
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def serve_static(port: int, folder: str) -> None:
    import uvicorn
    from starlette.applications import Starlette
    from starlette.routing import Mount
    from starlette.staticfiles import StaticFiles

    app = Starlette(routes=[Mount("/", StaticFiles(directory=folder))])
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(kind: str, folder: str) -> tuple[subprocess.Popen[bytes], int]:
    port = _free_port()
    process = subprocess.Popen([sys.executable, __file__, f"--serve-{kind}", str(port), folder])
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the {kind} server stopped (exit code {process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process, port
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"the {kind} server did not start within 300 s")


# ---------------------------------------------------------------------------- clients
def _fetch(
    port: int, method: str, path: str, body: bytes | None = None, gzip: bool = False
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        conn.request(method, path, body=body, headers=_headers(body, gzip))
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def _headers(body: bytes | None, gzip: bool) -> dict[str, str]:
    headers = {"Accept-Encoding": "gzip" if gzip else "identity"}
    if body is not None:
        headers["Content-Type"] = "application/json"
    return headers


def _client_process(
    args: tuple[int, str, str, bytes | None, bool, int, float, int],
) -> list[float]:
    """One client process: ``threads`` clients, each with its own connection, until the
    deadline (or ``max_requests`` each); the latencies of successful requests, in seconds."""
    port, method, path, body, gzip, threads, seconds, max_requests = args
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    headers = _headers(body, gzip)

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        mine: list[float] = []
        deadline = time.perf_counter() + seconds
        try:
            while time.perf_counter() < deadline and len(mine) < max_requests:
                start = time.perf_counter()
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{method} {path}: HTTP {response.status}")
                    return
                mine.append(time.perf_counter() - start)
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    workers = [threading.Thread(target=client) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise RuntimeError(errors[0])
    return latencies


def load(
    pool: multiprocessing.pool.Pool, port: int, method: str, path: str, body: bytes | None,
    *, clients: int, seconds: float, max_requests: int, gzip: bool = False,
) -> tuple[list[float], float]:  # fmt: skip
    """``clients`` concurrent clients on one route: sorted latencies and requests/second."""
    processes = min(PROCESSES, clients)
    shares = [clients // processes + (i < clients % processes) for i in range(processes)]
    jobs = [(port, method, path, body, gzip, n, seconds, max_requests) for n in shares]
    start = time.perf_counter()
    results = pool.map(_client_process, jobs)
    elapsed = time.perf_counter() - start
    latencies = sorted(x for result in results for x in result)
    return latencies, len(latencies) / elapsed


def _merged(runs: list[tuple[list[float], float]]) -> tuple[list[float], float]:
    """The latencies of several runs together, and their mean rate."""
    return sorted(x for latencies, _ in runs for x in latencies), sum(r for _, r in runs) / len(
        runs
    )


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile of sorted ``values`` (seconds), in ms."""
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


# ---------------------------------------------------------------------------- the run
def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny run: does it work?")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=9.0,
                        help="seconds per route and server")  # fmt: skip
    parser.add_argument("--rounds", type=int, default=3,
                        help="the duration is split in this many interleaved rounds")  # fmt: skip
    args = parser.parse_args(argv)
    clients, seconds, rounds, max_requests = args.clients, args.duration, args.rounds, 1_000_000
    if args.smoke:
        clients, seconds, rounds, max_requests = 2, 0.5, 1, 3

    folder = tempfile.mkdtemp(prefix="bench-api-")
    files = Path(folder) / "static"
    files.mkdir()
    loopwise, lw_port = _start("loopwise", folder)
    static = None
    try:
        scenario = json.dumps(SCENARIO).encode()
        names = {}
        for name, method, path in ROUTES:  # warm each route once and keep its bytes
            body = scenario if method == "POST" else None
            status, content = _fetch(lw_port, method, path, body)
            if status != 200:
                raise SystemExit(f"{method} {path}: HTTP {status}")
            names[name] = f"{name.replace(' ', '-')}.{'html' if 'page' in name else 'json'}"
            (files / names[name]).write_bytes(content)
        static, st_port = _start("static", str(files))
        print(f"{clients} concurrent clients (one connection each), {seconds:g} s per route "
              f"and server in {rounds} interleaved rounds; uvicorn, one worker per server; "
              f"p50 / p95 in ms")  # fmt: skip
        print(f"{'route':>16} {'KB':>6} | {'loopwise req/s':>14} {'p50':>6} {'p95':>6} | "
              f"{'static req/s':>12} {'p50':>6} {'p95':>6} | {'p95 ratio':>9} | "
              f"{'gzip p95':>8} | target")  # fmt: skip
        with multiprocessing.get_context("fork").Pool(min(PROCESSES, clients)) as pool:
            warm = {"clients": clients, "seconds": min(1.0, seconds), "max_requests": max_requests}
            for port, url in ((lw_port, ROUTES[0][2]), (st_port, f"/{names[ROUTES[0][0]]}")):
                load(pool, port, "GET", url, None, **warm)  # not timed: connections, processes
            for name, method, path in ROUTES:
                body = scenario if method == "POST" else None
                kw = {"clients": clients, "seconds": seconds / rounds,
                      "max_requests": max_requests}  # fmt: skip
                runs: dict[str, list[tuple[list[float], float]]] = {"ours": [], "theirs": [],
                                                                     "zipped": []}  # fmt: skip
                for _ in range(rounds):  # interleaved, so a busy moment hits both servers
                    runs["ours"].append(load(pool, lw_port, method, path, body, **kw))
                    runs["theirs"].append(load(pool, st_port, "GET", f"/{names[name]}", None, **kw))
                    runs["zipped"].append(load(pool, lw_port, method, path, body, gzip=True, **kw))
                ours, our_rate = _merged(runs["ours"])
                theirs, their_rate = _merged(runs["theirs"])
                zipped, _ = _merged(runs["zipped"])
                size = (files / names[name]).stat().st_size / 1000
                ratio = pct(ours, 0.95) / pct(theirs, 0.95)
                # the goal: within 2x of the static server, and (pages) under 100 ms
                met = ratio <= 2 and (method == "POST" or pct(ours, 0.95) < 100)
                print(f"{name:>16} {size:6.0f} | {our_rate:14.0f} {pct(ours, 0.5):6.1f} "
                      f"{pct(ours, 0.95):6.1f} | {their_rate:12.0f} {pct(theirs, 0.5):6.1f} "
                      f"{pct(theirs, 0.95):6.1f} | {ratio:8.2f}x | "
                      f"{pct(zipped, 0.95):8.1f} | {'met' if met else 'MISSED'}")  # fmt: skip
    finally:
        for process in (loopwise, static):
            if process is not None:
                process.terminate()
                process.wait(timeout=30)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("--serve-loopwise", "--serve-static"):
        server = serve_loopwise if sys.argv[1] == "--serve-loopwise" else serve_static
        server(int(sys.argv[2]), sys.argv[3])
    else:
        main()
