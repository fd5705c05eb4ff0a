"""History events in the shape DurableTask.Core / the extension hand to the Python SDK (protocol §2.2)."""

from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

Event = dict[str, Any]


class EventType(IntEnum):
    """DurableTask.Core's EventType numbers."""

    EXECUTION_STARTED = 0
    EXECUTION_COMPLETED = 1
    EXECUTION_FAILED = 2
    EXECUTION_TERMINATED = 3
    TASK_SCHEDULED = 4
    TASK_COMPLETED = 5
    TASK_FAILED = 6
    SUB_ORCHESTRATION_CREATED = 7
    SUB_ORCHESTRATION_COMPLETED = 8
    SUB_ORCHESTRATION_FAILED = 9
    TIMER_CREATED = 10
    TIMER_FIRED = 11
    ORCHESTRATOR_STARTED = 12
    ORCHESTRATOR_COMPLETED = 13
    EVENT_SENT = 14
    EVENT_RAISED = 15
    CONTINUE_AS_NEW = 16
    EXECUTION_SUSPENDED = 19
    EXECUTION_RESUMED = 20


# Completion events name the task they finish through one of these fields.
COMPLETION_KEYS: dict[int, str] = {
    EventType.TASK_COMPLETED: "TaskScheduledId",
    EventType.TASK_FAILED: "TaskScheduledId",
    EventType.SUB_ORCHESTRATION_COMPLETED: "TaskScheduledId",
    EventType.SUB_ORCHESTRATION_FAILED: "TaskScheduledId",
    EventType.TIMER_FIRED: "TimerId",
}
FAILURE_TYPES = frozenset({EventType.TASK_FAILED, EventType.SUB_ORCHESTRATION_FAILED})


def utc_now() -> datetime:
    """The current time, always timezone-aware: mixing naive and aware stamps breaks the SDK's replay."""
    return datetime.now(UTC)


def format_timestamp(moment: datetime) -> str:
    """Newtonsoft's UTC form with seven fractional digits and a ``Z``, as the extension writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def format_status_time(moment: datetime) -> str:
    """Status payload times: to the second, with a ``Z`` (protocol §6.2)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_timestamp(text: str) -> datetime:
    """Read an action's ``fireAt`` or a stored stamp; fractions beyond microseconds are dropped."""
    main, _, fraction = text.rstrip("Z").partition(".")
    fraction = fraction.split("+")[0][:6]
    moment = datetime.fromisoformat(f"{main}.{fraction or '0'}")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def event(event_type: EventType, moment: datetime, event_id: int = -1, **fields: Any) -> Event:
    """One new (not yet played) history event."""
    return {
        "EventType": int(event_type),
        "EventId": event_id,
        "IsPlayed": False,
        "Timestamp": format_timestamp(moment),
        **fields,
    }


def completion_id(evt: Event) -> int | None:
    """The sequence id a completion event finishes, or None for events that complete nothing by id."""
    key = COMPLETION_KEYS.get(evt["EventType"])
    return None if key is None else evt[key]
