"""A run's timeline, re-read from the durable history only when the run has changed.

On Azure, `get_status(show_history=True)` returns the whole history every time, so a reader that
polls a long run would pay for all of it on every poll. A status read without history says whether
anything happened: the runtime status and `lastUpdatedTime` move with every episode. The timeline
last built for a run is kept per process and reused while both are unchanged, so a poll that finds
nothing new costs one small status read.

`lastUpdatedTime` has whole-second resolution, so an episode in the same second as the one we
built from would not move it; a timeline built less than `SETTLE` after the last update is
therefore trusted only for that read. Readers on other instances simply build their own.
"""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.models import RunEvent
from api.run_status import existing_run
from api.timeline import timeline

V = TypeVar("V")
# Two seconds: the one `lastUpdatedTime` truncates, and one for clock skew between host and worker.
SETTLE = timedelta(seconds=2)
MAX_RUNS = 256


@dataclass(frozen=True)
class RunTimeline:
    """A status (with history when it was just read) and the timeline built from the history."""

    status: DurableOrchestrationStatus
    events: list[RunEvent]
    history_read: bool


@dataclass(frozen=True)
class _Built:
    updated: datetime
    runtime: object
    built_at: datetime
    events: list[RunEvent]


_BUILT: "OrderedDict[str, _Built]" = OrderedDict()
_LAST: "OrderedDict[str, RunTimeline]" = OrderedDict()


def last_timeline(run_id: str) -> RunTimeline | None:
    """The newest timeline this process read for the run, however old: a start for a reader that
    must not wait for a read (words are read after it, so it only delays what it has not seen)."""
    return _LAST.get(run_id)


async def run_timeline(client: DurableOrchestrationClient, run_id: str) -> RunTimeline:
    """The run's current timeline: one status read when it is unchanged, else one with the history.

    A plain read first only pays off when the kept timeline could be trusted (built `SETTLE` after
    the run's last update); otherwise the history is read straight away.
    """
    built = _BUILT.get(run_id)
    if built is not None and built.built_at - built.updated >= SETTLE:
        status = await existing_run(client, run_id)
        if built.runtime == status.runtime_status and built.updated == _utc(status.last_updated_time):
            _BUILT.move_to_end(run_id)
            return _keep(_LAST, run_id, RunTimeline(status, built.events, history_read=False))
    full = await existing_run(client, run_id, with_history=True)
    events = timeline(full)
    updated = _utc(full.last_updated_time)
    if updated is not None:
        _keep(_BUILT, run_id, _Built(updated, full.runtime_status, datetime.now(UTC), events))
    return _keep(_LAST, run_id, RunTimeline(full, events, history_read=True))


def forget_timelines() -> None:
    """Drop every kept timeline (tests that reuse a run id for a different run)."""
    _BUILT.clear()
    _LAST.clear()


def _keep(kept: "OrderedDict[str, V]", run_id: str, value: V) -> V:
    kept[run_id] = value
    kept.move_to_end(run_id)
    while len(kept) > MAX_RUNS:
        kept.popitem(last=False)
    return value


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
