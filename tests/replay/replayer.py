"""Replay a recorded history through the SDK's own orchestrator machinery and compare the outcome.

The replay is what the Functions host does on a run's last episode: `df.Orchestrator.create(fn)`
gives the handle, `func.OrchestrationContext(json)` carries the whole history, one call returns the
OrchestratorState with every action scheduled so far (cumulative) and the output.

Two verdicts come out of it, because they answer different questions:
- `differences`: the strict comparison with the recording (each action's kind, name and input, then
  the output). Any behaviour change shows up here, including ones DTFx cannot see.
- `nondeterminism`: what DTFx itself would say when replaying an in-flight run under the new code:
  every sequence id in history must come back with the same kind and name (case-insensitive);
  inputs are not compared. A message here means in-flight runs of that shape would fail.
"""

import inspect
import json
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import azure.durable_functions as df
import azure.functions as func
from azure.durable_functions.models.actions import ActionType
from azure.durable_functions.models.history import HistoryEventType

from devhost.determinism import ENTITY_ACTIONS, NON_DETERMINISM, action_identity, id_actions
from devhost.episode import build_payload, episode_output, read_state

# History event type -> the kind `devhost.determinism.action_identity` gives the matching action.
SCHEDULED_KINDS = {
    HistoryEventType.TASK_SCHEDULED: "activity",
    HistoryEventType.SUB_ORCHESTRATION_INSTANCE_CREATED: "sub-orchestration",
    HistoryEventType.TIMER_CREATED: "timer",
    HistoryEventType.EVENT_SENT: "entity operation",
}


@dataclass
class Replayed:
    """What the code under test produced for a history: action rows, end state, stray completions."""

    actions: list[dict[str, Any]]
    raw_actions: list[dict[str, Any]]
    done: bool
    output: Any
    error: str | None
    strays: list[str] = field(default_factory=list)


def _decoded(text: Any) -> Any:
    return json.loads(text) if isinstance(text, str) else text


def action_kind(action: dict[str, Any]) -> str:
    """The action's type as DTFx names it: the SDK's member name in PascalCase (`CallActivity`)."""
    return "".join(part.title() for part in ActionType(action["actionType"]).name.split("_"))


def action_row(action: dict[str, Any]) -> dict[str, Any]:
    """An action as `{kind, name, input}` with the input decoded, so diffs read as JSON."""
    kind = action["actionType"]
    if kind in ENTITY_ACTIONS:
        return {"kind": action_kind(action), "name": f"{action['instanceId']}.{action['operation']}",
                "input": _decoded(action.get("input"))}  # fmt: skip
    if kind == ActionType.CREATE_TIMER:
        return {"kind": action_kind(action), "name": "timer", "input": {"fireAt": action["fireAt"],
                "isCanceled": action.get("isCanceled", False)}}  # fmt: skip
    if kind == ActionType.WAIT_FOR_EXTERNAL_EVENT:
        return {"kind": action_kind(action), "name": action["externalEventName"], "input": None}
    return {
        "kind": action_kind(action),
        "name": action.get("functionName"),
        "input": _decoded(action.get("input")),
    }


def trigger_payload(history: list[dict[str, Any]]) -> str:
    """The orchestration trigger JSON the embedded host sends for the whole `history`."""
    started = next(evt for evt in history if evt["EventType"] == HistoryEventType.EXECUTION_STARTED)
    instance_id = started["OrchestrationInstance"]["InstanceId"]
    return build_payload(instance_id, None, started.get("Input"), [], history)


def replay(orchestrator: Callable[..., Any], history: list[dict[str, Any]]) -> Replayed:
    """One call of the SDK's handle on the whole `history` (DTFx form); also when the code raises.

    `orchestrator` is a generator function, or the handle the app registered for one.
    """
    handle = (
        df.Orchestrator.create(orchestrator) if inspect.isgeneratorfunction(orchestrator) else orchestrator
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        payload = trigger_payload(history)
        output = episode_output(*read_state(lambda: handle(func.OrchestrationContext(payload))))
    return Replayed(
        actions=[action_row(a) for a in output.actions],
        raw_actions=output.actions,
        done=output.is_done and not output.error,
        output=output.output,
        error=output.error,
        strays=[str(w.message) for w in caught if "duplicate Task completion" in str(w.message)],
    )


def scheduled_log(history: list[dict[str, Any]]) -> list[tuple[int, str, str]]:
    """(sequence id, kind, name) of every id history gave out, in id order, as DTFx checks them."""
    log = []
    for evt in history:
        kind = SCHEDULED_KINDS.get(evt["EventType"])
        if kind is None:
            continue
        name = evt.get("Name") or ""
        if evt["EventType"] == HistoryEventType.EVENT_SENT:
            name = f"{evt['InstanceId']}.{json.loads(evt['Input'])['op']}"
        log.append((evt["EventId"], kind, name))
    return sorted(log)


def nondeterminism(history: list[dict[str, Any]], replayed: Replayed) -> str | None:
    """DTFx's verdict on replaying `history` with the code that produced `replayed` (None = accepted)."""
    produced = [action_identity(a) for a in id_actions(replayed.raw_actions)]
    for index, (sequence_id, kind, name) in enumerate(scheduled_log(history)):
        if (
            index < len(produced)
            and produced[index][0] == kind
            and produced[index][1].lower() == name.lower()
        ):
            continue
        got = f"{produced[index][0]} '{produced[index][1]}'" if index < len(produced) else "nothing"
        if index >= len(produced) and replayed.error:
            got += f" (it raised {replayed.error})"
        return (
            f"{NON_DETERMINISM} sequence id {sequence_id} was {kind} '{name}' in history "
            f"but the replay produced {got}."
        )
    if replayed.strays:
        return f"{NON_DETERMINISM} completions for tasks the replay never scheduled: {replayed.strays}"
    return None


def _first_difference(recorded: Any, replayed: Any, path: str) -> tuple[str, Any, Any] | None:
    """The first JSON path where two values differ, with both values there."""
    if isinstance(recorded, dict) and isinstance(replayed, dict):
        for key in sorted(set(recorded) | set(replayed)):
            found = _first_difference(recorded.get(key), replayed.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(recorded, list) and isinstance(replayed, list) and len(recorded) == len(replayed):
        for index, (a, b) in enumerate(zip(recorded, replayed, strict=True)):
            found = _first_difference(a, b, f"{path}[{index}]")
            if found:
                return found
        return None
    return None if recorded == replayed else (path, recorded, replayed)


def _show(value: Any, limit: int = 160) -> str:
    text = json.dumps(value, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def differences(
    recorded_actions: list[dict[str, Any]], recorded_output: Any, replayed: Replayed
) -> list[str]:
    """Readable differences, each naming the action position (or `output`) and the first field."""
    found = []
    for position in range(max(len(recorded_actions), len(replayed.actions))):
        was = recorded_actions[position] if position < len(recorded_actions) else None
        now = replayed.actions[position] if position < len(replayed.actions) else None
        where = _first_difference(was, now, "")
        if where:
            label = f"{(was or now)['kind']} {(was or now)['name']}"
            found.append(
                f"action #{position} ({label}) differs at {where[0] or '(whole action)'}:\n"
                f"    recorded: {_show(where[1])}\n    replayed: {_show(where[2])}"
            )
    if replayed.error:
        found.append(f"the replay raised: {replayed.error}")
    elif not replayed.done:
        found.append("the replay did not finish: the code waits for something the history never delivers")
    where = _first_difference(recorded_output, replayed.output, "output")
    if where:
        found.append(f"{where[0]} differs:\n    recorded: {_show(where[1])}\n    replayed: {_show(where[2])}")
    return found
