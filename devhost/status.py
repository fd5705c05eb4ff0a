"""Status payloads in the extension's ``StatusResponsePayload`` shape (protocol §6.2, §7)."""

import json
from datetime import UTC, datetime
from typing import Any

from azure.durable_functions.models.history import HistoryEventType

from devhost.history import completion_id
from devhost.state import InstanceRecord

SCHEDULING = {
    HistoryEventType.TASK_SCHEDULED,
    HistoryEventType.SUB_ORCHESTRATION_INSTANCE_CREATED,
    HistoryEventType.TIMER_CREATED,
}
HIDDEN = {HistoryEventType.ORCHESTRATOR_STARTED, HistoryEventType.ORCHESTRATOR_COMPLETED}
OUTPUT_FIELDS = ("Input", "Result")


def _time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_or_none(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _event_name(event_type: int) -> str:
    """The extension's name for an event type: the SDK's member name in PascalCase."""
    return "".join(part.title() for part in HistoryEventType(event_type).name.split("_"))


def history_events(stored: list[str], show_output: bool) -> list[dict[str, Any]]:
    """The history as the extension shows it: scheduling events folded into their completions."""
    events = [json.loads(text) for text in stored]
    scheduled = {e["EventId"]: e for e in events if e["EventType"] in SCHEDULING}
    completed = {completion_id(e) for e in events} - {None}
    shown = []
    for evt in events:
        kind = evt["EventType"]
        if kind in HIDDEN or (kind in SCHEDULING and evt["EventId"] in completed):
            continue
        entry = {
            k: v for k, v in evt.items() if k not in ("EventType", "IsPlayed") and k not in OUTPUT_FIELDS
        }
        entry = {"EventType": _event_name(kind), **entry}
        origin = scheduled.get(completion_id(evt))
        if origin is not None:
            entry["ScheduledTime"] = origin["Timestamp"]
            if origin.get("Name"):
                entry["FunctionName"] = origin["Name"]
        if kind == HistoryEventType.EXECUTION_STARTED:
            entry["FunctionName"] = evt["Name"]
        if show_output:
            entry.update({k: evt[k] for k in OUTPUT_FIELDS if k in evt})
        shown.append(entry)
    return shown


def status_payload(
    record: InstanceRecord,
    *,
    show_input: bool,
    history: list[str] | None = None,
    show_history_output: bool = False,
) -> dict[str, Any]:
    """One instance's status; ``history`` (stored events) is included when given."""
    payload: dict[str, Any] = {
        "name": record.name,
        "instanceId": record.instance_id,
        "runtimeStatus": record.status.value,
        "input": record.input if show_input else None,
        "customStatus": _json_or_none(record.custom_status),
        "output": _json_or_none(record.output),
        "createdTime": _time(record.created),
        "lastUpdatedTime": _time(record.updated),
    }
    if history is not None:
        payload["historyEvents"] = history_events(history, show_history_output)
    return payload
