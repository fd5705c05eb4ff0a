"""Warm up, then time N sequential chain runs per system at one model delay, in blocks taking turns.

Each system runs blocks of consecutive runs (10 by default), and the systems take turns block by
block, starting with a different one each round. Turns make a burst of load from elsewhere on a
shared machine land on every system alike; blocks keep each system warm, as back-to-back runs
would be (a process left idle while others run answers its next request a little slower, and only
the host runs in a process of its own). Every warm-up output is compared across systems: they
must all produce exactly the same chain output, or the comparison would not be of the same work.
"""

import os
import statistics
import time
from collections.abc import Iterator, Sequence
from contextlib import AsyncExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bench.peers.system import RunChain, System
from bench.peers.workload import ChainOutput, topic_for

DELAY_SETTING = "OFFLINE_MODEL_DELAY_MS"


class OutputMismatch(AssertionError):
    """Two systems answered the same topic differently: they are not running the same chain."""


@dataclass
class Measurement:
    """Latencies of one system at one model delay, in milliseconds.

    `latencies_ms` runs from the start to the moment the client had the answer (client-observed,
    what a caller waits for); `recorded_ms` to the end the system recorded, where it reports one
    (see `ChainRun.ended_at`).
    """

    system: System
    delay_ms: float
    latencies_ms: list[float] = field(default_factory=list)
    recorded_ms: list[float] = field(default_factory=list)

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p95(self) -> float:
        return p95(self.latencies_ms)

    @property
    def recorded_p50(self) -> float | None:
        return statistics.median(self.recorded_ms) if self.recorded_ms else None


def p95(values: Sequence[float]) -> float:
    """Inclusive 95th percentile; with fewer than two samples, the one sample."""
    if len(values) < 2:
        return values[0]
    return statistics.quantiles(values, n=20, method="inclusive")[18]


@contextmanager
def model_delay(delay_ms: float) -> Iterator[None]:
    """Set the offline model's delay for in-process systems (they read it per call), then restore it."""
    previous = os.environ.get(DELAY_SETTING)
    os.environ[DELAY_SETTING] = format(delay_ms, "g")
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(DELAY_SETTING, None)
        else:
            os.environ[DELAY_SETTING] = previous


async def measure_delay(
    systems: Sequence[System], delay_ms: float, *, runs: int, warmup: int, workdir: Path, block: int = 10
) -> list[Measurement]:
    """Open every system for `delay_ms`, check their outputs agree, then time `runs` runs of each."""
    measurements = [Measurement(system, delay_ms) for system in systems]
    with model_delay(delay_ms):
        async with AsyncExitStack() as stack:
            chains = []
            for system in systems:
                folder = workdir / f"{system.key}-{format(delay_ms, 'g')}ms"
                folder.mkdir(parents=True, exist_ok=True)
                chains.append(await stack.enter_async_context(system.open(folder, delay_ms)))
            warmup = max(warmup, 1)  # the output check needs one run of each
            for index in range(warmup):
                await _check_same_output(systems, chains, topic_for(index))
            for round_no, first in enumerate(range(0, runs, block)):
                start = round_no % len(systems)
                for slot in [*range(start, len(systems)), *range(start)]:
                    for index in range(first, min(first + block, runs)):
                        await _timed(chains[slot], topic_for(warmup + index), measurements[slot])
    return measurements


async def _timed(chain: RunChain, topic: str, into: Measurement) -> None:
    started_wall = time.time()
    started = time.perf_counter()
    run = await chain(topic)
    returned_ms = (time.perf_counter() - started) * 1000
    answered_ms = returned_ms if run.answered_at is None else (run.answered_at - started_wall) * 1000
    into.latencies_ms.append(answered_ms)
    if run.ended_at is not None:
        into.recorded_ms.append((run.ended_at - started_wall) * 1000)


async def _check_same_output(systems: Sequence[System], chains: Sequence[RunChain], topic: str) -> None:
    reference: ChainOutput | None = None
    for system, chain in zip(systems, chains, strict=True):
        output = (await chain(topic)).output
        if reference is None:
            reference = output
            continue
        differing = sorted(key for key in {*reference, *output} if reference.get(key) != output.get(key))
        if differing:
            raise OutputMismatch(
                f"{system.label} answered topic {topic!r} differently from {systems[0].label} "
                f"in field(s) {', '.join(differing)}"
            )
