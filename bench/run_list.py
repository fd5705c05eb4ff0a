"""`python -m bench.run_list`: what the first page of `GET /api/runs` costs as the task hub grows.

The template on the embedded host (offline model); `single` runs are started through the run API and
left to end, then the first page (`limit=20`) is read repeatedly: once with 20 ended runs in the hub
and once with 2,000. A page is cut from creation-time windows of the durable query, so its cost should
follow the page, not the hub: the target is the 2,000-run p50 within 1.5x of the 20-run one. Each hub
size has a host of its own and the reads take turns between them, a few at a time, so a slower moment
of a shared machine lands on every size alike. Prints the figures and writes `bench/run_list.md`;
asserts nothing (speed is reported, not tested).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

from bench.devhost.load import percentile
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost

RESULTS = Path(__file__).resolve().parent / "run_list.md"
TARGET_RATIO = 1.5
PAGE = "/api/runs?limit=20"
TURNS = 6  # reads of each hub alternate in this many turns


@dataclass(frozen=True)
class Reading:
    runs: int
    p50_ms: float
    p95_ms: float


def start_runs(host: DevHost, count: int, workers: int) -> None:
    """`count` single runs through the run API, each waited for (`?wait=60`), `workers` at a time."""

    def one(index: int) -> None:
        with httpx.Client(base_url=host.base_url, timeout=90) as http:
            reply = http.post("/api/runs/single?wait=60", json={"question": f"question {index}"})
            if reply.status_code != 200 or reply.json()["status"] != "Completed":
                raise RuntimeError(f"run {index} did not complete: {reply.status_code} {reply.text[:200]}")

    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(one, range(count)))


def first_page_latencies(host: DevHost, repeats: int, expected_runs: int) -> list[float]:
    latencies = []
    for _ in range(repeats):
        started = time.perf_counter()
        reply = host.get(PAGE)
        latencies.append((time.perf_counter() - started) * 1000)
        page = reply.json()
        if reply.status_code != 200 or len(page["runs"]) != min(20, expected_runs):
            raise RuntimeError(f"unexpected first page: {reply.status_code} {reply.text[:200]}")
    return latencies


def measure(sizes: list[int], repeats: int, workers: int, turns: int = TURNS) -> list[Reading]:
    """Fill one hub per size, then read each one's first page `repeats` times, in `turns` turns."""
    latencies: dict[int, list[float]] = {size: [] for size in sizes}
    with tempfile.TemporaryDirectory(prefix="bench-run-list-") as tmp_text, ExitStack() as hosts:
        hubs = {}
        for size in sizes:
            folder = Path(tmp_text) / str(size)
            host = hosts.enter_context(
                DevHost(PROJECT_ROOT, folder / "state.db", env=template_env(folder), ready_timeout=60.0)
            )
            start_runs(host, size, workers)
            host.get(PAGE)  # warm the route once
            hubs[size] = host
        for turn in range(turns):
            order = sizes if turn % 2 == 0 else sizes[::-1]
            for size in order:
                latencies[size] += first_page_latencies(hubs[size], max(1, repeats // turns), size)
    readings = [
        Reading(size, percentile(latencies[size], 0.5), percentile(latencies[size], 0.95)) for size in sizes
    ]
    for reading in readings:
        print(f"{reading.runs:>6} ended runs: first page p50 {reading.p50_ms:.2f} ms", flush=True)
    return readings


def render(readings: list[Reading], repeats: int) -> str:
    smallest = readings[0]
    lines = [
        "# `GET /api/runs` first page vs task hub size",
        "",
        f"`python -m bench.run_list` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC: the template on the embedded",
        f"host, `{PAGE}` read {repeats} times after the hub holds N ended `single` runs (one host per hub,",
        f"the reads taking turns between them in {TURNS} turns).",
        "",
        "| ended runs | p50 | p95 | p50 × the smallest hub's |",
        "|---:|---:|---:|---:|",
    ]
    for reading in readings:
        ratio = reading.p50_ms / smallest.p50_ms
        lines.append(
            f"| {reading.runs:,} | {reading.p50_ms:.2f} ms | {reading.p95_ms:.2f} ms | {ratio:.2f}x |"
        )
    ratio = readings[-1].p50_ms / smallest.p50_ms
    verdict = "met" if ratio <= TARGET_RATIO else "**missed**"
    lines += [
        "",
        f"Target: {readings[-1].runs:,} runs within {TARGET_RATIO}x of {smallest.runs:,}:"
        f" {verdict} ({ratio:.2f}x).",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[20, 2000], help="hub sizes, ascending")
    parser.add_argument("--repeats", type=int, default=60, help="first-page reads per hub size")
    parser.add_argument("--workers", type=int, default=16, help="runs started at a time")
    parser.add_argument("--out", type=Path, default=RESULTS, help="the report to write")
    options = parser.parse_args(argv)
    report = render(measure(sorted(options.sizes), options.repeats, options.workers), options.repeats)
    options.out.write_text(report)
    print(report)


if __name__ == "__main__":
    main()
