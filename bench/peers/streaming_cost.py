"""What streaming alone costs: the chain's three agent calls in-process, streamed and not.

The template streams every reply (agent-framework's streaming run, each word handed to a stream
writer on a SQLite file, as `run_agent` does); plain asyncio, the floor, awaits each reply whole.
Measuring both ways in one process, with no host and no durability, tells how much of the
template's overhead over the floor is the streaming itself. With a model delay the offline model
sends each word as it falls due, so there are as many updates as words, and agent-framework builds
the final response from all of them (chat client, then agent) after the last word has arrived.
"""

import statistics
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.peers.runner import model_delay
from bench.peers.streamed_work import streamed_chain
from bench.peers.workload import ask, draft_prompt, research_prompt, review_prompt, topic_for
from streams.sqlite_store import SqliteStreamStore


@dataclass(frozen=True)
class StreamingCost:
    """Medians per chain run, in milliseconds, at one model delay."""

    delay_ms: float
    runs: int
    whole_p50_ms: float  # three replies awaited whole, as the floor does
    streamed_p50_ms: float  # the same three streamed as `run_agent` streams them
    updates: float  # streamed updates per chain run


async def _whole_chain(index: int) -> None:
    topic = topic_for(index)
    research = await ask("researcher", research_prompt(topic))
    draft = await ask("writer", draft_prompt(topic, research))
    await ask("reviewer", review_prompt(topic, draft))


async def measure(delay_ms: float, runs: int, warmup: int = 3) -> StreamingCost:
    """`runs` chains each way at `delay_ms`; the two ways take turns, each going first every other run."""
    whole: list[float] = []
    streamed: list[float] = []
    updates: list[int] = []
    with model_delay(delay_ms), tempfile.TemporaryDirectory(prefix="streaming-cost-") as folder:
        store = SqliteStreamStore(Path(folder) / "streams.db")
        for index in range(warmup + runs):
            for streaming in (False, True) if index % 2 else (True, False):
                started = time.perf_counter()
                if streaming:
                    _, pieces = await streamed_chain(store, f"streaming-cost-{index}", topic_for(index))
                else:
                    await _whole_chain(index)
                elapsed = (time.perf_counter() - started) * 1000
                if index >= warmup:
                    (streamed if streaming else whole).append(elapsed)
            if index >= warmup:
                updates.append(pieces)
    return StreamingCost(
        delay_ms=delay_ms,
        runs=runs,
        whole_p50_ms=round(statistics.median(whole), 3),
        streamed_p50_ms=round(statistics.median(streamed), 3),
        updates=statistics.median(updates),
    )


def document(costs: list[StreamingCost]) -> list[dict[str, Any]]:
    """The figures as `peers.json` keeps them."""
    return [asdict(cost) for cost in costs]
