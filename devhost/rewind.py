"""Rewind a Failed instance: undo its failing episode and re-run the work that failed (protocol §2.9).

The failing episode is cut from history, the bookkeeping goes back to its state before that episode,
the episode's events return to the inbox, and each activity failure in it is replaced by a fresh run
of that activity (a failed sub-orchestration is rewound the same way, recursively).

A with-retry call that ran out of attempts fails only when its final "dummy" retry timer fires, and the
SDK then fails it whatever happens next. So that rewind cuts back further, to before the episode that
delivered the last attempt's failure, and runs that attempt again: the call gets one more attempt, as
the extension's rewind re-runs failed work, and a failure fails the same way again.

Work the instance was still waiting for when it failed (activities, timers) was dropped with it; it is
started again so the rewound instance does not wait forever.
"""

import json
from dataclasses import dataclass, field

from azure.durable_functions.models.history import HistoryEventType
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from devhost.history import FAILURE_TYPES, Event, completion_id
from devhost.state import Bookkeeping, InstanceRecord
from devhost.store import ActivityRow, Store, TimerRow

DELIVERED_SKIP = {
    HistoryEventType.ORCHESTRATOR_STARTED,
    HistoryEventType.ORCHESTRATOR_COMPLETED,
    HistoryEventType.EXECUTION_STARTED,
    HistoryEventType.EXECUTION_COMPLETED,
    HistoryEventType.TASK_SCHEDULED,
    HistoryEventType.SUB_ORCHESTRATION_INSTANCE_CREATED,
    HistoryEventType.TIMER_CREATED,
    HistoryEventType.EVENT_SENT,
}


@dataclass
class RewindPlan:
    """What the engine wakes once a rewind committed."""

    instances: list[str] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)
    timers: list[TimerRow] = field(default_factory=list)


@dataclass(frozen=True)
class Cut:
    """Where history is cut, the bookkeeping at that point, and an exhausted retry's last attempt."""

    position: int
    book: Bookkeeping
    last_attempt: int | None = None  # re-run instead of re-delivering its failure
    dummy_timer: int | None = None  # its final retry timer, dropped


def _episode_start(events: list[Event], before: int) -> int:
    return max(
        i for i, e in enumerate(events[:before]) if e["EventType"] == HistoryEventType.ORCHESTRATOR_STARTED
    )


def _find_cut(events: list[Event], book: Bookkeeping) -> Cut:
    """The last episode, or further back when it failed on an exhausted retry's dummy timer."""
    start = _episode_start(events, len(events))
    for evt in events[start:]:
        retry = (
            book.retries.get(evt.get("TimerId", -1))
            if evt["EventType"] == HistoryEventType.TIMER_FIRED
            else None
        )
        if retry is None or not retry.last or retry.before_last_failure is None:
            continue
        timer_id = evt["TimerId"]
        created = next(i for i, e in enumerate(events) if e["EventId"] == timer_id)
        earlier = _episode_start(events, created + 1)
        earlier_book = Bookkeeping.from_json(retry.before_last_failure)
        attempt = next(
            completion_id(e)
            for e in events[earlier:created]
            if e["EventType"] in FAILURE_TYPES and completion_id(e) in earlier_book.retries
        )
        return Cut(earlier, earlier_book, attempt, timer_id)
    return Cut(start, book)


def _redo_failure(
    store: Store, record: InstanceRecord, failure: Event, events: list[Event], plan: RewindPlan
) -> bool:
    """Re-run the work behind one failure event; False when it cannot be re-run (deliver it again)."""
    origin = _origin(events, completion_id(failure))
    if origin is None:
        return False
    if failure["EventType"] == HistoryEventType.TASK_FAILED:
        _start_activity(store, record, origin, plan)
        return True
    child = store.load_instance(origin["InstanceId"])
    return (
        child is not None
        and child.status is OrchestrationRuntimeStatus.Failed
        and rewind_instance(store, child, plan)
    )


def _origin(events: list[Event], task_id: int | None) -> Event | None:
    """The event that scheduled a task (TaskScheduled / SubOrchestrationInstanceCreated / TimerCreated)."""
    return next((e for e in events if e["EventId"] == task_id), None)


def _start_activity(store: Store, record: InstanceRecord, origin: Event, plan: RewindPlan) -> None:
    iid, xid, task_id = record.instance_id, record.execution_id, origin["EventId"]
    row_id = store.add_activity(iid, xid, task_id, origin["Name"], origin["Input"])
    plan.activities.append(ActivityRow(row_id, iid, xid, task_id, origin["Name"], origin["Input"]))


def _return_events(
    store: Store, record: InstanceRecord, events: list[Event], cut: Cut, plan: RewindPlan
) -> None:
    """Put the undone episodes' incoming events back in the inbox, re-running failed work instead."""
    for evt in events[cut.position :]:
        task_id = completion_id(evt)
        if evt["EventType"] in DELIVERED_SKIP or (
            evt["EventType"] == HistoryEventType.TIMER_FIRED and task_id == cut.dummy_timer
        ):
            continue
        rerun = task_id == cut.last_attempt or task_id not in cut.book.retries
        if evt["EventType"] in FAILURE_TYPES and rerun and _redo_failure(store, record, evt, events, plan):
            continue
        store.add_inbox(record.instance_id, record.execution_id, {**evt, "IsPlayed": False})


def _restart_lost_work(store: Store, record: InstanceRecord, kept: list[Event], plan: RewindPlan) -> None:
    """Start again the activities and timers still awaited that nothing will complete any more."""
    iid, xid = record.instance_id, record.execution_id
    coming = {completion_id(row.event) for row in store.load_inbox(iid)}
    coming |= {row.task_id for row in store.all_activities() if row.instance_id == iid}
    for task_id, kind in record.book.open.items():
        origin = _origin(kept, task_id)
        if task_id in coming or origin is None:
            continue
        if kind == "activity":
            _start_activity(store, record, origin, plan)
        elif kind == "timer":
            row_id = store.add_timer(iid, xid, task_id, origin["FireAt"])
            plan.timers.append(TimerRow(row_id, iid, xid, task_id, origin["FireAt"]))


def rewind_instance(store: Store, record: InstanceRecord, plan: RewindPlan) -> bool:
    """Rewind inside the caller's transaction; False when the record has no failing episode to undo."""
    if record.book.rewind_point is None:
        return False
    events = [json.loads(text) for text in store.load_history(record.instance_id)]
    cut = _find_cut(events, Bookkeeping.from_json(record.book.rewind_point))
    kept = events[: cut.position]
    if any(e["EventType"] == HistoryEventType.EXECUTION_STARTED for e in events[cut.position :]):
        kept = []  # the first episode is undone: start the execution over
    _return_events(store, record, events, cut, plan)
    store.replace_history(record.instance_id, [json.dumps(e) for e in kept])
    record.book = Bookkeeping() if not kept else cut.book
    record.status = OrchestrationRuntimeStatus.Running if kept else OrchestrationRuntimeStatus.Pending
    record.output = None
    store.save_instance(record)
    _restart_lost_work(store, record, kept, plan)
    plan.instances.append(record.instance_id)
    return True
