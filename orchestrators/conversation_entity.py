"""The `conversation` entity: one per session id, holding `{"summary", "messages", "turns"}`.

Operations (docs/contracts.md): `get` returns the state; `append` adds messages and returns the new
state; `compact` (`{"summary", "drop"}`) replaces the summary, drops the oldest `drop` messages and
returns the new state; `delete` removes the conversation (`DELETE /api/sessions/{id}`): the entity
no longer exists, so reading it is a 404, and a later operation starts an empty one. The session
workflow keeps the conversation within its bound by compacting;
`append` also enforces a hard cap, dropping the oldest messages, so the state can never grow without
limit even if compaction keeps failing.

Both changes also come in a conditional form, which is how turns are kept from interleaving: the
Python SDK has no entity locks, so a turn reads the conversation, replies, and then asks to append
only if the conversation is still the one it read (`{"messages", "turns"}`: still that many turns),
and to compact only if nothing changed since (`{"summary", "drop", "turns", "count"}`: that many
turns and messages). The entity runs one operation at a time, so exactly one of two concurrent turns
wins; the result says whether the change was applied, `{"applied": bool, "state": ...}`, and the
other turn replies again from the new state. The plain forms stay for turns already in flight.
"""

from typing import Any

import azure.durable_functions as df

from orchestrators.contract import (
    DEFAULT_SESSION_MAX_MESSAGES,
    ENTITY_APPEND,
    ENTITY_COMPACT,
    ENTITY_DELETE,
    ENTITY_GET,
)

MAX_STORED_MESSAGES = 4 * DEFAULT_SESSION_MAX_MESSAGES
ROLES = ("system", "user", "assistant", "tool")


def empty_state() -> dict[str, Any]:
    """The state of a session that has no messages yet."""
    return {"summary": None, "messages": [], "turns": 0}


def appended(key: str, state: dict[str, Any], messages: Any) -> dict[str, Any]:
    """State with `messages` added (oldest dropped beyond MAX_STORED_MESSAGES); user messages count turns."""
    if not isinstance(messages, list) or not all(
        isinstance(m, dict) and m.get("role") in ROLES for m in messages
    ):
        raise ValueError(f"conversation '{key}': append needs a list of messages with a role in {ROLES}")
    kept = [*state["messages"], *messages][-MAX_STORED_MESSAGES:]
    turns = state["turns"] + sum(1 for m in messages if m["role"] == "user")
    return {**state, "messages": kept, "turns": turns}


def unchanged_since(state: dict[str, Any], request: dict[str, Any]) -> bool:
    """Whether `state` is still the one a conditional request was computed from."""
    count = request.get("count")
    return request.get("turns") == state["turns"] and count in (None, len(state["messages"]))


def conditional(state: dict[str, Any], request: dict[str, Any], change: dict[str, Any]) -> dict[str, Any]:
    """The reply to a conditional operation: `change` applied if the state is unchanged, else not."""
    applied = unchanged_since(state, request)
    return {"applied": applied, "state": change if applied else state}


def compacted(key: str, state: dict[str, Any], request: Any) -> dict[str, Any]:
    """State with the new summary and without the oldest `drop` messages."""
    drop = request.get("drop") if isinstance(request, dict) else None
    summary = request.get("summary") if isinstance(request, dict) else None
    if not isinstance(summary, str) or not isinstance(drop, int) or isinstance(drop, bool) or drop < 0:
        expected = "{'summary': str, 'drop': int >= 0}"
        raise ValueError(f"conversation '{key}': compact needs {expected}, got {request!r}")
    return {**state, "summary": summary, "messages": state["messages"][drop:]}


def conversation(context: df.DurableEntityContext) -> None:
    """Run one operation on the session's conversation; every operation but `delete` returns the
    resulting state (`delete` returns None)."""
    key = context.entity_key
    if context.operation_name == ENTITY_DELETE:
        # The result first: setting it marks the entity as existing again, and destruct must come last.
        context.set_result(None)
        context.destruct_on_exit()
        return
    state = context.get_state(empty_state)
    operation = context.operation_name
    request = context.get_input()
    if operation == ENTITY_APPEND and isinstance(request, dict):
        result: dict[str, Any] = conditional(state, request, appended(key, state, request.get("messages")))
        state = result["state"]
    elif operation == ENTITY_COMPACT and isinstance(request, dict) and "turns" in request:
        result = conditional(state, request, compacted(key, state, request))
        state = result["state"]
    elif operation == ENTITY_APPEND:
        result = state = appended(key, state, request)
    elif operation == ENTITY_COMPACT:
        result = state = compacted(key, state, request)
    elif operation == ENTITY_GET:
        result = state
    else:
        raise ValueError(
            f"conversation '{key}' has no operation {operation!r}; use get, append, compact or delete"
        )
    context.set_state(state)
    context.set_result(result)
