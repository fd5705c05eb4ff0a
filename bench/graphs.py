"""`python -m bench.graphs`: what a durable graph superstep costs over the same graph in-process.

The `countdown` graph (graphs/countdown.py) loops a plain executor around shared state, one superstep
per lap and no model at all, so the difference is the durable machinery alone: per superstep one
`run_graph_step` activity (workflow build, checkpoint restore and save, agent-framework's runner) and
one orchestrator episode, plus the run API's start and wait. The durable time is what a client sees
(`POST /api/runs/countdown?wait=30` until the completed document arrives) on the embedded host with
host.json as shipped; the in-process time is `await build().run(laps)`. Target: (durable − in-process)
/ supersteps ≤ 3 ms. Results go to stdout and `bench/graphs.md`.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost
from graphs._discovery import graph_named
from graphs._step import run_superstep

RESULTS = Path(__file__).resolve().parent / "graphs.md"
LAPS = 7
RUNS = 30
WARMUP = 5
TARGET_MS = 3.0


def in_process_ms(runs: int) -> list[float]:
    """Milliseconds per `await build().run(laps)`, a fresh workflow each time as a user writes it."""
    spec = graph_named("countdown")

    async def timed() -> list[float]:
        times = []
        for _ in range(WARMUP + runs):
            started = time.perf_counter()
            result = await spec.build().run(LAPS)
            times.append((time.perf_counter() - started) * 1000)
            assert result.get_outputs() == [{"total": LAPS * (LAPS + 1) // 2}]
        return times[WARMUP:]

    return asyncio.run(timed())


def stepwise_ms(runs: int) -> list[float]:
    """Milliseconds per run of the same supersteps through the durable step code, without a host:
    what build, checkpoint restore/save and JSON cost before the host adds its own."""
    spec = graph_named("countdown")

    async def timed() -> list[float]:
        times = []
        for _ in range(WARMUP + runs):
            started = time.perf_counter()
            request: dict[str, Any] = {"graph": spec.name, "input": {"laps": LAPS}, "calls": {}}
            while True:
                outcome = json.loads(json.dumps(await run_superstep(spec, json.loads(json.dumps(request)))))
                request = {"graph": spec.name, "checkpoint": outcome["checkpoint"], "calls": {}}
                if not outcome["more"]:
                    break
            times.append((time.perf_counter() - started) * 1000)
        return times[WARMUP:]

    return asyncio.run(timed())


def durable_ms(host: DevHost, runs: int) -> list[float]:
    """Milliseconds from the start request to the completed run document, as a client sees them."""
    times = []
    for _ in range(WARMUP + runs):
        started = time.perf_counter()
        response = host.post("/api/runs/countdown", params={"wait": "30"}, json={"laps": LAPS})
        times.append((time.perf_counter() - started) * 1000)
        document = response.json()
        if response.status_code != 200 or document["output"] != {
            "outputs": [{"total": LAPS * (LAPS + 1) // 2}]
        }:
            raise RuntimeError(f"countdown run failed: {response.status_code} {response.text[:300]}")
    return times[WARMUP:]


def report(durable: list[float], stepwise: list[float], local: list[float]) -> str:
    durable_p50, stepwise_p50, local_p50 = (statistics.median(x) for x in (durable, stepwise, local))
    per_step = (durable_p50 - local_p50) / LAPS
    verdict = "met" if per_step <= TARGET_MS else "missed"
    lines = [
        "# graph superstep benchmark",
        "",
        f"`python -m bench.graphs` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: the `countdown` graph, "
        f"{LAPS} supersteps of a plain executor, no model, {RUNS} runs each after {WARMUP} warm-up runs.",
        "",
        "| figure | p50 | p95 |",
        "|---|---:|---:|",
        f"| durable, client-observed (embedded host, host.json as shipped) | {durable_p50:.1f} ms "
        f"| {_p95(durable):.1f} ms |",
        f"| the durable step code alone, no host (build, restore, run, save, JSON) | {stepwise_p50:.1f} ms "
        f"| {_p95(stepwise):.1f} ms |",
        f"| in-process `await build().run(...)` | {local_p50:.1f} ms | {_p95(local):.1f} ms |",
        f"| **durable overhead per superstep** ((durable − in-process) / {LAPS}) | **{per_step:.2f} ms** | |",
        f"| of which the step code ((step code − in-process) / {LAPS}) "
        f"| {(stepwise_p50 - local_p50) / LAPS:.2f} ms | |",
        f"| of which the host: activity, episode, run API start and wait ((durable − step code) / {LAPS}) "
        f"| {(durable_p50 - stepwise_p50) / LAPS:.2f} ms | |",
        "",
        f"Target ≤ {TARGET_MS:.0f} ms per superstep: {verdict}. Load average while measuring: "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (the figures scale with it).",
    ]
    return "\n".join(lines) + "\n"


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    local = in_process_ms(RUNS)
    stepwise = stepwise_ms(RUNS)
    with tempfile.TemporaryDirectory(prefix="bench-graphs-") as tmp:
        env = template_env(Path(tmp), TASKHUB_NAME="benchgraphs")
        with DevHost(PROJECT_ROOT, Path(tmp) / "state.db", env=env) as host:
            durable = durable_ms(host, RUNS)
    text = report(durable, stepwise, local)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
