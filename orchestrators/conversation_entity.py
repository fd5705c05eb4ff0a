"""The `conversation` entity: one per session id, holding `{"summary", "messages", "turns"}`.

Operations (docs/contracts.md): `get` returns the state; `append` adds messages and returns the new
state; `compact` (`{"summary", "drop"}`) replaces the summary, drops the oldest `drop` messages and
returns the new state. The session workflow keeps the conversation within its bound by compacting;
`append` also enforces a hard cap, dropping the oldest messages, so the state can never grow without
limit even if compaction keeps failing.
"""

from typing import Any

import azure.durable_functions as df

from orchestrators.contract import DEFAULT_SESSION_MAX_MESSAGES, ENTITY_APPEND, ENTITY_COMPACT, ENTITY_GET

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


def compacted(key: str, state: dict[str, Any], request: Any) -> dict[str, Any]:
    """State with the new summary and without the oldest `drop` messages."""
    drop = request.get("drop") if isinstance(request, dict) else None
    summary = request.get("summary") if isinstance(request, dict) else None
    if not isinstance(summary, str) or not isinstance(drop, int) or isinstance(drop, bool) or drop < 0:
        expected = "{'summary': str, 'drop': int >= 0}"
        raise ValueError(f"conversation '{key}': compact needs {expected}, got {request!r}")
    return {**state, "summary": summary, "messages": state["messages"][drop:]}


def conversation(context: df.DurableEntityContext) -> None:
    """Run one operation on the session's conversation; every operation returns the resulting state."""
    key = context.entity_key
    state = context.get_state(empty_state)
    operation = context.operation_name
    if operation == ENTITY_APPEND:
        state = appended(key, state, context.get_input())
    elif operation == ENTITY_COMPACT:
        state = compacted(key, state, context.get_input())
    elif operation != ENTITY_GET:
        raise ValueError(f"conversation '{key}' has no operation {operation!r}; use get, append or compact")
    context.set_state(state)
    context.set_result(state)
