"""Cutting a `GET /runs` page out of creation-time windows of the durable instance query.

The host answers one instance query with at most 100 instances (the extension's page size) in its own
order, instance-id order on Azure Storage, and puts the rest behind an `x-ms-continuation-token`
header that the Python SDK drops (azure-functions-durable-python #580). So a query is only trusted when
it comes back with fewer than 100: then it holds every run of its window. The walk starts with a short
window ending now and goes back in time; a window that comes back full is narrowed from its old end
until it is not, and an exhausted window is followed by an older one sized by the density it had
(growing fourfold after empty ones, and reaching back to the beginning once wider than an hour),
until the page is full or time runs out. Within a
window runs are ordered by `createdTime` (whole seconds on Azure) and instance id, newest first.

A page costs at most `MAX_QUERIES` queries of at most 100 instances each, whatever the task hub holds.
When a sparse filter (a rare workflow) needs more, the page comes back shorter than `limit` with a
`next` cursor, and the next page carries on where this one stopped.

Neighbouring windows share their edge instant (the host's bounds are inclusive and its clock finer than
the microseconds a query can name), so a run exactly on it comes back twice; the ids already returned
from the newer side are skipped. More than 100 runs within one microsecond cannot be told apart by the
query at all; that window is taken as the host answers it and the walk logs a warning.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from api.params import EPOCH
from api.run_cursor import Cursor, RunKey

log = logging.getLogger(__name__)

HOST_PAGE_SIZE = 100  # instances the host answers per query when no `top` is sent (the SDK sends none)
MAX_QUERIES = 16
FIRST_SPAN = timedelta(seconds=1)
GROWTH = 4  # an exhausted window is followed by one at most this many times wider (this many if empty)
OPEN_AFTER = timedelta(hours=1)  # a window wider than this reaches back to the beginning
MIN_WIDTH = timedelta(milliseconds=1)  # of a window after a non-empty one (a zero-width one must not repeat)
MIN_SPAN = timedelta(microseconds=1)  # the finest bound a query can name (the SDK sends microseconds)


class InstanceQuery(Protocol):
    """The one durable client call the walk makes (`DurableOrchestrationClient.get_status_by`)."""

    async def get_status_by(
        self,
        created_time_from: datetime | None = None,
        created_time_to: datetime | None = None,
        runtime_status: list[OrchestrationRuntimeStatus] | None = None,
    ) -> list[DurableOrchestrationStatus]: ...


@dataclass(frozen=True)
class PageRequest:
    limit: int
    runtime_statuses: list[OrchestrationRuntimeStatus] | None  # filtered by the host
    keep: Callable[[DurableOrchestrationStatus], bool]  # filters the host cannot apply


@dataclass(frozen=True)
class Page:
    runs: list[DurableOrchestrationStatus]
    next: Cursor | None


def run_key(status: DurableOrchestrationStatus) -> RunKey:
    """The order within a window (compared descending): creation second, then instance id."""
    moment = status.created_time or EPOCH
    moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return RunKey(created=moment, instance_id=status.instance_id or "")


def _sort_key(key: RunKey) -> tuple[datetime, str]:
    return key.created, key.instance_id


class _Walk:
    """One page's walk: the client, the filters, the clock reading and the queries left."""

    def __init__(self, client: InstanceQuery, request: PageRequest, now: datetime) -> None:
        self.client = client
        self.request = request
        self.now = now
        self.queries_left = MAX_QUERIES

    async def query(self, start: datetime | None, end: datetime | None) -> list[DurableOrchestrationStatus]:
        self.queries_left -= 1
        found = await self.client.get_status_by(
            created_time_from=start, created_time_to=end, runtime_status=self.request.runtime_statuses
        )
        return [status for status in found if status]

    async def complete(
        self, at: Cursor, newer_ids: set[str]
    ) -> tuple[Cursor, list[DurableOrchestrationStatus] | None]:
        """The window at `at` (narrowed until the host answers all of it), and that answer.

        None as the answer when the queries ran out while narrowing; the cursor then names the
        narrowest window reached, so the next page goes on from there.
        """
        while self.queries_left > 0:
            found = await self.query(at.start, at.end)
            if len(found) < HOST_PAGE_SIZE or at.after is not None:
                return at, found  # a window resumed from a cursor was complete when it was first read
            own = [status for status in found if status.instance_id not in newer_ids]
            narrower = self.narrowed(at.start, at.end, own)
            if narrower is None:
                log.warning(
                    "more than %d runs created within one microsecond before %s", HOST_PAGE_SIZE, at.end
                )
                return at, found
            at = Cursor(start=narrower, end=at.end, after=None, edge=at.edge)
        return at, None

    def narrowed(
        self, start: datetime | None, end: datetime | None, found: list[DurableOrchestrationStatus]
    ) -> datetime | None:
        """A later start for a window that came back full, or None when it cannot be cut any finer.

        The answer is a sample of the window (in instance-id order, which says nothing of time), so the
        newest second in it is a start that keeps at least one run and, for N runs, about N/100. When
        that second is where the window starts already, its runs are packed into one second: halve it.
        """
        bottom = start or EPOCH
        newest = max((run_key(status).created for status in found), default=bottom).replace(microsecond=0)
        if bottom < newest < (end or datetime.max.replace(tzinfo=UTC)):
            return newest
        top = min(end or self.now, newest + timedelta(seconds=1))  # every run of the answer is older
        if top - bottom <= MIN_SPAN:
            return None
        return bottom + max((top - bottom) / 2, MIN_SPAN)

    def older(self, window: Cursor, found: list[DurableOrchestrationStatus], wanted: int) -> Cursor:
        """The next window back in time, ending where `window` starts.

        Sized at the density `window` had (its runs over the time they span, not over empty time above
        them) for half again the `wanted` runs the page still needs, at most half a host page and at
        most GROWTH times wider (GROWTH times after an empty window: gently, so as not to leap into a
        dense stretch and draw a full answer); reaching back to the beginning once wider than OPEN_AFTER.
        """
        assert window.start is not None  # the walk stops at a window reaching the beginning
        top = window.end or self.now
        if found:
            top = min(top, max(run_key(status).created for status in found) + timedelta(seconds=1))
        target = min(HOST_PAGE_SIZE / 2, 1.5 * wanted)
        scale = GROWTH if not found else min(GROWTH, max(1.0, target / len(found)))
        span = max((top - window.start) * scale, MIN_WIDTH)
        start = None if span > OPEN_AFTER or window.start - span <= EPOCH else window.start - span
        return Cursor(start=start, end=window.start, after=None)


async def read_page(
    client: InstanceQuery, request: PageRequest, cursor: Cursor | None, now: datetime
) -> Page:
    """One page of at most `request.limit` runs, newest first, and the cursor for the rest."""
    walk = _Walk(client, request, now)
    at = cursor or Cursor(start=now - FIRST_SPAN, end=None, after=None)
    newer_ids: set[str] = set()  # what the previous window held: its runs on our upper edge are done
    runs: list[DurableOrchestrationStatus] = []
    while True:
        at, found = await walk.complete(at, newer_ids)
        if found is None:
            return Page(runs, at)
        ids = {status.instance_id or "" for status in found}
        at = Cursor(at.start, at.end, at.after, tuple(sorted({*at.edge, *(ids & newer_ids)})))
        members = sorted(
            (status for status in found if status.instance_id not in at.edge),
            key=lambda status: _sort_key(run_key(status)),
            reverse=True,
        )
        if at.after is not None:
            members = [status for status in members if _sort_key(run_key(status)) < _sort_key(at.after)]
        for index, status in enumerate(members):
            if request.keep(status):
                runs.append(status)
            if len(runs) == request.limit:
                rest = index + 1 < len(members) or at.start is not None
                return Page(runs, resume_after(at, run_key(status)) if rest else None)
        if at.start is None:
            return Page(runs, None)
        if walk.queries_left == 0:  # resume here: re-reading this window tells the next one its edge
            last = run_key(members[-1]) if members else at.after
            return Page(runs, at if last is None else resume_after(at, last))
        newer_ids = ids
        at = walk.older(at, found, request.limit - len(runs))


def resume_after(window: Cursor, last: RunKey) -> Cursor:
    """The cursor that goes on after `last` in `window`, its end brought down to the end of `last`'s
    second: every run still to come is no newer, and runs started since cannot crowd it out of the
    host's 100 (an open first window would otherwise take in everything started later)."""
    end = last.created + timedelta(seconds=1)
    return Cursor(window.start, end if window.end is None else min(window.end, end), last, window.edge)
