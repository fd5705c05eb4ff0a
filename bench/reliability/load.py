"""Load run: N runs started at the same moment through the run API, each followed to its end.

Every run is `POST /api/runs/{workflow}?wait=60` (the API answers 200 with the run document once the
run ends, 202 if it is still going), so start-to-end latency is measured the way a client sees it.
A 202 falls back to polling the run document. The workflows are the six that need no person.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from bench.devhost.load import Latencies
from bench.reliability.workload import ENDED, item_input

LOAD_WORKFLOWS = ("single", "chain", "fanout", "routing", "critic", "tools")
POLL_S = 0.1  # client poll interval after a 202, bounded by the run's deadline


@dataclass
class LoadFigures(Latencies):
    runs: int = 0
    completed: int = 0
    failures: list[str] = field(default_factory=list)
    wall_s: float = 0.0
    delay_ms: int = 0


async def _until_ended(
    client: httpx.AsyncClient, document: dict[str, Any], deadline: float
) -> dict[str, Any]:
    while document["status"] not in ENDED:
        if time.monotonic() > deadline:
            raise TimeoutError(f"run {document['id']} still {document['status']} at the deadline")
        await asyncio.sleep(POLL_S)
        document = (await client.get(f"/api/runs/{document['id']}")).json()
    return document


async def _one_run(client: httpx.AsyncClient, workflow: str, n: int, timeout_s: float) -> tuple[float, str]:
    """Start one run and follow it to its end; returns (latency in ms, final status)."""
    started = time.perf_counter()
    response = await client.post(f"/api/runs/{workflow}", params={"wait": "60"}, json=item_input(workflow, n))
    if response.status_code not in (200, 202):
        raise RuntimeError(f"start {workflow}: {response.status_code} {response.text[:200]}")
    document = await _until_ended(client, response.json(), time.monotonic() + timeout_s)
    return (time.perf_counter() - started) * 1000, document["status"]


async def load_run(base_url: str, runs: int, *, timeout_s: float = 300.0, delay_ms: int = 0) -> LoadFigures:
    """Start `runs` runs at once (workflows in rotation) and wait for all of them."""
    figures = LoadFigures(runs=runs, delay_ms=delay_ms)
    limits = httpx.Limits(max_connections=runs + 8, max_keepalive_connections=runs + 8)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout_s, limits=limits) as client:
        began = time.perf_counter()
        jobs = [_one_run(client, LOAD_WORKFLOWS[i % len(LOAD_WORKFLOWS)], i, timeout_s) for i in range(runs)]
        results = await asyncio.gather(*jobs, return_exceptions=True)
        figures.wall_s = time.perf_counter() - began
    for result in results:
        if isinstance(result, BaseException):
            figures.failures.append(f"{type(result).__name__}: {result}")
            continue
        latency, status = result
        figures.latencies_ms.append(latency)
        if status == "Completed":
            figures.completed += 1
        else:
            figures.failures.append(f"a run ended {status}")
    return figures
