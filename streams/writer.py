"""Writing one attempt of one agent step to the stream store, in small ordered batches.

A model streams a reply as many small updates; storing each one would cost a storage round trip
per token (Table Storage: a transaction each). Pieces are gathered into a chunk that is flushed
when it holds `MAX_PIECES` pieces or its first piece is `MAX_DELAY_S` old, whichever comes first,
so a reader sees words within ~25 ms of the model producing them at a bounded write rate.

Chunk `n` is stored before chunk `n + 1`, so a reader never sees a gap: a local file (an `inline`
store) is written at once, on the loop, as a flush happens; a network store's writes run one after
another in a worker thread (its client is synchronous). A failing store never fails the agent call:
the durable history keeps the whole reply, so the stream is logged and abandoned.
"""

import asyncio
import logging
import secrets
import time
from datetime import UTC, datetime

from streams import signals
from streams.records import Chunk, StreamStore
from streams.sqlite_store import iso

MAX_PIECES = 20
MAX_DELAY_S = 0.025
MAX_CHARS = 8000  # a Table string property holds 32K characters; keep entities and batches small

_log = logging.getLogger(__name__)
_last_micros = 0


def new_attempt_id() -> str:
    """A fresh attempt id that sorts after every earlier one: microseconds since 1970, then randomness.

    In one process the number only grows; across instances the clock orders attempts, which are
    far apart (in-activity retries wait 0.5 s or more, durable ones 5 s); the random tail keeps two
    instances from ever sharing an id.
    """
    global _last_micros
    _last_micros = max(time.time_ns() // 1000, _last_micros + 1)
    return f"{_last_micros:016d}{secrets.token_hex(3)}"


class StreamWriter:
    """Appends one attempt's reply to the store: `add` each piece as it arrives, then `close`."""

    def __init__(self, store: StreamStore, run: str, step: str, agent: str) -> None:
        self.store = store
        self.run = run
        self.step = step
        self.agent = agent
        self.attempt = new_attempt_id()
        self._pending: list[str] = []
        self._first_at = datetime.now(UTC)
        self._next_index = 0
        self._timer: asyncio.TimerHandle | None = None
        self._last_write: asyncio.Task[None] | None = None
        self._failed = False

    def add(self, text: str) -> None:
        """Queue one piece of the reply; flushes when the batch is full or its timer fires."""
        if not text or self._failed:
            return
        if not self._pending:
            self._first_at = datetime.now(UTC)
        self._pending.append(text)
        if len(self._pending) >= MAX_PIECES:
            self._flush()
        elif self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(MAX_DELAY_S, self._flush)

    async def close(self) -> None:
        """Flush what is left and wait until every chunk is stored (or the store has failed)."""
        self._flush()
        if self._last_write is not None:
            await self._last_write

    def _flush(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._pending or self._failed:
            return
        text, at = "".join(self._pending), iso(self._first_at)
        # A huge piece (a model that sends a whole reply at once) is cut to fit a Table property.
        pieces = [text[start : start + MAX_CHARS] for start in range(0, len(text), MAX_CHARS)]
        chunks = [
            Chunk(self.step, self.attempt, self._next_index + n, self.agent, piece, at)
            for n, piece in enumerate(pieces)
        ]
        self._pending = []
        self._next_index += len(chunks)
        if self.store.inline:
            self._stored(self._attempt(chunks))
        else:
            self._last_write = asyncio.ensure_future(self._write_later(chunks, self._last_write))

    async def _write_later(self, chunks: list[Chunk], previous: "asyncio.Task[None] | None") -> None:
        if previous is not None:
            await previous
        if not self._failed:
            self._stored(await asyncio.to_thread(self._attempt, chunks))

    def _attempt(self, chunks: list[Chunk]) -> BaseException | None:
        """Append the chunks; the error instead of raising it, so the loop side decides what follows."""
        try:
            self.store.append(self.run, chunks)
        except Exception as error:
            return error
        return None

    def _stored(self, error: BaseException | None) -> None:
        if error is None:
            signals.stored(self.run)
            return
        # The history still gets the whole reply; readers fall back to it when the step ends.
        self._failed = True
        _log.warning(
            "token stream of run %s step %s stopped: the stream store failed",
            self.run,
            self.step,
            exc_info=error,
        )
