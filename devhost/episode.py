"""One orchestrator episode: build the trigger payload, call the SDK handler, read its output (§2)."""

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import azure.functions as func
from azure.durable_functions.models.actions import ActionType

from devhost.history import Event

ERROR_MARKER = "\n\n$OutOfProcData$:"
COMPOUND_ACTIONS = (ActionType.WHEN_ANY, ActionType.WHEN_ALL)


@dataclass(frozen=True)
class EpisodeOutput:
    """What one call of an orchestrator handler produced."""

    actions: list[dict[str, Any]]  # cumulative, flattened in yield order
    is_done: bool
    output: Any
    error: str | None
    has_custom_status: bool
    custom_status: Any


def flatten(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Expand WhenAny/WhenAll into their children, in order: that is the order ids are allocated in."""
    flat: list[dict[str, Any]] = []
    for action in actions:
        if action["actionType"] in COMPOUND_ACTIONS:
            flat.extend(flatten(action["compoundActions"]))
        else:
            flat.append(action)
    return flat


def build_payload(
    instance_id: str,
    parent_instance_id: str | None,
    input_text: str | None,
    played: list[str],
    new_events: list[Event],
) -> str:
    """The extension's ``OrchestrationContextToString``; played events arrive pre-serialised (cached).

    The long-timer fields are left out on purpose so timers stay plain (protocol §2.1).
    """
    history = ",".join([*played, *(json.dumps(e) for e in new_events)])
    rest = json.dumps(
        {
            "input": input_text,
            "instanceId": instance_id,
            "isReplaying": False,
            "parentInstanceId": parent_instance_id,
            "upperSchemaVersion": 1,
            "upperSchemaVersionNew": 2,
        }
    )
    return f'{{"history": [{history}], {rest[1:]}'


def episode_output(state: dict[str, Any], error: str | None) -> EpisodeOutput:
    """An OrchestratorState (and the unhandled error, if any) as this host reads it."""
    actions = state.get("actions") or [[]]
    return EpisodeOutput(
        actions=flatten(actions[0] if actions else []),
        is_done=bool(state.get("isDone")),
        output=state.get("output"),
        error=error if error is not None else state.get("error"),
        has_custom_status="customStatus" in state,
        custom_status=state.get("customStatus"),
    )


def run_orchestrator(handler: Callable[[Any], str], payload: str) -> EpisodeOutput:
    """Call the handle positionally, as the worker does."""
    return read_output(lambda: handler(func.OrchestrationContext(payload)))


def read_output(produce_state: Callable[[], str]) -> EpisodeOutput:
    """Read the SDK's OrchestratorState JSON; an unhandled error arrives as an exception (protocol §2.6)."""
    return episode_output(*read_state(produce_state))


def read_state(produce_state: Callable[[], str]) -> tuple[dict[str, Any], str | None]:
    """The OrchestratorState the SDK produced, as JSON, and the unhandled error if the orchestrator raised.

    The SDK raises the error with its state appended after ``$OutOfProcData$``; an exception without
    that marker (the SDK itself failed) leaves no state, only the message.
    """
    try:
        return json.loads(produce_state()), None
    except Exception as exc:
        message = str(exc)
        if ERROR_MARKER not in message:
            return {}, message
        text, _, state_json = message.partition(ERROR_MARKER)
        state: dict[str, Any] = json.loads(state_json)
        return state, state.get("error") or text
