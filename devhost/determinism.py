"""Non-determinism check: replayed actions must match the ids history already gave out (protocol §3)."""

from typing import Any

from devhost.state import Bookkeeping

# actionType -> the kind of history event its sequence id produced
ID_KINDS = {
    0: "activity",
    1: "activity",
    2: "sub-orchestration",
    3: "sub-orchestration",
    5: "timer",
    7: "entity operation",
    8: "http call",
    9: "entity operation",
}
NON_DETERMINISM = "Non-Deterministic workflow detected:"


def action_identity(action: dict[str, Any]) -> tuple[str, str]:
    """(kind, name) of an id-consuming action; names compare case-insensitively, inputs not at all."""
    kind = ID_KINDS[action["actionType"]]
    if action["actionType"] in (7, 9):
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
