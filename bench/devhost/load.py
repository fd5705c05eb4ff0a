"""Reusable load driver: N orchestration runs started concurrently over HTTP, each awaited to the end.

Each run is one request to the public management API (start, then wait for the end on the host side),
so the figures include the HTTP hop, the engine and the app's functions.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

WEBHOOKS = "/runtime/webhooks/durabletask"


def percentile(values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (0 < fraction <= 1); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(fraction * len(ordered)) - 1))]


@dataclass
class Latencies:
    """Per-run latencies of a load run and their percentiles (shared by every load driver)."""

    latencies_ms: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return percentile(self.latencies_ms, 0.50)

    @property
    def p95(self) -> float:
        return percentile(self.latencies_ms, 0.95)


@dataclass
class LoadResult(Latencies):
    outputs: list[Any] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    wall_s: float = 0.0


async def run_to_completion(
    client: httpx.AsyncClient, orchestrator: str, value: Any, timeout_s: float
) -> dict[str, Any]:
    """Start a run and wait for it in one request (`?timeout=&pollingInterval=` on the start URL).

    The host answers when the run ends instead of every client polling over HTTP, so hundreds of
    concurrent runs measure the host, not a storm of status requests. Returns the run's final status.
    """
    path = f"{WEBHOOKS}/orchestrators/{orchestrator}"
    params = {"timeout": str(timeout_s)}
    response = await client.post(path, content=json.dumps(value), params=params)
    if response.status_code == 200:
        return {"runtimeStatus": "Completed", "output": response.json()}
    if response.status_code == 202:
        raise TimeoutError(f"{orchestrator} run {response.json()['id']} did not finish in {timeout_s}s")
    body = response.json()
    if isinstance(body, dict) and "runtimeStatus" in body:
        return dict(body)
    raise RuntimeError(f"start {orchestrator}: {response.status_code} {response.text}")


async def run_load(
    base_url: str,
    orchestrator: str,
    inputs: Sequence[Any],
    *,
    concurrency: int,
    timeout_s: float = 120.0,
) -> LoadResult:
    """Start one run per input, at most `concurrency` in flight; collect latency and output per run."""
    result = LoadResult()
    gate = asyncio.Semaphore(concurrency)
    limits = httpx.Limits(max_connections=concurrency + 4, max_keepalive_connections=concurrency + 4)
    async with httpx.AsyncClient(base_url=base_url, timeout=timeout_s, limits=limits) as client:

        async def one(value: Any) -> None:
            async with gate:
                started = time.perf_counter()
                try:
                    status = await run_to_completion(client, orchestrator, value, timeout_s)
                except (httpx.HTTPError, RuntimeError, TimeoutError) as error:
                    result.failures.append(str(error))
                    return
                result.latencies_ms.append((time.perf_counter() - started) * 1000)
                result.outputs.append(status.get("output"))
                if status["runtimeStatus"] != "Completed":
                    result.failures.append(f"{status.get('instanceId')}: {status['runtimeStatus']}")

        began = time.perf_counter()
        await asyncio.gather(*(one(v) for v in inputs))
        result.wall_s = time.perf_counter() - began
    return result
