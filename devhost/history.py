"""History events in the shape DurableTask.Core / the extension hand to the Python SDK (protocol §2.2)."""

from datetime import UTC, datetime
from typing import Any

from azure.durable_functions.models.history import HistoryEventType

Event = dict[str, Any]


# Completion events name the task they finish through one of these fields.
COMPLETION_KEYS: dict[int, str] = {
    HistoryEventType.TASK_COMPLETED: "TaskScheduledId",
    HistoryEventType.TASK_FAILED: "TaskScheduledId",
    HistoryEventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED: "TaskScheduledId",
    HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED: "TaskScheduledId",
    HistoryEventType.TIMER_FIRED: "TimerId",
}
FAILURE_TYPES = frozenset({HistoryEventType.TASK_FAILED, HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED})


def utc_now() -> datetime:
    """The current time, always timezone-aware: mixing naive and aware stamps breaks the SDK's replay."""
    return datetime.now(UTC)


def format_timestamp(moment: datetime) -> str:
    """Newtonsoft's UTC form with seven fractional digits and a ``Z``, as the extension writes it."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def parse_timestamp(text: str) -> datetime:
    """Read an action's ``fireAt`` or a stored stamp; fractions beyond microseconds are dropped."""
    main, _, fraction = text.rstrip("Z").partition(".")
    fraction = fraction.split("+")[0][:6]
    moment = datetime.fromisoformat(f"{main}.{fraction or '0'}")
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def event(event_type: HistoryEventType, moment: datetime, event_id: int = -1, **fields: Any) -> Event:
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
