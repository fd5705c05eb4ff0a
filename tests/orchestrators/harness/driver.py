"""Call a real orchestrator through the SDK the way the embedded host does, one episode at a time.

The trigger payload, the reading of the SDK's state (errors included) and every scheduling decision
come from devhost (`devhost.episode`, `devhost.decisions`): the harness adds only what a test needs
on top, namely delivering one result at a time, a controllable clock, and entity calls run in-process.
"""

import copy
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from devhost.episode import EpisodeOutput, build_payload, episode_output, read_state
from devhost.history import Event

# (name, input) -> result; raising an exception fails the activity like the worker reports it.
Activities = Callable[[str, Any], Any]


@dataclass
class Work:
    """Something the orchestration waits on: an activity, a timer or an entity call."""

    id: int
    kind: str  # "activity" | "timer" | "entity"
    name: str  # activity name, entity operation, "timer" or "retry timer"
    input: Any = None
    fire_at: datetime | None = None
    entity: str | None = None  # scheduler id, "@conversation@<key>"
    request_id: str | None = None


@dataclass
class Episode:
    """What one call of the orchestrator returned, and what the host started because of it."""

    started_at: datetime
    new_actions: list[dict[str, Any]]  # top-level actions first seen now (compound ones nested)
    scheduled: list[Work]  # work started now (retry timers and attempts included), with sequence ids
    actions: list[dict[str, Any]]  # every action so far, flattened
    custom_status: Any
    done: bool
    output: Any
    error: str | None


@dataclass
class Recording:
    """A finished run's history and final state, for replay tests (stored as JSON)."""

    instance_id: str
    input_text: str
    history: list[Event]
    state: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, indent=1)

    @classmethod
    def from_json(cls, text: str) -> "Recording":
        return cls(**json.loads(text))


def invoke(handle: Callable[[Any], str], payload: str) -> tuple[dict[str, Any], str | None]:
    """Call an orchestrator handle as the host does; (OrchestratorState, unhandled error).

    Stricter than the host: a completion the SDK cannot match to a task it scheduled (sequence ids out
    of step) fails the test instead of being a warning.
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        state, error = read_state(lambda: handle(func.OrchestrationContext(payload)))
    strays = [str(w.message) for w in caught if "duplicate Task completion" in str(w.message)]
    if strays:
        raise AssertionError(
            f"the SDK got a completion it never scheduled (sequence ids out of step): {strays}"
        )
    return state, error


def replay(orchestrator: Callable[..., Any], recording: Recording) -> EpisodeOutput:
    """Replay a recorded history in one call; returns what the code decides now (actions flattened)."""
    handle = df.Orchestrator.create(orchestrator)
    history = copy.deepcopy(recording.history)
    payload = build_payload(recording.instance_id, None, recording.input_text, [], history)
    return episode_output(*invoke(handle, payload))
