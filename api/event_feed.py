"""The run's events after a reader's place: step events from the history, tokens from the stream store.

Transport-independent: `GET /runs/{id}/events` (JSON and SSE) and the streamed session reply both
ask it for the next page. The history is read before the chunks, so a visible `step_completed`
always comes with all of its step's tokens (see `api.token_events`). A stream store that fails
costs the reader tokens, never the step events: it is logged and the page goes out without them.
"""

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, TypeVar

from azure.durable_functions import DurableOrchestrationClient

from api.event_cursor import Cursor, PastTheEnd
from api.models import EventPage, RunEvent
from api.run_status import ENDED, public_status
from api.run_timeline import RunTimeline, last_timeline, run_timeline
from api.token_events import Unnamed, merge, step_key, step_streams, steps_to_read, unnamed_running
from api.waiting import read_slots
from streams import signals
from streams.records import Chunk, StreamError, StreamStore, call_store
from streams.sqlite_store import iso
from streams.store import stream_store

T = TypeVar("T")
# A step's first chunk is stamped by the worker's clock, its scheduling by the host's.
CLOCK_SKEW = timedelta(seconds=5)
LOCAL_TOKEN_TICK_S = 0.02
REMOTE_TOKEN_TICK_S = 0.1
_log = logging.getLogger(__name__)


async def next_events(
    client: DurableOrchestrationClient,
    run_id: str,
    cursor: Cursor,
    tokens: bool,
    wait_s: float,
    until_done: bool = False,
    limit: int | None = None,
) -> EventPage:
    """Events after `cursor`, waiting up to `wait_s` for at least one (or, `until_done`, for the end);
    the first `limit` of them when there are more (the page's `next` is then its last event's id).

    Two clocks drive the wait. The run's status is re-read on the budgeted schedule of
    `api.waiting`, in the background, so a read the host holds until the run changes never delays
    words. Words are looked for whenever this process stores a chunk of the run, and every
    `token_tick` otherwise (chunks written on another instance). A page is built from the latest
    timeline and chunks read after it, which keeps every step's words before its completion.
    """
    loop = asyncio.get_running_loop()
    started = loop.time()
    # A reader waiting for more words starts from the timeline this process last read and
    # refreshes it at once in the background; that read is left to finish even when the words
    # answer first, so the next request starts from a newer timeline. The first reader of a run
    # (or one that asks for a snapshot, `wait=0`) reads it first.
    known = last_timeline(run_id) if tokens and wait_s > 0 else None
    current = known or await run_timeline(client, run_id)
    if known is not None and cursor.seq > _last_seq(current):  # the kept timeline may be older than the id
        current = known = await run_timeline(client, run_id)
    if cursor.seq > _last_seq(current):
        raise PastTheEnd(str(_last_seq(current)))  # a read never loses events: the id is not this run's
    store = stream_store() if tokens else None
    slots = read_slots()
    next(slots)  # the read above (or the refresh below, for a reader that skipped it)
    first_read = asyncio.ensure_future(_refresh(client, run_id, 0.0)) if known else None
    if first_read is not None:  # may end after the reply: its failure (a purged run) is the next one's
        first_read.add_done_callback(lambda read: read.cancelled() or read.exception())
    refresh = first_read
    caught_up = False  # at most one extra read per request, whatever the store holds
    try:
        while True:
            page, stale = await _page(run_id, current, cursor, store, limit)
            if stale and not caught_up:  # words of a step this timeline has not seen scheduled
                caught_up = True
                current = await run_timeline(client, run_id)
                page, _ = await _page(run_id, current, cursor, store, limit)
            left = started + wait_s - loop.time()
            if page.done or (page.events and not until_done) or left <= 0:
                return page
            if refresh is None:
                pause = max(0.0, started + next(slots) - loop.time())
                refresh = asyncio.ensure_future(_refresh(client, run_id, pause))
            woke = await _first(refresh, store, run_id, left)
            if woke is refresh:
                current, refresh = refresh.result(), None
    finally:
        if refresh is not None and refresh is not first_read:
            refresh.cancel()  # still waiting for its slot: a read nobody needs


def _last_seq(timeline: RunTimeline) -> int:
    return max((event.seq or 0 for event in timeline.events), default=0)


async def _refresh(client: DurableOrchestrationClient, run_id: str, pause_s: float) -> RunTimeline:
    await asyncio.sleep(pause_s)
    return await run_timeline(client, run_id)


async def _first(
    refresh: "asyncio.Task[RunTimeline]", store: StreamStore | None, run_id: str, left_s: float
) -> object:
    """Wait for the refreshed timeline, a chunk stored here, or the next token tick, within `left_s`."""
    waits: set[asyncio.Future[Any]] = {refresh}
    if store is not None:
        waits.add(signals.next_chunk(run_id))
        waits.add(asyncio.ensure_future(asyncio.sleep(token_tick(store))))
    try:
        done, _ = await asyncio.wait(waits, timeout=left_s, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiting in waits - {refresh}:
            waiting.cancel()
    return refresh if refresh in done else None


def token_tick(store: StreamStore) -> float:
    """How often to look for chunks written elsewhere: a local file is cheap, a table query is not."""
    return LOCAL_TOKEN_TICK_S if store.inline else REMOTE_TOKEN_TICK_S


async def _page(
    run_id: str, current: RunTimeline, cursor: Cursor, store: StreamStore | None, limit: int | None
) -> tuple[EventPage, bool]:
    """Everything after `cursor` in this timeline (its first `limit` events), with the chunks stored
    by now; and whether the
    timeline is behind the words: more unnamed streams than unnamed running steps means a step
    started that this timeline does not show scheduled (and the one before it not yet completed).
    Its words would otherwise come before those step events, and a re-read would order them after."""
    chunks: list[Chunk] = []
    unnamed = Unnamed()
    running = unnamed_running(current.events)
    if store is not None:
        unnamed = await _unnamed(run_id, current.events, running)
        chunks = await _chunks(run_id, steps_to_read(current.events, cursor, unnamed))
    events, place = merge(current.events, step_streams(chunks), cursor, store is not None, unnamed)
    status = public_status(current.status)
    stale = len(unnamed.keys) > len(running)
    if limit is not None and len(events) > limit:  # every event's id is the place just after it
        events = events[:limit]
        return EventPage(events=events, next=events[-1].id, status=status, done=False), stale
    return EventPage(events=events, next=place.text(), status=status, done=status in ENDED), stale


async def _unnamed(run_id: str, events: list[RunEvent], running: list[RunEvent]) -> Unnamed:
    """The streams of the `running` agent steps the history does not name (see `api.token_events`)."""
    if not running:
        return Unnamed()
    since = _parse_at(running[0].at) - CLOCK_SKEW
    none: dict[str, str] = {}
    started = await _read(lambda store: store.started_since(run_id, iso(since)), run_id, none)
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
