"""Benchmark: navigation to an interactive canvas, 5,000 factors / 10,000 links, headless
Chromium (target under 3 s), against the built-in map (51 factors) and against the canvas
script of a baseline revision (``--baseline REV``, default ``7c80022``: the canvas before big
maps drew their links lazily), all in the same run.

Run with ``python benchmarks/bench_canvas.py`` (``--smoke``: a 200-factor map, one
navigation). The server computes the layout once per map version (timed separately: the
first graph request of a fresh process, then a cached one); the browser draws it with the
``preset`` layout. "Interactive" is when the page marks ``body[data-canvas-ready]`` (elements
drawn, filters wired). Best of ``REPEAT`` navigations, each in a fresh browser context,
current and baseline taking turns so both see the same load; beside the wall-clock time, the
renderer's main-thread CPU time (Chrome's ``ThreadTime`` metric), which a busy machine
disturbs less. The baseline script is read with ``git show`` and served in place of
``/static/js/canvas.js`` by a second server over the same store.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

sys.path.insert(0, str(Path(__file__).parent))
from _bigmap import big_map  # noqa: E402

from loopwise.builtin import load_builtin_map  # noqa: E402
from loopwise.store import open_store  # noqa: E402
from loopwise.web.app import create_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
REPEAT = 3
CANVAS_SCRIPT = "src/loopwise/web/static/js/canvas.js"


def _serving_instead(app, path: str, body: bytes):  # type: ignore[no-untyped-def]
    """``app`` with ``path`` answered by ``body`` (JavaScript) instead."""

    async def wrapped(scope, receive, send):  # type: ignore[no-untyped-def]
        if scope["type"] == "http" and scope["path"] == path:
            headers = [
                (b"content-type", b"text/javascript"),
                (b"content-length", str(len(body)).encode()),
            ]
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        await app(scope, receive, send)

    return wrapped


def _serve(app) -> tuple[str, uvicorn.Server]:  # type: ignore[no-untyped-def]
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", server


def main() -> None:
    from playwright.sync_api import sync_playwright

    global REPEAT
    smoke = "--smoke" in sys.argv  # a tiny run: does it work?
    if smoke:
        REPEAT = 1
    folder = tempfile.mkdtemp(prefix="bench-canvas-")
    store = open_store(f"sqlite:///{folder}/bench.db")
    for map_ in (load_builtin_map(), big_map(200, 400) if smoke else big_map()):
        store.create_map(map_, author="bench")
    baseline_rev = (
        sys.argv[sys.argv.index("--baseline") + 1] if "--baseline" in sys.argv else "7c80022"
    )
    root = Path(__file__).parents[1]
    baseline_js = subprocess.run(
        ["git", "show", f"{baseline_rev}:{CANVAS_SCRIPT}"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout
    app = create_app(store)
    base, server = _serve(app)
    baseline_base, baseline_server = _serve(
        _serving_instead(app, "/static/js/canvas.js", baseline_js)
    )
    import httpx

    for slug in ("breaking-the-cycle", "big"):
        start = time.perf_counter()
        size = len(httpx.get(f"{base}/api/maps/{slug}/graph", timeout=600).content)
        first = time.perf_counter() - start
        start = time.perf_counter()
        httpx.get(f"{base}/api/maps/{slug}/graph", timeout=600)
        warm = time.perf_counter() - start
        print(f"{slug:>20}: first graph request {first:6.2f} s (layout, once per version), "
              f"cached {warm:5.2f} s, graph payload {size / 1e6:.2f} MB")  # fmt: skip
    runs = [("breaking-the-cycle", "current", base), ("big", "current", base),
            ("big", f"baseline {baseline_rev}", baseline_base)]  # fmt: skip
    wall: dict[tuple[str, str], float] = {}
    cpu: dict[tuple[str, str], float] = {}
    status: dict[tuple[str, str], str] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        for _ in range(REPEAT):
            for slug, which, url in runs:
                context = browser.new_context(viewport={"width": 1400, "height": 900})
                page = context.new_page()
                page.set_default_timeout(600_000)
                cdp = context.new_cdp_session(page)
                cdp.send("Performance.enable")
                start = time.perf_counter()
                page.goto(f"{url}/maps/{slug}/canvas")
                page.wait_for_selector("body[data-canvas-ready]")
                took = time.perf_counter() - start
                metrics = {
                    m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]
                }
                key = (slug, which)
                wall[key] = min(wall.get(key, float("inf")), took)
                cpu[key] = min(cpu.get(key, float("inf")), metrics["ThreadTime"])
                status[key] = page.locator("#status").inner_text()
                context.close()
        browser.close()
    for key in wall:
        print(f"{key[0]:>20} ({key[1]}): navigation -> interactive canvas {wall[key]:6.2f} s, "
              f"main-thread CPU {cpu[key]:5.2f} s  ({status[key]})")  # fmt: skip
    now, before = ("big", "current"), ("big", f"baseline {baseline_rev}")
    print(f"big, baseline / current: {wall[before] / wall[now]:.1f}x wall-clock, "
          f"{cpu[before] / cpu[now]:.1f}x main-thread CPU; big / built-in: "
          f"{wall[now] / wall[('breaking-the-cycle', 'current')]:.1f}x")  # fmt: skip
    print(f"target for big: < 3 s -> {'met' if wall[now] < 3 else 'NOT met'} on this run")
    server.should_exit = baseline_server.should_exit = True


if __name__ == "__main__":
    main()
