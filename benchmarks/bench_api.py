"""Benchmark: p95 latency of the map payload under 20 concurrent clients, API vs static file.

Run with ``python benchmarks/bench_api.py``. A local uvicorn (127.0.0.1, one worker, in a
subprocess) serves the built-in map and a generated 5,000-factor / 10,000-link map; each
payload is fetched from the API (``/api/maps/<slug>``, pre-serialised and cached per map
version) and, as the baseline in the same run, the same bytes as a static file
(Starlette ``StaticFiles``). A bounded load: ``CLIENTS`` concurrent clients, ``REQUESTS``
requests each, after a warm-up. Reported: p50/p95 in ms and the API/static p95 ratio.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

CLIENTS = 20
REQUESTS = {"breaking-the-cycle": 50, "big": 10}


def serve(port: int, folder: str) -> None:
    import uvicorn
    from fastapi.staticfiles import StaticFiles

    sys.path.insert(0, str(Path(__file__).parent))
    from _bigmap import MemoryStore, big_map

    from loopwise.builtin import load_builtin_map
    from loopwise.formats.loopwise_json import dumps_map
    from loopwise.web.app import create_app

    maps = [load_builtin_map(), big_map()]
    for m in maps:
        (Path(folder) / f"{m.slug}.json").write_text(dumps_map(m))
    app = create_app(MemoryStore(*maps))
    app.mount("/bench-static", StaticFiles(directory=folder), name="bench-static")
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


async def load(url: str, requests: int) -> list[float]:
    latencies: list[float] = []
    limits = httpx.Limits(max_connections=CLIENTS)
    async with httpx.AsyncClient(limits=limits, timeout=120) as client:
        await client.get(url)  # warm-up (the API builds and caches its bytes once)

        async def one_client() -> None:
            for _ in range(requests):
                start = time.perf_counter()
                response = await client.get(url)
                response.raise_for_status()
                latencies.append(time.perf_counter() - start)

        await asyncio.gather(*(one_client() for _ in range(CLIENTS)))
    return sorted(latencies)


def pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))] * 1000


def main() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    folder = tempfile.mkdtemp()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(port), folder])
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(base + "/api/maps", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        print(f"{CLIENTS} concurrent clients, local uvicorn (1 worker)")
        for slug, requests in REQUESTS.items():
            api = asyncio.run(load(f"{base}/api/maps/{slug}", requests))
            static = asyncio.run(load(f"{base}/bench-static/{slug}.json", requests))
            size = len(httpx.get(f"{base}/api/maps/{slug}").content)
            print(
                f"{slug:>20} ({size / 1e6:.2f} MB): API p50 {pct(api, 0.5):7.1f} ms p95 "
                f"{pct(api, 0.95):7.1f} ms | static p50 {pct(static, 0.5):7.1f} ms p95 "
                f"{pct(static, 0.95):7.1f} ms | API/static p95 "
                f"{pct(api, 0.95) / pct(static, 0.95):.2f}x"
            )
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3])
    else:
        main()
