"""History records → the run's public timeline of `{seq, at, type, name, detail}` events.

Internal plumbing (orchestrator episodes, entity request/response messages) is left out; each
agent or tool step says which agent or tool it ran, so the timeline reads like the story of the run.
"""

import re
from collections.abc import Callable
from typing import Any

from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.graph_timeline import Mapped, graph_step_events
from api.history import Record, records, without_details
from api.models import EventType, RunEvent
from orchestrators.contract import RUN_TOOL

TIMER = "timer"
# Entity calls answer through an event named after the request's GUID: plumbing, not a user event.
_REQUEST_ID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def timeline(status: DurableOrchestrationStatus) -> list[RunEvent]:
    """Every public event of the run, numbered from 1 in the order they happened."""
    events: list[RunEvent] = []
    terminated = False
    for record in records(status):
        mapped = graph_step_events(record)
        if mapped is None:
            one = _public(record, terminated)
            mapped = [one] if one else []
        for kind, name, detail in mapped:
            terminated = terminated or kind == "run_terminated"
            events.append(RunEvent(seq=len(events) + 1, at=record.at, type=kind, name=name, detail=detail))
    return events


def subject(activity: str, payload: Any) -> dict[str, Any]:
    """Which agent or tool a step ran (and an agent step's token stream), from its input or result."""
    if not isinstance(payload, dict):
        return {}
    if isinstance(payload.get("agent"), str):
        step = payload.get("step")
        return {"agent": payload["agent"]} | ({"step": step} if isinstance(step, str) else {})
    if isinstance(payload.get("tool"), str):
        return {"tool": payload["tool"]}
    if activity == RUN_TOOL and isinstance(payload.get("name"), str):
        return {"tool": payload["name"]}
    return {}


def _public(record: Record, terminated: bool) -> Mapped | None:
    if record.kind == "ExecutionCompleted":
        return _ended(record, terminated)
    mapper = _MAPPERS.get(record.kind)
    return mapper(record) if mapper else None


def _scheduled(record: Record) -> Mapped:
    detail = subject(record.name, record.input) or subject(record.name, record.result)
    return "step_scheduled", record.name, detail | record.extra


def _completed(record: Record) -> Mapped:
    detail = subject(record.name, record.result) or subject(record.name, record.input)
    return "step_completed", record.name, detail


def _failed(record: Record) -> Mapped:
    detail = subject(record.name, record.input) | {"error": record.reason or "step failed"}
    return "step_failed", record.name, detail


def _timer(kind: EventType) -> Callable[[Record], Mapped]:
    return lambda record: (kind, TIMER, {"fireAt": record.fire_at} if record.fire_at else {})


def _event(record: Record) -> Mapped | None:
    if _REQUEST_ID.fullmatch(record.name):
        return None
    data = record.input
    detail = data if isinstance(data, dict) else ({} if data is None else {"data": data})
    return "event_received", record.name, detail


def _started(record: Record) -> Mapped:
    return "run_started", record.name, {}


def _execution_failed(record: Record) -> Mapped:
    message = record.reason or _text(record.result)
    return "run_failed", "run", {"error": without_details(message) if message else "run failed"}


def _execution_terminated(record: Record) -> Mapped:
    return _terminated(record.input)


def _terminated(reason: Any) -> Mapped:
    text = _text(reason)
    return "run_terminated", "run", {"reason": text} if text else {}


def _ended(record: Record, terminated: bool) -> Mapped | None:
    """ExecutionCompleted carries the final status; a termination already shown is not repeated."""
    if record.outcome == "Failed":
        return _execution_failed(record)
    if record.outcome in ("Terminated", "Canceled"):
        return None if terminated else _terminated(record.result)
    if record.outcome == "ContinuedAsNew":
        return None
    return "run_completed", "run", {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


_MAPPERS: dict[str, Callable[[Record], Mapped | None]] = {
    "ExecutionStarted": _started,
    "TaskScheduled": _scheduled,
    "SubOrchestrationInstanceCreated": _scheduled,
    "TaskCompleted": _completed,
    "SubOrchestrationInstanceCompleted": _completed,
    "TaskFailed": _failed,
    "SubOrchestrationInstanceFailed": _failed,
    "TimerCreated": _timer("timer_started"),
    "TimerFired": _timer("timer_fired"),
    "EventRaised": _event,
    "ExecutionFailed": _execution_failed,
    "ExecutionTerminated": _execution_terminated,
}
