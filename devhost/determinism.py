"""Non-determinism check: replayed actions must match the ids history already gave out (protocol §3)."""

from typing import Any

from azure.durable_functions.models.actions import ActionType

from devhost.state import Bookkeeping

# actionType -> the kind of history event its sequence id produced
ID_KINDS = {
    ActionType.CALL_ACTIVITY: "activity",
    ActionType.CALL_ACTIVITY_WITH_RETRY: "activity",
    ActionType.CALL_SUB_ORCHESTRATOR: "sub-orchestration",
    ActionType.CALL_SUB_ORCHESTRATOR_WITH_RETRY: "sub-orchestration",
    ActionType.CREATE_TIMER: "timer",
    ActionType.CALL_ENTITY: "entity operation",
    ActionType.CALL_HTTP: "http call",
    ActionType.SIGNAL_ENTITY: "entity operation",
}
ENTITY_ACTIONS = (ActionType.CALL_ENTITY, ActionType.SIGNAL_ENTITY)
NON_DETERMINISM = "Non-Deterministic workflow detected:"


def action_identity(action: dict[str, Any]) -> tuple[str, str]:
    """(kind, name) of an id-consuming action; names compare case-insensitively, inputs not at all."""
    kind = ID_KINDS[action["actionType"]]
    if action["actionType"] in ENTITY_ACTIONS:
        return kind, f"{action['instanceId']}.{action['operation']}"
    return kind, action.get("functionName") or ""


def _describe(kind: str, name: str) -> str:
    return f"{kind} '{name}'" if name else kind


def id_actions(actions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The actions that take a sequence id, in allocation order (WaitForExternalEvent takes none)."""
    return [a for a in actions if a["actionType"] in ID_KINDS]


def find_mismatch(
    orchestrator: str, book: Bookkeeping, replayed: list[dict[str, Any]], complete: bool
) -> str | None:
    """Compare the replayed id-consuming actions with the ids history recorded, in order.

    ``complete`` says the replay ran to a normal end (no unhandled error cut it short), so a recorded
    id with no replayed action is a mismatch too.
    """
    actual = [action_identity(a) for a in replayed]
    for index, (sequence_id, kind, name) in enumerate(book.log):
        if index >= len(actual):
            if not complete:
                return None
            got = "nothing"
        elif actual[index][0] == kind and actual[index][1].lower() == name.lower():
            continue
        else:
            got = _describe(*actual[index])
        return (
            f"{NON_DETERMINISM} orchestrator '{orchestrator}' at history position (sequence id) {sequence_id}"
            f" expected {_describe(kind, name)} but the replay produced {got}."
        )
    return None
