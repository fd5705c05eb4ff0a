"""What a stream store keeps and answers, so the SQLite and Azure Table backends behave alike."""

import asyncio
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

T = TypeVar("T")


class StreamError(RuntimeError):
    """The stream store is misconfigured or unreachable; the message names the setting."""


@dataclass(frozen=True)
class Chunk:
    """One flushed batch of a reply: `index` numbers the chunks of one attempt from 0, gapless.

    `attempt` is time-ordered (see `streams.writer.new_attempt_id`), so the newest attempt of a step
    sorts last; `at` is when the model produced the chunk's first piece (ISO 8601 UTC).
    """

    step: str
    attempt: str
    index: int
    agent: str
    text: str
    at: str


class StreamStore(Protocol):
    """Where chunks are appended by `run_agent` and read by the events API.

    `inline` says a call is quick enough to make on the event loop (a local file); otherwise callers
    run it in a worker thread (network storage).
    """

    @property
    def inline(self) -> bool: ...

    def append(self, run: str, chunks: Sequence[Chunk]) -> None:
        """Store the chunks (all of one step and attempt); writing the same chunk again is harmless."""

    def read(self, run: str, steps: Collection[str]) -> list[Chunk]:
        """The run's chunks of these steps, ordered by step, attempt and index."""

    def started_since(self, run: str, since: str) -> dict[str, str]:
        """`{step: agent}` of the run's steps with an attempt whose first chunk was written at or after
        `since` (ISO 8601): how a reader finds the streams of steps the history does not name yet."""

    def purge(self, written_before: datetime) -> int:
        """Delete chunks written before the moment; returns how many."""


async def call_store(store: StreamStore, call: Callable[[StreamStore], T]) -> T:
    """Run `call(store)` on the loop when the store is `inline`, else in a worker thread."""
    if store.inline:
        return call(store)
    return await asyncio.to_thread(call, store)
