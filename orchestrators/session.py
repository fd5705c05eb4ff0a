"""session: one turn of a multi-turn chat whose conversation lives in the `conversation` entity.

Input `{"session_id", "message", "max_messages"}`; output `{"session_id", "reply", "turns"}`.
The `chat` agent sees the stored summary (as a system message), the stored messages and the new
message. After the turn is appended, a conversation longer than max_messages is compacted: the
`summariser` condenses the oldest messages (about half, whole exchanges) into the summary and the
entity drops them, so the state stays bounded.
Progress steps: `loading` (1 of 3), `replying` (2 of 3), `saving` (3 of 3),
`compacting` (4 of 4, only when over the bound), then `done` (3 of 3 or 4 of 4).
"""

from typing import Any

import azure.durable_functions as df

from orchestrators.contract import (
    CONVERSATION_ENTITY,
    DEFAULT_SESSION_MAX_MESSAGES,
    DONE,
    ENTITY_APPEND,
    ENTITY_COMPACT,
    ENTITY_GET,
)
from orchestrators.inputs import workflow_input
from orchestrators.progress import report
from orchestrators.retry import Steps, call_agent


def chat_context(state: dict[str, Any]) -> list[dict[str, Any]]:
    """What the chat agent is given from the stored conversation: the summary, then the messages."""
    messages: list[dict[str, Any]] = state.get("messages", [])
    if not state.get("summary"):
        return messages
    return [{"role": "system", "text": f"Summary of the conversation so far: {state['summary']}"}, *messages]


def transcript(state: dict[str, Any], oldest: list[dict[str, Any]]) -> str:
    """The summariser's prompt: the previous summary and the messages about to be dropped."""
    lines = [f"{m['role']}: {m.get('text', '')}" for m in oldest]
    previous = f"Previous summary: {state['summary']}\n\n" if state.get("summary") else ""
    return previous + "Summarise this conversation:\n" + "\n".join(lines)


def compact(
    context: df.DurableOrchestrationContext, entity: df.EntityId, state: dict[str, Any], bound: int
) -> Steps:
    """Summarise the oldest messages into the summary and drop them; returns the new state."""
    keep = bound // 4 * 2
    drop = len(state["messages"]) - keep
    summary = yield from call_agent(context, "summariser", transcript(state, state["messages"][:drop]))
    return (yield context.call_entity(entity, ENTITY_COMPACT, {"summary": summary["text"], "drop": drop}))


def session(context: df.DurableOrchestrationContext) -> Steps:
    """Load the conversation, reply, save the exchange, and keep the conversation bounded."""
    given = workflow_input(context)
    session_id: str = given["session_id"]
    bound = int(given.get("max_messages") or DEFAULT_SESSION_MAX_MESSAGES)
    entity = df.EntityId(CONVERSATION_ENTITY, session_id)
    user = {"role": "user", "text": given["message"]}

    report(context, "loading", 1, 3, user["text"])
    state = yield context.call_entity(entity, ENTITY_GET)

    report(context, "replying", 2, 3, user["text"])
    reply = yield from call_agent(context, "chat", [*chat_context(state), user])
    assistant = {"role": "assistant", "text": reply["text"]}

    report(context, "saving", 3, 3, reply["text"])
    state = yield context.call_entity(entity, ENTITY_APPEND, [user, assistant])
    steps = 3
    if len(state["messages"]) > bound:
        steps = 4
        report(context, "compacting", 4, 4, f"{len(state['messages'])} messages, more than {bound}")
        state = yield from compact(context, entity, state, bound)

    report(context, DONE, steps, steps, reply["text"])
    return {"session_id": session_id, "reply": reply["text"], "turns": state["turns"]}
