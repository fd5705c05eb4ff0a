"""What one HTTP request costs on this machine with nothing behind it: the part of the template's
figure any HTTP service here would pay.

The template is measured from another process, over HTTP, while plain asyncio makes its calls in
the caller's own process. Much of that hop's cost is the machine, not the template: a request to an
idle process wakes it, and a process that sat idle runs slower until its caches are warm again (on
a VM whose idle vCPUs halt, each wake-up also costs a trip through the hypervisor). So the same
client (aiohttp, keep-alive, as `template_peer` uses) sends the same request to a bare aiohttp
server in a process of its own, on the embedded host's event loop, which answers a JSON body the
size of a chain's run document at once. Each request is sent back to back with the previous one,
and after the client has sat idle as long as it waits for a template run (its p50 at that delay).

Run as `python -m bench.peers.http_floor` it is that server (`bench.peers.loopback`).
"""

import asyncio
import json
import statistics
import time
from dataclasses import asdict, dataclass
from typing import Any

import aiohttp
from aiohttp import web

from bench.peers import loopback

ANSWER_BYTES = 4096  # about a finished chain's run document
WARMUP = 5


@dataclass(frozen=True)
class HttpFloor:
    """Medians of one request/response to the bare server, in milliseconds."""

    delay_ms: float  # the model delay whose template run set the idle time
    idle_ms: float  # how long the client sat idle before each request
    runs: int
    back_to_back_p50_ms: float
    after_idle_p50_ms: float


async def _round_trips(http: aiohttp.ClientSession, runs: int, idle_s: float) -> list[float]:
    body = {"topic": "the cost of one request"}
    times = []
    for index in range(WARMUP + runs):
        if idle_s:
            await asyncio.sleep(idle_s)
        started = time.perf_counter()
        async with http.post("/api/runs/chain", json=body) as response:
            await response.read()
        if index >= WARMUP:
            times.append((time.perf_counter() - started) * 1000)
    return times


async def measure(idle_ms: dict[float, float], runs: int) -> list[HttpFloor]:
    """For each model delay, round trips after `idle_ms[delay]` of idling, beside the back-to-back
    ones (measured once: they do not depend on the delay)."""
    with loopback.launch("bench.peers.http_floor") as base_url:
        async with aiohttp.ClientSession(base_url=base_url) as http:
            back_to_back = round(statistics.median(await _round_trips(http, runs, 0.0)), 3)
            floors = []
            for delay, idle in idle_ms.items():
                after_idle = await _round_trips(http, runs, idle / 1000)
                floors.append(
                    HttpFloor(
                        delay_ms=delay,
                        idle_ms=round(idle, 2),
                        runs=runs,
                        back_to_back_p50_ms=back_to_back,
                        after_idle_p50_ms=round(statistics.median(after_idle), 3),
                    )
                )
            return floors


def document(floors: list[HttpFloor]) -> list[dict[str, Any]]:
    """The figures as `peers.json` keeps them."""
    return [asdict(floor) for floor in floors]


ANSWER = json.dumps({"status": "Completed", "output": "x" * ANSWER_BYTES})


async def _answer(request: web.Request) -> web.Response:
    await request.read()
    return web.Response(text=ANSWER, content_type="application/json")


if __name__ == "__main__":
    loopback.serve(_answer)
