"""Durable history → an ordered list of plain records, whichever form the status API used.

`get_status(..., show_history=True)` returns the history under `historyEvents` (`.history` stays
None). The real extension rewrites it (devhost/status.py does the same): EventType as a name,
Orchestrator{Started,Completed} and all ids dropped, and each TaskScheduled folded into its
completion (`FunctionName`, `ScheduledTime`). Activity inputs are null (Azure stores them only with
storeInputsInOrchestrationHistory); event, start and terminate inputs are kept (the SDK never sends
showInput=false). A raw DurableTask history (integer EventType, TaskScheduled kept, linked by
`TaskScheduledId`) is accepted too. Folding moves events around as steps finish, so records are
re-expanded and ordered by timestamp: a timeline built from them keeps its order across calls.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from orchestrators.payloads import json_value

# DurableTask.Core's EventType enum, for histories that carry the number instead of the name.
_EVENT_NAMES = (
    "ExecutionStarted", "ExecutionCompleted", "ExecutionFailed", "ExecutionTerminated", "TaskScheduled",
    "TaskCompleted", "TaskFailed", "SubOrchestrationInstanceCreated", "SubOrchestrationInstanceCompleted",
    "SubOrchestrationInstanceFailed", "TimerCreated", "TimerFired", "OrchestratorStarted",
    "OrchestratorCompleted", "EventSent", "EventRaised", "ContinueAsNew", "GenericEvent", "HistoryState",
    "ExecutionSuspended", "ExecutionResumed",
)  # fmt: skip
# DurableTask.Core's OrchestrationStatus enum, as ExecutionCompleted may carry it.
_ORCHESTRATION_STATUSES = (
    "Running", "Completed", "ContinuedAsNew", "Failed", "Canceled", "Terminated", "Pending", "Suspended",
)  # fmt: skip
SCHEDULING = frozenset({"TaskScheduled", "SubOrchestrationInstanceCreated"})
COMPLETING = frozenset(
    {"TaskCompleted", "TaskFailed", "SubOrchestrationInstanceCompleted", "SubOrchestrationInstanceFailed"}
)
_TIMESTAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)?$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Record:
    """One history event reduced to what the API reads; `ticks` (100 ns since 1970) orders records."""

    kind: str
    ticks: int
    name: str = ""
    input: Any = None
    result: Any = None
    reason: str | None = None
    fire_at: str | None = None
    outcome: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # Pairs a step's scheduling with its completion: EventId / TaskScheduledId, or negative when made up.
    task_id: int | None = None

    @property
    def at(self) -> str:
        """The record's time as ISO 8601 UTC."""
        moment = _EPOCH + timedelta(microseconds=self.ticks // 10)
        return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")


def history_events(status: DurableOrchestrationStatus) -> list[dict[str, Any]]:
    """The raw history array of a status fetched with history (empty when there is none yet)."""
    events = getattr(status, "historyEvents", None) or status.history or []
    return [event for event in events if isinstance(event, dict)]


def records(status: DurableOrchestrationStatus) -> list[Record]:
    """The run's history as records in the order the events happened."""
    scheduled: dict[int, Record] = {}
    result: list[Record] = []
    last_ticks = 0
    for event in history_events(status):
        kind = event_kind(event.get("EventType"))
        last_ticks = _ticks(event.get("Timestamp"), last_ticks)
        record = _record(kind, last_ticks, event)
        if kind in SCHEDULING and isinstance(event.get("EventId"), int):
            scheduled[event["EventId"]] = record
        elif kind in SCHEDULING and record.task_id is None:
            # The folded form keeps a running step's scheduling without its id: a step all the same,
            # numbered where its completion's ScheduledTime will put it, so step numbers stay put.
            record.task_id = -1 - len(result)
        if kind in COMPLETING:
            if record.task_id is None:  # a folded history without TaskScheduledId: pair by position
                record.task_id = -1 - len(result)
            result.extend(_with_scheduling(record, event, scheduled))
        else:
            result.append(record)
    # Stable sort: equal times keep the order the history gave them.
    return sorted(result, key=lambda r: r.ticks)


def without_details(message: str) -> str:
    """A failure's message without the host's "Details" the durable SDK appends after " \n ".

    The SDK words an activity's failure as f"{Reason} \n {Details}"; Details is a serialized .NET
    exception in Azure (a long JSON document) and "None" on the embedded host. The reason already
    names the activity, the Python exception type and its message.
    """
    return message.split(" \n ", 1)[0].rstrip()


def _record(kind: str, ticks: int, event: dict[str, Any]) -> Record:
    outcome = event.get("OrchestrationStatus")
    if isinstance(outcome, int) and 0 <= outcome < len(_ORCHESTRATION_STATUSES):
        outcome = _ORCHESTRATION_STATUSES[outcome]
    return Record(
        kind=kind,
        ticks=ticks,
        name=str(event.get("FunctionName") or event.get("Name") or ""),
        input=_input(kind, event.get("Input")),
        result=json_value(event.get("Result")),
        reason=_failure_reason(event),
        fire_at=event.get("FireAt"),
        outcome=outcome if isinstance(outcome, str) else None,
        extra={"instanceId": event["InstanceId"]} if event.get("InstanceId") else {},
        task_id=_task_id(kind, event),
    )


def _input(kind: str, text: Any) -> Any:
    """A history event's input; a raised event's decoded once more, as orchestrators read it
    (`orchestrators.payloads`): the SDK's client delivers its payload as JSON text inside JSON."""
    value = json_value(text)
    return json_value(value) if kind == "EventRaised" else value


def _with_scheduling(record: Record, event: dict[str, Any], scheduled: dict[int, Record]) -> list[Record]:
    """A completion plus, for the extension's folded form, the scheduling record it swallowed."""
    task_id = event.get("TaskScheduledId")
    origin = scheduled.get(task_id) if isinstance(task_id, int) else None
    if origin is not None:
        record.name = record.name or origin.name
        record.input = origin.input
        return [record]
    if "ScheduledTime" not in event:
        return [record]
    kind = "TaskScheduled" if record.kind.startswith("Task") else "SubOrchestrationInstanceCreated"
    # The folded form has no step input (null); its result still says which agent or tool ran.
    synthetic = Record(
        kind=kind,
        ticks=_ticks(event["ScheduledTime"], record.ticks),
        name=record.name,
        result=record.result,
        task_id=record.task_id,
    )
    return [synthetic, record]


def _task_id(kind: str, event: dict[str, Any]) -> int | None:
    value = event.get("EventId") if kind in SCHEDULING else event.get("TaskScheduledId")
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _failure_reason(event: dict[str, Any]) -> str | None:
    reason = event.get("Reason")
    details = event.get("FailureDetails")
    if not reason and isinstance(details, dict):
        reason = details.get("ErrorMessage")
    return str(reason) if reason else None


def event_kind(value: Any) -> str:
    """A history event's type by name, whether the history carries the name or DurableTask's number."""
    if isinstance(value, int) and 0 <= value < len(_EVENT_NAMES):
        return _EVENT_NAMES[value]
    return str(value)


def _ticks(value: Any, fallback: int) -> int:
    """100 ns ticks since 1970 for an ISO timestamp; all seven fractional digits count."""
    match = _TIMESTAMP.match(value) if isinstance(value, str) else None
    if match is None:
        return fallback
    base, fraction, zone = match.groups()
    moment = datetime.fromisoformat(base + ("+00:00" if zone in (None, "Z") else zone))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = int((moment - _EPOCH).total_seconds())
    return seconds * 10_000_000 + int(((fraction or "") + "0000000")[:7])
