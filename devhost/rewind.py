"""Rewind a Failed instance: undo its failing episode and re-run the work that failed (protocol §2.9).

The failing episode is cut from history, the bookkeeping goes back to its state before that episode,
the episode's events return to the inbox, and each activity failure in it is replaced by a fresh run
of that activity (a failed sub-orchestration is rewound the same way, recursively).
"""

import json
from dataclasses import dataclass, field

from devhost.history import Event, EventType, completion_id
from devhost.state import Bookkeeping, InstanceRecord
from devhost.store import ActivityRow, Store

DELIVERED_SKIP = {
    EventType.ORCHESTRATOR_STARTED,
    EventType.ORCHESTRATOR_COMPLETED,
    EventType.EXECUTION_STARTED,
    EventType.EXECUTION_COMPLETED,
    EventType.TASK_SCHEDULED,
    EventType.SUB_ORCHESTRATION_CREATED,
    EventType.TIMER_CREATED,
    EventType.EVENT_SENT,
}


@dataclass
class RewindPlan:
    """What the engine wakes once a rewind committed."""

    instances: list[str] = field(default_factory=list)
    activities: list[ActivityRow] = field(default_factory=list)


def _last_episode_start(events: list[Event]) -> int:
    return max(i for i, e in enumerate(events) if e["EventType"] == EventType.ORCHESTRATOR_STARTED)


def _redo_failure(
    store: Store, record: InstanceRecord, failure: Event, events: list[Event], plan: RewindPlan
) -> bool:
    """Re-run the work behind one failure event; False when it cannot be re-run (deliver it again)."""
    task_id = completion_id(failure)
    origin = next(
        (e for e in events if e["EventId"] == task_id and e["EventType"] != EventType.TIMER_CREATED), None
    )
    if origin is None:
        return False
    if failure["EventType"] == EventType.TASK_FAILED:
        row_id = store.add_activity(
            record.instance_id, record.execution_id, task_id, origin["Name"], origin["Input"]
        )
        plan.activities.append(
            ActivityRow(
                row_id, record.instance_id, record.execution_id, task_id, origin["Name"], origin["Input"]
            )
        )
        return True
    child = store.load_instance(origin["InstanceId"])
    return child is not None and child.status == "Failed" and rewind_instance(store, child, plan)


def rewind_instance(store: Store, record: InstanceRecord, plan: RewindPlan) -> bool:
    """Rewind inside the caller's transaction; False when the record has no failing episode to undo."""
    if record.book.rewind_point is None:
        return False
    events = [json.loads(text) for text in store.load_history(record.instance_id)]
    cut = _last_episode_start(events)
    kept, undone = events[:cut], events[cut:]
    if any(e["EventType"] == EventType.EXECUTION_STARTED for e in undone):
        kept = []  # the first episode failed: start the execution over
    book = Bookkeeping.from_json(record.book.rewind_point)
    for evt in undone:
        if evt["EventType"] in DELIVERED_SKIP:
            continue
        retried = completion_id(evt) in book.retries
        is_failure = evt["EventType"] in (EventType.TASK_FAILED, EventType.SUB_ORCHESTRATION_FAILED)
        if is_failure and not retried and _redo_failure(store, record, evt, events, plan):
            continue
        store.add_inbox(record.instance_id, record.execution_id, {**evt, "IsPlayed": False})
    store.replace_history(record.instance_id, [json.dumps(e) for e in kept])
    record.book = Bookkeeping() if not kept else book
    record.status, record.output = ("Running" if kept else "Pending"), None
    store.save_instance(record)
    plan.instances.append(record.instance_id)
    return True
