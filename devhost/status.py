"""Status payloads in the extension's ``StatusResponsePayload`` shape (protocol §6.2, §7).

The history (``showHistory=true``) is rewritten exactly as the Durable extension does it in
``DurableClient.GetDurableOrchestrationStatusAsync`` (Azure/azure-functions-durable-extension,
``src/WebJobs.Extensions.DurableTask/ContextImplementations/DurableClient.cs``, v2.10 and later;
read at a7c6d69), so the app never meets a field locally that Azure does not send:

- every event: ``EventType`` as its name, ``EventId`` and ``IsPlayed`` removed, ``Input`` removed
  unless ``showInput`` (the HTTP API's default is true, and the Python SDK never sends false);
- OrchestratorStarted / OrchestratorCompleted: removed;
- TaskScheduled / SubOrchestrationInstanceCreated: ``Version`` removed; once completed, removed
  and folded into the completion, which gets ``ScheduledTime``, ``FunctionName`` and (with
  ``showInput``) the scheduling event's ``Input``, and loses ``TaskScheduledId``;
- TaskCompleted / SubOrchestrationInstanceCompleted / ExecutionCompleted: ``Result`` only with
  ``showHistoryOutput``, then parsed from JSON text (TaskFailed keeps ``Reason`` / ``Details``);
- ExecutionStarted: ``Name`` becomes ``FunctionName``; ``OrchestrationInstance``, ``ParentInstance``,
  ``Version`` and ``Tags`` removed; ExecutionCompleted's ``OrchestrationStatus`` as a name;
- TimerFired: ``TimerId`` removed. TimerCreated is not folded: a fired timer shows both events;
- EventRaised, EventSent, ExecutionTerminated and the rest: as stored (``Input`` kept, as raw text).

Activity and sub-orchestration inputs are not in Azure's stored history at all unless host.json
sets ``durableTask.storeInputsInOrchestrationHistory`` (DurableTask.Core's
``TaskOrchestrationDispatcher.IncludeParameters``); the template does not, so the folded ``Input``
is null. devhost leaves out the fields DurableTask.Core would serialise as null (``Tags``,
``ParentTraceContext``, ...) and does not add any. No history is shown for a Pending instance.
"""

import json
from datetime import UTC, datetime
from typing import Any

from azure.durable_functions.models.history import HistoryEventType
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from devhost.history import completion_id
from devhost.state import InstanceRecord

E = HistoryEventType
# host.json durableTask.storeInputsInOrchestrationHistory, whose default (false) the template keeps.
STORE_INPUTS_IN_HISTORY = False
SCHEDULING = frozenset({E.TASK_SCHEDULED, E.SUB_ORCHESTRATION_INSTANCE_CREATED})
# Each completion, and the scheduling event type the extension folds into it.
FOLDS_INTO = {
    E.TASK_COMPLETED: E.TASK_SCHEDULED,
    E.TASK_FAILED: E.TASK_SCHEDULED,
    E.SUB_ORCHESTRATION_INSTANCE_COMPLETED: E.SUB_ORCHESTRATION_INSTANCE_CREATED,
    E.SUB_ORCHESTRATION_INSTANCE_FAILED: E.SUB_ORCHESTRATION_INSTANCE_CREATED,
}
WITH_RESULT = {E.TASK_COMPLETED, E.SUB_ORCHESTRATION_INSTANCE_COMPLETED, E.EXECUTION_COMPLETED}
HIDDEN = {E.ORCHESTRATOR_STARTED, E.ORCHESTRATOR_COMPLETED}
REMOVED: dict[int, tuple[str, ...]] = {
    E.TASK_SCHEDULED: ("Version",),
    E.SUB_ORCHESTRATION_INSTANCE_CREATED: ("Version",),
    E.TASK_COMPLETED: ("TaskScheduledId",),
    E.TASK_FAILED: ("TaskScheduledId",),
    E.SUB_ORCHESTRATION_INSTANCE_COMPLETED: ("TaskScheduledId",),
    E.SUB_ORCHESTRATION_INSTANCE_FAILED: ("TaskScheduledId",),
    E.EXECUTION_STARTED: ("Name", "OrchestrationInstance", "ParentInstance", "Version", "Tags"),
    E.TIMER_FIRED: ("TimerId",),
}
# DurableTask.Core's OrchestrationStatus enum, for an ExecutionCompleted that stores the number.
_ORCHESTRATION_STATUSES = (
    "Running", "Completed", "ContinuedAsNew", "Failed", "Canceled", "Terminated", "Pending", "Suspended",
)  # fmt: skip


def _time(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _json_or_none(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _event_name(event_type: int) -> str:
    """The extension's name for an event type: the SDK's member name in PascalCase."""
    return "".join(part.title() for part in HistoryEventType(event_type).name.split("_"))


def _parsed(text: Any) -> Any:
    """The extension's ``ParseToJToken``: JSON text parsed, blank as "", anything else kept as text."""
    if not isinstance(text, str):
        return text
    if not text.strip():
        return ""
    try:
        return json.loads(text)
    except ValueError:
        return text


def _shown(
    evt: dict[str, Any], origin: dict[str, Any] | None, show_input: bool, show_output: bool
) -> dict[str, Any]:
    """One stored event as the extension shows it; ``origin`` is the scheduling event it folds in."""
    kind = evt["EventType"]
    dropped = {"EventId", "IsPlayed", *REMOVED.get(kind, ())}
    entry = {k: v for k, v in evt.items() if k not in dropped}
    entry["EventType"] = _event_name(kind)
    if kind in SCHEDULING and not STORE_INPUTS_IN_HISTORY:
        entry["Input"] = None
    if origin is not None:
        entry["ScheduledTime"] = origin["Timestamp"]
        entry["FunctionName"] = origin.get("Name")
        entry["Input"] = origin.get("Input") if STORE_INPUTS_IN_HISTORY else None
    if kind == E.EXECUTION_STARTED:
        entry["FunctionName"] = evt.get("Name")
    if kind == E.EXECUTION_COMPLETED and isinstance(entry.get("OrchestrationStatus"), int):
        entry["OrchestrationStatus"] = _ORCHESTRATION_STATUSES[entry["OrchestrationStatus"]]
    if kind in WITH_RESULT:
        if show_output:
            entry["Result"] = _parsed(entry.get("Result"))
        else:
            entry.pop("Result", None)
    if not show_input:
        entry.pop("Input", None)
    return entry


def _origin_key(completion: dict[str, Any]) -> tuple[int, int | None]:
    """The (type, EventId) of the scheduling event a completion finishes."""
    return FOLDS_INTO[completion["EventType"]], completion_id(completion)


def history_events(stored: list[str], show_output: bool, show_input: bool = True) -> list[dict[str, Any]]:
    """The history as the extension shows it: completed scheduling events folded into their completions."""
    events = [json.loads(text) for text in stored]
    scheduled = {(e["EventType"], e["EventId"]): e for e in events if e["EventType"] in SCHEDULING}
    folded = {_origin_key(e) for e in events if e["EventType"] in FOLDS_INTO}
    shown = []
    for evt in events:
        kind = evt["EventType"]
        if kind in HIDDEN or (kind in SCHEDULING and (kind, evt["EventId"]) in folded):
            continue
        origin = scheduled.get(_origin_key(evt)) if kind in FOLDS_INTO else None
        shown.append(_shown(evt, origin, show_input, show_output))
    return shown


def status_payload(
    record: InstanceRecord,
    *,
    show_input: bool,
    history: list[str] | None = None,
    show_history_output: bool = False,
) -> dict[str, Any]:
    """One instance's status; ``history`` (stored events) is included when given, unless Pending."""
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
    if history is not None and record.status is not OrchestrationRuntimeStatus.Pending:
        payload["historyEvents"] = history_events(history, show_history_output, show_input)
    return payload
