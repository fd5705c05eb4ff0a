"""run_tool and publish_draft: contract shapes, argument errors, unknown tools, idempotency."""

from collections.abc import Callable
from typing import Any

import pytest

from activities.publish_draft import publish_draft
from activities.run_tool import run_tool
from agents.errors import PermanentModelError, UnknownToolError
from agents.tools import outbox


def call(tool: str, arguments: Any, call_id: str = "c1", run_id: str = "run-1") -> dict[str, Any]:
    return run_tool(
        {"tool": tool, "call_id": call_id, "arguments": arguments, "idempotency_key": f"{run_id}:{call_id}"}
    )


@pytest.mark.parametrize(
    ("tool", "arguments", "check"),
    [
        (
            "calculator",
            {"expression": "17 * 23"},
            lambda result: result == {"expression": "17 * 23", "value": 391},
        ),
        (
            "lookup_knowledge",
            {"query": "reset my password"},
            lambda result: result["matches"][0]["id"] == "kb-password",
        ),
        ("create_ticket", {"title": "VPN is broken"}, lambda result: result["ticket_id"] == "TCK-00001"),
    ],
)
def test_each_tool_returns_the_contract_shape(
    tool: str, arguments: dict[str, Any], check: Callable[[Any], bool]
) -> None:
    result = call(tool, arguments)
    assert set(result) == {"call_id", "name", "result", "elapsed_ms"}
    assert (result["call_id"], result["name"]) == ("c1", tool)
    assert isinstance(result["elapsed_ms"], float)
    assert check(result["result"])


def test_arguments_as_a_json_string_are_accepted() -> None:
    assert call("calculator", '{"expression": "2 + 2"}')["result"]["value"] == 4


def test_arguments_nested_past_the_json_parser_are_a_result_for_the_model() -> None:
    result = call("calculator", "[" * 100_000 + "]" * 100_000)
    assert result["result"]["error"].startswith("invalid arguments for calculator:")


def test_rejected_arguments_are_a_result_for_the_model() -> None:
    result = call("create_ticket", {"title": "x", "priority": "whenever"})
    assert result["result"]["error"].startswith("invalid arguments for create_ticket: title:")
    assert "priority" in result["result"]["error"]
    assert outbox.stats()["rows"] == 0


def test_an_unknown_tool_is_a_permanent_error_naming_it() -> None:
    with pytest.raises(UnknownToolError, match="unknown tool 'rm_rf'") as caught:
        call("rm_rf", {})
    assert isinstance(caught.value, PermanentModelError)


def test_a_payload_without_call_id_is_rejected() -> None:
    with pytest.raises(PermanentModelError, match="'call_id'"):
        run_tool({"tool": "calculator", "arguments": {"expression": "1"}})


def test_a_redelivered_ticket_call_is_not_repeated() -> None:
    first = call("create_ticket", {"title": "Printer on fire"})
    again = call("create_ticket", {"title": "Printer on fire"})
    next_call = call("create_ticket", {"title": "Printer on fire"}, call_id="c2")
    assert first["result"] == again["result"]
    assert next_call["result"]["ticket_id"] == "TCK-00002"
    assert outbox.stats()["by_kind"] == {"ticket": {"rows": 2, "attempts": 3}}


def test_publish_draft_is_idempotent() -> None:
    payload = {
        "title": "Launch",
        "text": "# Launch\n\nWe ship.",
        "approver": "alex",
        "idempotency_key": "run-9:publish",
    }
    assert publish_draft(payload) == {"published": True, "duplicate": False, "key": "run-9:publish"}
    assert publish_draft(payload) == {"published": True, "duplicate": True, "key": "run-9:publish"}
    (record,) = outbox.records("publication")
    assert (record.attempts, record.payload["approver"], record.result) == (
        2,
        "alex",
        {"publication_id": "PUB-00001"},
    )


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ({"title": "t", "text": "body"}, "'idempotency_key'"),
        ({"title": "t", "text": " ", "idempotency_key": "k"}, "'text'"),
    ],
)
def test_publish_draft_rejects_incomplete_payloads(payload: dict[str, Any], says: str) -> None:
    with pytest.raises(PermanentModelError, match=says):
        publish_draft(payload)
