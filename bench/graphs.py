"""`python -m bench.graphs`: what a durable graph superstep costs over the same graph in-process.

The `countdown` graph (graphs/countdown.py) loops a plain executor around shared state, one superstep
per lap and no model at all, so the difference is the durable machinery alone: per superstep one
`run_graph_step` activity (workflow build, checkpoint restore and save, agent-framework's runner) and
one orchestrator episode, plus the run API's start and wait. The headline durable time is what a client
sees (`POST /api/runs/countdown?wait=30` until the completed document arrives) on the embedded host with
host.json as shipped; the in-process time is `await build().run(laps)`. Target: (durable − in-process)
/ supersteps ≤ 3 ms.

Beside it, to say where the time goes on the machine at hand: the same run started and awaited through
the management API (which answers the moment the run ends, without the run API's polling), the durable
step code run without a host, and a plain sequence of as many instant activities on the benchmark app
(`bench/devhost/bench_app`): the host's own cost of that many steps. Results go to stdout and
`bench/graphs.md`.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost
from graphs._discovery import graph_named
from graphs._step import run_superstep

RESULTS = Path(__file__).resolve().parent / "graphs.md"
BENCH_APP = Path(__file__).resolve().parent / "devhost" / "bench_app"
WEBHOOKS = "/runtime/webhooks/durabletask"
LAPS = 7
RUNS = 30
WARMUP = 5
TARGET_MS = 3.0
OUTPUT = {"outputs": [{"total": LAPS * (LAPS + 1) // 2}]}


def timed(run: Callable[[], None]) -> list[float]:
    """Milliseconds per call of `run`, after the warm-up calls."""
    times = []
    for _ in range(WARMUP + RUNS):
        started = time.perf_counter()
        run()
        times.append((time.perf_counter() - started) * 1000)
    return times[WARMUP:]


def timed_in_loop(run: Callable[[], Awaitable[None]]) -> list[float]:
    """Milliseconds per `await run()`, all in one event loop (starting a loop is not the graph's cost)."""

    async def runs() -> list[float]:
        times = []
        for _ in range(WARMUP + RUNS):
            started = time.perf_counter()
            await run()
            times.append((time.perf_counter() - started) * 1000)
        return times[WARMUP:]

    return asyncio.run(runs())


async def in_process() -> None:
    """`await build().run(laps)`, a fresh workflow each time as a user writes it."""
    spec = graph_named("countdown")
    result = await spec.build().run(LAPS)
    assert {"outputs": result.get_outputs()} == OUTPUT


async def step_code() -> None:
    """The same supersteps through the durable step code, JSON in and out, without a host."""
    spec = graph_named("countdown")
    request: dict[str, Any] = {"graph": spec.name, "input": {"laps": LAPS}, "calls": {}}
    while True:
        outcome = json.loads(json.dumps(await run_superstep(spec, json.loads(json.dumps(request)))))
        request = {"graph": spec.name, "checkpoint": outcome["checkpoint"], "calls": {}}
        if not outcome["more"]:
            return


def through_run_api(host: DevHost) -> Callable[[], None]:
    def run() -> None:
        response = host.post("/api/runs/countdown", params={"wait": "30"}, json={"laps": LAPS})
        if response.status_code != 200 or response.json()["output"] != OUTPUT:
            raise RuntimeError(f"countdown run failed: {response.status_code} {response.text[:300]}")

    return run


def through_management_api(host: DevHost, orchestrator: str, given: Any) -> Callable[[], None]:
    """Start and wait in one management API call, answered the moment the run ends."""

    def run() -> None:
        response = host.http.post(
            f"{WEBHOOKS}/orchestrators/{orchestrator}", params={"timeout": 60}, content=json.dumps(given)
        )
        if response.status_code != 200:
            raise RuntimeError(f"{orchestrator} failed: {response.status_code} {response.text[:300]}")

    return run


def report(figures: dict[str, list[float]]) -> str:
    p50 = {name: statistics.median(times) for name, times in figures.items()}
    per_step = (p50["run API"] - p50["in-process"]) / LAPS
    rows = [
        ("durable, client-observed: `POST /api/runs/countdown?wait=30`", "run API"),
        ("durable, management API start-and-wait (no run API polling)", "management API"),
        ("the durable step code alone, no host (build, restore, run, save, JSON)", "step code"),
        ("in-process `await build().run(...)`", "in-process"),
        (f"{LAPS} instant activities in sequence on the benchmark app (the host's own cost)", "plain steps"),
    ]
    lines = [
        "# graph superstep benchmark",
        "",
        f"`python -m bench.graphs` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: the `countdown` graph, "
        f"{LAPS} supersteps of a plain executor, no model, host.json as shipped; {RUNS} runs each after "
        f"{WARMUP} warm-up runs. Load average while measuring: {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores (every figure grows with it).",
        "",
        "| figure | p50 | p95 |",
        "|---|---:|---:|",
        *(f"| {label} | {p50[key]:.1f} ms | {_p95(figures[key]):.1f} ms |" for label, key in rows),
        "",
        "| per superstep | ms |",
        "|---|---:|",
        f"| **durable overhead** ((run API − in-process) / {LAPS}), target ≤ {TARGET_MS:.0f} ms "
        f"| **{per_step:.2f}** |",
        f"| without the run API's polling ((management API − in-process) / {LAPS}) "
        f"| {(p50['management API'] - p50['in-process']) / LAPS:.2f} |",
        f"| the step code's share ((step code − in-process) / {LAPS}) "
        f"| {(p50['step code'] - p50['in-process']) / LAPS:.2f} |",
        f"| a plain activity step on the same host (plain steps / {LAPS}) "
        f"| {p50['plain steps'] / LAPS:.2f} |",
        "",
        f"Target ≤ {TARGET_MS:.0f} ms per superstep: {'met' if per_step <= TARGET_MS else 'missed'}.",
    ]
    return "\n".join(lines) + "\n"


def _p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def main() -> None:
    figures = {"in-process": timed_in_loop(in_process), "step code": timed_in_loop(step_code)}
    with tempfile.TemporaryDirectory(prefix="bench-graphs-") as tmp:
        env = template_env(Path(tmp), TASKHUB_NAME="benchgraphs")
        with DevHost(PROJECT_ROOT, Path(tmp) / "state.db", env=env) as host:
            figures["run API"] = timed(through_run_api(host))
            figures["management API"] = timed(through_management_api(host, "countdown", {"laps": LAPS}))
        with DevHost(BENCH_APP, Path(tmp) / "bench.db") as host:
            figures["plain steps"] = timed(through_management_api(host, "sequence", {"steps": LAPS}))
    text = report(figures)
    RESULTS.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
