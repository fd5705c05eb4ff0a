"""Drive a real orchestrator through the SDK, episode by episode, the way the Functions host does.

Each episode rebuilds the whole history, calls the handle `df.Orchestrator.create(fn)` returns with
a fresh `func.OrchestrationContext`, and reads the returned actions. Actions are cumulative, so only
the ones beyond those already seen are new; each id-consuming action takes the next sequence id and
gets its scheduling event (TaskScheduled, TimerCreated, EventSent). Completions are delivered one per
episode, and `call_activity_with_retry` is retried host-side with DTFx's timers, final "dummy" timer
included. Entity calls run the real entity function through `df.Entity.create`.
"""

import copy
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import azure.durable_functions as df
import azure.functions as func

MARKER = "\n\n$OutOfProcData$:"
WAIT_FOR_EVENT, CREATE_TIMER, CALL_ENTITY = 6, 5, 7
ACTIVITY_ACTIONS = (0, 1)

# (name, input) -> result; raising an exception fails the activity like the worker reports it.
Activities = Callable[[str, Any], Any]


@dataclass
class Work:
    """Something the orchestration waits on: an activity, a timer or an entity call."""

    id: int
    kind: str  # "activity" | "timer" | "entity"
    name: str  # activity name, entity operation, or "timer"
    input: Any = None
    fire_at: datetime | None = None
    entity: str | None = None  # scheduler id, "@conversation@<key>"
    request_id: str | None = None


@dataclass
class Episode:
    """What one call of the orchestrator returned, and what the host started because of it."""

    started_at: datetime
    new_actions: list[dict[str, Any]]  # top-level actions first seen now (compound ones nested)
    scheduled: list[Work]  # work started now, with sequence ids
    actions: list[dict[str, Any]]  # every action so far, flattened
    custom_status: Any
    done: bool
    output: Any
    error: str | None


@dataclass
class RetryState:
    """A `call_activity_with_retry` the host is retrying (DTFx's RetryInterceptor)."""

    name: str
    input_text: str
    max_attempts: int
    interval: timedelta
    attempts: int = 1
    last: bool = False


@dataclass
class Recording:
    """A finished run's history and final state, for replay tests (stored as JSON)."""

    instance_id: str
    input_text: str
    history: list[dict[str, Any]]
    state: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Recording":
        return cls(**json.loads(text))


def invoke(handle: Callable[[Any], str], payload: dict[str, Any]) -> dict[str, Any]:
    """Call an orchestrator handle; returns its OrchestratorState, also when the orchestrator raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            state = json.loads(handle(func.OrchestrationContext(json.dumps(payload))))
        except Exception as error:
            if MARKER not in str(error):
                raise
            state = json.loads(str(error).split(MARKER, 1)[1])
    strays = [str(w.message) for w in caught if "duplicate Task completion" in str(w.message)]
    if strays:
        raise AssertionError(
            f"the SDK got a completion it never scheduled (sequence ids out of step): {strays}"
        )
    return state


def trigger_payload(instance_id: str, input_text: str, history: list[dict[str, Any]]) -> dict[str, Any]:
    """The orchestration trigger's JSON (replay schema V3, no long-timer splitting)."""
    return {
        "history": history,
        "input": input_text,
        "instanceId": instance_id,
        "isReplaying": False,
        "parentInstanceId": None,
        "upperSchemaVersion": 1,
        "upperSchemaVersionNew": 2,
    }


def replay(orchestrator: Callable[..., Any], recording: Recording) -> dict[str, Any]:
    """Replay a recorded history in one call; returns the OrchestratorState the code produces now."""
    handle = df.Orchestrator.create(orchestrator)
    history = copy.deepcopy(recording.history)
    return invoke(handle, trigger_payload(recording.instance_id, recording.input_text, history))
