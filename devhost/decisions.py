"""Turn one episode's output into history events and work, mirroring the SDK's sequence ids (protocol §2.4).

Pure bookkeeping: no I/O. The caller commits the decision in one transaction and dispatches the work.
"""

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from azure.durable_functions.models.actions import ActionType
from azure.durable_functions.models.history import HistoryEventType
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from devhost.determinism import ENTITY_ACTIONS, action_identity, find_mismatch, id_actions
from devhost.durable_http import HTTP_ACTIVITY
from devhost.episode import EpisodeOutput
from devhost.history import Event, completion_id, event, format_timestamp
from devhost.state import Bookkeeping, RetryState
from devhost.work import ActivityWork, ChildWork, EntityWork, TimerWork, Work

RETRY_KINDS = {
    ActionType.CALL_ACTIVITY_WITH_RETRY: "activity",
    ActionType.CALL_SUB_ORCHESTRATOR_WITH_RETRY: "orchestrator",
}


@dataclass(frozen=True)
class Execution:
    """The execution an episode belongs to."""

    instance_id: str
    execution_id: str
    orchestrator: str


@dataclass
class Decision:
    """History to append, work to start and how the execution ends (if it does)."""

    events: list[Event] = field(default_factory=list)
    work: list[Work] = field(default_factory=list)
    cancelled_timers: list[int] = field(default_factory=list)
    outcome: OrchestrationRuntimeStatus = (
        OrchestrationRuntimeStatus.Running
    )  # or Completed, Failed, ContinuedAsNew
    output: Any = None  # Completed: the value; Failed: the message; ContinuedAsNew: the new input text
    exhausted_retry: int | None = None  # the "dummy" timer id when a with-retry call's last attempt failed


def child_instance_id(execution: Execution, sequence_id: int) -> str:
    """A unique id for a sub-orchestration the orchestrator did not name (the extension uses a GUID too)."""
    return f"{execution.instance_id}:{execution.execution_id[:8]}:{sequence_id}"


def _schedule_activity(
    decision: Decision, now: datetime, sequence_id: int, name: str, text: str | None
) -> None:
    decision.events.append(
        event(HistoryEventType.TASK_SCHEDULED, now, sequence_id, Name=name, Version="", Input=text)
    )
    decision.work.append(ActivityWork(sequence_id, name, text))


def _schedule_child(
    decision: Decision,
    now: datetime,
    sequence_id: int,
    name: str,
    child_id: str,
    text: str | None,
    version: Any,
) -> None:
    decision.events.append(
        event(
            HistoryEventType.SUB_ORCHESTRATION_INSTANCE_CREATED,
            now,
            sequence_id,
            Name=name,
            Version="",
            InstanceId=child_id,
            Input=text,
        )
    )
    decision.work.append(ChildWork(sequence_id, name, child_id, text, version))


def _schedule_timer(decision: Decision, now: datetime, sequence_id: int, fire_at: str) -> None:
    decision.events.append(event(HistoryEventType.TIMER_CREATED, now, sequence_id, FireAt=fire_at))
    decision.work.append(TimerWork(sequence_id, fire_at))


def _schedule_entity(decision: Decision, now: datetime, sequence_id: int, action: dict[str, Any]) -> None:
    request_id = str(uuid.uuid4())
    is_signal = action["actionType"] == ActionType.SIGNAL_ENTITY
    message = {"op": action["operation"], "signal": is_signal, "id": request_id, "input": action.get("input")}
    decision.events.append(
        event(
            HistoryEventType.EVENT_SENT,
            now,
            sequence_id,
            Name="op",
            InstanceId=action["instanceId"],
            Input=json.dumps(message),
        )
    )
    decision.work.append(
        EntityWork(
            action["instanceId"], action["operation"], action.get("input"), None if is_signal else request_id
        )
    )


def _retry_state(action: dict[str, Any], kind: str) -> RetryState:
    options = action["retryOptions"]
    return RetryState(
        kind=kind,
        name=action["functionName"],
        input=action.get("input"),
        max_attempts=int(options["maxNumberOfAttempts"]),
        interval_ms=int(options["firstRetryIntervalInMilliseconds"]),
        instance_id=action.get("instanceId"),
        version=action.get("version"),
    )


def _schedule_action(
    book: Bookkeeping, decision: Decision, execution: Execution, now: datetime, action: dict[str, Any]
) -> None:
    """Give a new action its sequence id, its scheduling event and its work."""
    action_type = action["actionType"]
    sequence_id = book.allocate()
    book.log.append((sequence_id, *action_identity(action)))
    if action_type in (ActionType.CALL_ACTIVITY, ActionType.CALL_ACTIVITY_WITH_RETRY):
        _schedule_activity(decision, now, sequence_id, action["functionName"], action.get("input"))
        book.open[sequence_id] = "activity"
    elif action_type in (ActionType.CALL_SUB_ORCHESTRATOR, ActionType.CALL_SUB_ORCHESTRATOR_WITH_RETRY):
        child_id = action.get("instanceId") or child_instance_id(execution, sequence_id)
        _schedule_child(
            decision,
            now,
            sequence_id,
            action["functionName"],
            child_id,
            action.get("input"),
            action.get("version"),
        )
        book.open[sequence_id] = "orchestrator"
    elif action_type == ActionType.CREATE_TIMER and action.get("isCanceled"):
        # created and cancelled in one episode: recorded, never scheduled
        decision.events.append(
            event(HistoryEventType.TIMER_CREATED, now, sequence_id, FireAt=action["fireAt"])
        )
    elif action_type == ActionType.CREATE_TIMER:
        _schedule_timer(decision, now, sequence_id, action["fireAt"])
        book.open[sequence_id] = "timer"
    elif action_type in ENTITY_ACTIONS:
        _schedule_entity(decision, now, sequence_id, action)
    else:  # CALL_HTTP: the extension's built-in activity sends it (devhost/durable_http.py)
        request_text = json.dumps([action["httpRequest"]])  # scheduled with the request as its one argument
        _schedule_activity(decision, now, sequence_id, HTTP_ACTIVITY, request_text)
        book.open[sequence_id] = "activity"
    if action_type in RETRY_KINDS:
        book.retries[sequence_id] = _retry_state(action, RETRY_KINDS[action_type])


def apply_retry_event(
    book: Bookkeeping, decision: Decision, execution: Execution, now: datetime, evt: Event
) -> None:
    """DTFx's RetryInterceptor: failure -> retry timer (a due-now "dummy" after the last try) -> retry."""
    sequence_id = completion_id(evt)
    if sequence_id is None or sequence_id not in book.retries:
        return
    retry = book.retries.pop(sequence_id)
    if evt["EventType"] in (HistoryEventType.TASK_FAILED, HistoryEventType.SUB_ORCHESTRATION_INSTANCE_FAILED):
        retry.last = retry.attempts >= retry.max_attempts
        delay = timedelta(0) if retry.last else timedelta(milliseconds=retry.interval_ms)
        timer_id = book.allocate()
        if retry.last:
            decision.exhausted_retry = timer_id
        _schedule_timer(decision, now, timer_id, format_timestamp(now + delay))
        book.open[timer_id] = "timer"
        book.retries[timer_id] = retry
    elif evt["EventType"] == HistoryEventType.TIMER_FIRED and not retry.last:
        attempt_id = book.allocate()
        retry.attempts += 1
        if retry.kind == "activity":
            _schedule_activity(decision, now, attempt_id, retry.name, retry.input)
        else:
            child_id = retry.instance_id or child_instance_id(execution, attempt_id)
            _schedule_child(decision, now, attempt_id, retry.name, child_id, retry.input, retry.version)
        book.open[attempt_id] = retry.kind
        book.retries[attempt_id] = retry


def is_retry_event(book: Bookkeeping, evt: Event) -> bool:
    """Events that make the SDK allocate retry ids; one per episode, delivered first."""
    sequence_id = completion_id(evt)
    return (
        sequence_id in book.retries
        and evt["EventType"] != HistoryEventType.TASK_COMPLETED
        and evt["EventType"] != HistoryEventType.SUB_ORCHESTRATION_INSTANCE_COMPLETED
    )


def _cancelled_timers(book: Bookkeeping, actions: list[dict[str, Any]]) -> list[int]:
    cancelled = []
    for (sequence_id, _, _), action in zip(book.log, actions, strict=False):
        if (
            action["actionType"] == ActionType.CREATE_TIMER
            and action.get("isCanceled")
            and sequence_id in book.open
        ):
            del book.open[sequence_id]
            cancelled.append(sequence_id)
    return cancelled


def decide(
    book: Bookkeeping, execution: Execution, now: datetime, output: EpisodeOutput, retry_event: Event | None
) -> Decision:
    """Apply the retry event, check determinism, schedule the new actions, and settle the outcome."""
    decision = Decision()
    if retry_event is not None:
        apply_retry_event(book, decision, execution, now, retry_event)
    actions = id_actions(output.actions)
    mismatch = find_mismatch(execution.orchestrator, book, actions, complete=output.error is None)
    if mismatch is not None:
        decision.outcome, decision.output = OrchestrationRuntimeStatus.Failed, mismatch
        return decision
    decision.cancelled_timers = _cancelled_timers(book, actions)
    # DTFx stamps each event with the clock when it creates it, so actions scheduled together still
    # get increasing times: a reader ordering a history by time keeps the order they were scheduled in.
    for offset, action in enumerate(actions[len(book.log) :]):
        _schedule_action(book, decision, execution, now + timedelta(microseconds=offset), action)
    continued = next((a for a in output.actions if a["actionType"] == ActionType.CONTINUE_AS_NEW), None)
    if output.error is not None:
        decision.outcome, decision.output = OrchestrationRuntimeStatus.Failed, output.error
    elif continued is not None:
        decision.outcome, decision.output = OrchestrationRuntimeStatus.ContinuedAsNew, continued.get("input")
    elif output.is_done:
        decision.outcome, decision.output = OrchestrationRuntimeStatus.Completed, output.output
    return decision
