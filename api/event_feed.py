"""The run's events after a reader's place: step events from the history, tokens from the stream store.

Transport-independent: `GET /runs/{id}/events` (JSON and SSE) and the streamed session reply both
ask it for the next page. The history is read before the chunks, so a visible `step_completed`
always comes with all of its step's tokens (see `api.token_events`). A stream store that fails
costs the reader tokens, never the step events: it is logged and the page goes out without them.
"""

import asyncio
import logging

from azure.durable_functions import DurableOrchestrationClient

from api.event_cursor import Cursor
from api.models import EventPage
from api.run_status import ENDED, public_status
from api.run_timeline import run_timeline
from api.token_events import merge, step_streams, steps_to_read
from api.waiting import poll_until
from streams.records import Chunk, StreamError
from streams.store import stream_store

_log = logging.getLogger(__name__)


async def next_events(
    client: DurableOrchestrationClient, run_id: str, cursor: Cursor, tokens: bool, wait_s: float
) -> EventPage:
    """Events after `cursor`, waiting up to `wait_s` for at least one (or for the run's end)."""

    async def snapshot() -> EventPage:
        current = await run_timeline(client, run_id)
        chunks = await _chunks(run_id, steps_to_read(current.events, cursor)) if tokens else []
        events, place = merge(current.events, step_streams(chunks), cursor, tokens)
        status = public_status(current.status)
        return EventPage(events=events, next=place.text(), status=status, done=status in ENDED)

    page, _ = await poll_until(snapshot, lambda page: bool(page.events) or page.done, wait_s)
    return page


async def _chunks(run_id: str, steps: set[str]) -> list[Chunk]:
    if not steps:
        return []
    try:
        return await asyncio.to_thread(stream_store().read, run_id, steps)
    except StreamError:
        _log.warning("token stream of run %s unreadable; events go out without tokens", run_id, exc_info=True)
        return []
