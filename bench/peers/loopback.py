"""A benchmark's own HTTP server in a process of its own, on the embedded host's event loop.

The template is measured over HTTP from another process; a server that should pay the same hop
(`http_floor`, `http_stream_peer`) runs the same way: `python -m <module>` serves an aiohttp app on
a free loopback port, prints the port once it listens and says nothing else before; the benchmark
starts it with `launch` and reads that port.
"""

import asyncio
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from aiohttp import web

from devhost.event_loop import new_event_loop

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT_S = 10

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def serve(handle: Handler) -> None:
    """Serve every route with `handle` on a free port until killed, printing the port first."""

    async def run() -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        print(runner.addresses[0][1], flush=True)
        await asyncio.Event().wait()

    with asyncio.Runner(loop_factory=new_event_loop) as loop:
        loop.run(run())


@contextmanager
def launch(module: str, *args: str) -> Iterator[str]:
    """Start `python -m module args...` (in this environment) and yield its base URL; stop it after."""
    server = subprocess.Popen(
        [sys.executable, "-m", module, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        if not line.strip().isdigit():
            raise RuntimeError(f"{module} did not start (exit code {server.poll()}): {line!r}")
        yield f"http://127.0.0.1:{int(line)}"
    finally:
        server.terminate()
        server.wait(timeout=STOP_TIMEOUT_S)
