"""The conversation entity through the SDK's entity handle, with the extension's batch JSON."""

import json
from typing import Any

import azure.durable_functions as df
import azure.functions as func

from orchestrators.conversation_entity import MAX_STORED_MESSAGES, conversation


def registered_handle() -> Any:
    """The callable the worker invokes: the entity registered on a DFApp like function_app.py does."""
    app = df.DFApp()
    app.entity_trigger(context_name="context")(conversation)
    [function] = app.get_functions()
    return function.get_user_function()


HANDLE = registered_handle()


def operate(state: Any, *operations: tuple[str, Any]) -> dict[str, Any]:
    """Run a batch like the extension sends it (each input JSON-encoded twice); returns the reply."""
    batch = [
        {"name": name, "input": json.dumps(json.dumps(value)), "isSignal": False}
        for name, value in operations
    ]
    payload = {
        "self": {"name": "conversation", "key": "s-9"},
        "exists": state is not None,
        "state": None if state is None else json.dumps(state),
        "batch": batch,
    }
    reply = json.loads(HANDLE(func.EntityContext(json.dumps(payload))))
    reply["state"] = json.loads(reply["entityState"]) if reply["entityExists"] else None
    reply["values"] = [json.loads(r["result"]) for r in reply["results"]]
    return reply


def message(role: str, text: str) -> dict[str, str]:
    return {"role": role, "text": text}


def test_a_new_conversation_is_empty() -> None:
    reply = operate(None, ("get", None))

    assert reply["values"] == [{"summary": None, "messages": [], "turns": 0}]
    assert reply["entityExists"] is True


def test_append_adds_messages_and_counts_user_turns() -> None:
    exchange = [message("user", "hi"), message("assistant", "hello")]

    reply = operate(None, ("append", exchange), ("append", exchange), ("get", None))

    assert reply["state"] == {"summary": None, "messages": exchange * 2, "turns": 2}
    assert reply["values"][2] == reply["state"]


def test_compact_keeps_the_summary_and_drops_the_oldest() -> None:
    messages = [message("user", str(i)) for i in range(5)]

    reply = operate(
        {"summary": None, "messages": messages, "turns": 5}, ("compact", {"summary": "0-2", "drop": 3})
    )

    assert reply["state"] == {"summary": "0-2", "messages": messages[3:], "turns": 5}


def test_append_caps_the_stored_messages_dropping_the_oldest() -> None:
    many = [message("assistant", str(i)) for i in range(MAX_STORED_MESSAGES + 10)]

    reply = operate(None, ("append", many))

    assert len(reply["state"]["messages"]) == MAX_STORED_MESSAGES
    assert reply["state"]["messages"][0] == message("assistant", "10")


def test_bad_operations_fail_alone_and_name_the_session() -> None:
    reply = operate(
        None, ("rename", None), ("append", [{"text": "no role"}]), ("compact", {"drop": -1}), ("get", None)
    )

    errors = [r["result"] for r in reply["results"][:3]]
    assert all(r["isError"] for r in reply["results"][:3])
    assert "conversation 's-9' has no operation 'rename'" in errors[0]
    assert "append needs a list of messages" in errors[1]
    assert "compact needs" in errors[2]
    assert reply["results"][3]["isError"] is False


def test_conditional_append_applies_only_to_the_turns_it_was_written_for() -> None:
    first = [message("user", "a"), message("assistant", "b")]
    late = [message("user", "c"), message("assistant", "d")]

    reply = operate(
        None, ("append", {"messages": first, "turns": 0}), ("append", {"messages": late, "turns": 0})
    )

    applied, refused = reply["values"]
    assert applied == {"applied": True, "state": {"summary": None, "messages": first, "turns": 1}}
    assert refused == {"applied": False, "state": applied["state"]}
    assert reply["state"] == applied["state"]


def test_conditional_compact_is_skipped_when_the_conversation_changed() -> None:
    exchange = [message("user", "a"), message("assistant", "b")]
    state = {"summary": None, "messages": exchange * 2, "turns": 2}
    stale = {"summary": "old", "drop": 2, "turns": 1, "count": 4}
    fresh = {"summary": "a and b", "drop": 2, "turns": 2, "count": 4}

    reply = operate(state, ("compact", stale), ("compact", fresh))

    assert [value["applied"] for value in reply["values"]] == [False, True]
    assert reply["state"] == {"summary": "a and b", "messages": exchange, "turns": 2}


def test_delete_removes_the_conversation_so_it_no_longer_exists() -> None:
    """As `DestructOnExit` does on the extension: the batch ends with no entity, so a read is a 404."""
    stored = {"summary": "they met", "messages": [message("user", "my secret")], "turns": 1}

    reply = operate(stored, ("get", None), ("delete", None))

    assert reply["entityExists"] is False
    assert reply["state"] is None
    assert reply["values"] == [stored, None]


def test_delete_of_a_conversation_that_never_existed_leaves_none() -> None:
    reply = operate(None, ("delete", None))

    assert reply["entityExists"] is False
    assert reply["values"] == [None]


def test_after_delete_a_turn_written_for_the_old_conversation_is_not_appended() -> None:
    """A turn in flight when the session was deleted read the old conversation: its conditional
    append no longer matches, so it replies again from the empty one (the old words stay gone)."""
    stored = {"summary": None, "messages": [message("user", "old"), message("assistant", "o")], "turns": 1}
    late = {"messages": [message("user", "new"), message("assistant", "n")], "turns": 1}

    reply = operate(stored, ("delete", None), ("append", late))

    assert reply["values"][1] == {"applied": False, "state": {"summary": None, "messages": [], "turns": 0}}
    assert reply["state"] == {"summary": None, "messages": [], "turns": 0}
