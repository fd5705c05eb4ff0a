"""DTFx-shaped history events, as the Durable extension hands them to a Python orchestrator.

Numbers are DurableTask.Core's EventType enum; field names are Newtonsoft's PascalCase; timestamps
are UTC with seven fractional digits and a `Z` (never mix naive and aware times: replay fails).
"""

from datetime import UTC, datetime
from enum import IntEnum
from typing import Any

T0 = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)


class EventType(IntEnum):
    """The history event kinds the harness writes."""

    EXECUTION_STARTED = 0
    TASK_SCHEDULED = 4
    TASK_COMPLETED = 5
    TASK_FAILED = 6
    TIMER_CREATED = 10
    TIMER_FIRED = 11
    ORCHESTRATOR_STARTED = 12
    ORCHESTRATOR_COMPLETED = 13
    EVENT_SENT = 14
    EVENT_RAISED = 15


def timestamp(when: datetime) -> str:
    """`2024-05-01T12:00:00.0000000Z`, the extension's format."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"


def parse_time(text: str) -> datetime:
    """A timestamp or a timer's `fireAt` back to an aware datetime."""
    return datetime.fromisoformat(text)


def event(kind: EventType, when: datetime, event_id: int = -1, **fields: Any) -> dict[str, Any]:
    """One history event; `event_id` is the sequence id for events that schedule something."""
    return {
        "EventType": int(kind),
        "EventId": event_id,
        "IsPlayed": False,
        "Timestamp": timestamp(when),
        **fields,
    }


def execution_started(when: datetime, name: str, instance_id: str, input_text: str) -> dict[str, Any]:
    """ExecutionStarted; `Version` is required by the SDK even when empty."""
    return event(
        EventType.EXECUTION_STARTED,
        when,
        Name=name,
        Version="",
        Input=input_text,
        OrchestrationInstance={"InstanceId": instance_id, "ExecutionId": f"{instance_id}-exec"},
        ParentInstance=None,
        Tags=None,
    )
