"""session: one turn of a multi-turn chat whose conversation lives in the `conversation` entity.

Input `{"session_id", "message", "max_messages"}`; output `{"session_id", "reply", "turns"}`.
The `chat` agent sees the stored summary (as a system message), the stored messages and the new
message. After the turn is appended, a conversation longer than max_messages is compacted: the
`summariser` condenses the oldest messages (about half, whole exchanges) into the summary and the
entity drops them, so the state stays bounded.
Progress steps: `loading` (1 of 3), `replying` (2 of 3), `saving` (3 of 3),
`compacting` (4 of 4, only when over the bound), then `done` (3 of 3 or 4 of 4).

Turns never interleave. The exchange is appended only if the conversation still has the turns the
reply was written from; when another message to the same session was saved in between, the turn
reads the conversation again and replies again (at most MAX_TURN_ATTEMPTS times), so two messages
sent at once are answered one after the other, the second seeing the first. Compaction is
conditional the same way and is left to the next turn when the conversation changed meanwhile.
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
    SESSION_BUSY,
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


# A turn that finds another turn saved first replies again on the new conversation; with N messages
# sent at once the last one needs N attempts, so this is how many messages may arrive together.
MAX_TURN_ATTEMPTS = 20


def outcome(result: dict[str, Any]) -> tuple[bool, dict[str, Any]]:
    """(applied, state) of a conditional entity operation; a run started before conditional operations
    existed has the plain form's result (the new state) in its history, which was always applied."""
    return (result["applied"], result["state"]) if "applied" in result else (True, result)


def compact(
    context: df.DurableOrchestrationContext, entity: df.EntityId, state: dict[str, Any], bound: int
) -> Steps:
    """Summarise the oldest messages into the summary and drop them, unless the conversation changed."""
    keep = bound // 4 * 2
    drop = len(state["messages"]) - keep
    summary = yield from call_agent(context, "summariser", transcript(state, state["messages"][:drop]))
    request = {
        "summary": summary["text"],
        "drop": drop,
        "turns": state["turns"],
        "count": len(state["messages"]),
    }
    yield context.call_entity(entity, ENTITY_COMPACT, request)


def take_turn(context: df.DurableOrchestrationContext, entity: df.EntityId, user: dict[str, Any]) -> Steps:
    """Read, reply and append, again while another turn got saved first; returns (reply, new state)."""
    for _ in range(MAX_TURN_ATTEMPTS):
        report(context, "loading", 1, 3, user["text"])
        state = yield context.call_entity(entity, ENTITY_GET)

        report(context, "replying", 2, 3, user["text"])
        reply = yield from call_agent(context, "chat", [*chat_context(state), user])
        assistant = {"role": "assistant", "text": reply["text"]}

        report(context, "saving", 3, 3, reply["text"])
        exchange = {"messages": [user, assistant], "turns": state["turns"]}
        applied, saved = outcome((yield context.call_entity(entity, ENTITY_APPEND, exchange)))
        if applied:
            return reply["text"], saved
    raise RuntimeError(f"session '{entity.key}': {SESSION_BUSY} {MAX_TURN_ATTEMPTS} times; send it again")


def session(context: df.DurableOrchestrationContext) -> Steps:
    """Take the turn (serialised with any other turn of the session), then keep the conversation bounded."""
    given = workflow_input(context)
    session_id: str = given["session_id"]
    bound = int(given.get("max_messages") or DEFAULT_SESSION_MAX_MESSAGES)
    entity = df.EntityId(CONVERSATION_ENTITY, session_id)
    user = {"role": "user", "text": given["message"]}

    reply, state = yield from take_turn(context, entity, user)
    steps = 3
    if len(state["messages"]) > bound:
        steps = 4
        report(context, "compacting", 4, 4, f"{len(state['messages'])} messages, more than {bound}")
        yield from compact(context, entity, state, bound)

    report(context, DONE, steps, steps, reply)
    return {"session_id": session_id, "reply": reply, "turns": state["turns"]}
