"""The run's events after a reader's place: step events from the history, tokens from the stream store.

Transport-independent: `GET /runs/{id}/events` (JSON and SSE) and the streamed session reply both
ask it for the next page. The history is read before the chunks, so a visible `step_completed`
always comes with all of its step's tokens (see `api.token_events`). A stream store that fails
costs the reader tokens, never the step events: it is logged and the page goes out without them.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from azure.durable_functions import DurableOrchestrationClient

from api.event_cursor import Cursor
from api.models import EventPage, RunEvent
from api.run_status import ENDED, public_status
from api.run_timeline import run_timeline
from api.token_events import Unnamed, merge, step_key, step_streams, steps_to_read, unnamed_running
from api.waiting import poll_until
from streams.records import Chunk, StreamError, StreamStore, call_store
from streams.sqlite_store import iso
from streams.store import stream_store

T = TypeVar("T")
# A step's first chunk is stamped by the worker's clock, its scheduling by the host's.
CLOCK_SKEW = timedelta(seconds=5)
_log = logging.getLogger(__name__)


async def next_events(
    client: DurableOrchestrationClient,
    run_id: str,
    cursor: Cursor,
    tokens: bool,
    wait_s: float,
    until_done: bool = False,
) -> EventPage:
    """Events after `cursor`, waiting up to `wait_s` for at least one (or, `until_done`, for the end)."""

    async def snapshot() -> EventPage:
        current = await run_timeline(client, run_id)
        chunks: list[Chunk] = []
        unnamed = Unnamed()
        if tokens:
            unnamed = await _unnamed(run_id, current.events)
            chunks = await _chunks(run_id, steps_to_read(current.events, cursor, unnamed))
        events, place = merge(current.events, step_streams(chunks), cursor, tokens, unnamed)
        status = public_status(current.status)
        return EventPage(events=events, next=place.text(), status=status, done=status in ENDED)

    page, _ = await poll_until(
        snapshot, lambda page: page.done or (bool(page.events) and not until_done), wait_s
    )
    return page


async def _unnamed(run_id: str, events: list[RunEvent]) -> Unnamed:
    """The streams of running agent steps the history does not name (see `api.token_events`)."""
    running = unnamed_running(events)
    if not running:
        return Unnamed()
    since = _parse_at(running[0].at) - CLOCK_SKEW
    started = await _read(lambda store: store.started_since(run_id, iso(since)), run_id, {})
    named = {key for key in map(step_key, events) if key is not None}
    return Unnamed(frozenset(set(started) - named), from_seq=running[0].seq or 0)


async def _chunks(run_id: str, steps: set[str]) -> list[Chunk]:
    return await _read(lambda store: store.read(run_id, steps), run_id, []) if steps else []


async def _read(query: Callable[[StreamStore], T], run_id: str, fallback: T) -> T:
    try:
        return await call_store(stream_store(), query)
    except StreamError:
        _log.warning("token stream of run %s unreadable; events go out without tokens", run_id, exc_info=True)
        return fallback


def _parse_at(at: str) -> datetime:
    return datetime.fromisoformat(at.replace("Z", "+00:00"))
