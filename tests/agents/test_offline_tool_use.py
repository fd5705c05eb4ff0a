"""The offline model asks for the tools a request needs, then answers from their results."""

import asyncio
from typing import Any

from activities.run_agent import run_agent
from activities.run_tool import run_tool


def tool_agent(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return asyncio.run(run_agent({"agent": "tool_agent", "messages": messages}))


def test_several_asks_get_several_tool_calls_at_once() -> None:
    request = "What is 17 * 23, and please open a ticket: the VPN is broken"
    result = tool_agent([{"role": "user", "text": request}])
    assert result["text"] == ""
    assert [(call["call_id"], call["name"]) for call in result["tool_calls"]] == [
        ("call_1", "calculator"),
        ("call_2", "create_ticket"),
    ]
    assert result["tool_calls"][0]["arguments"] == {"expression": "17 * 23"}
    assert result["tool_calls"][1]["arguments"]["title"] == "VPN is broken"


def test_a_knowledge_question_asks_for_lookup_and_an_outage_is_high_priority() -> None:
    result = tool_agent([{"role": "user", "text": "How does replay work? Also the payroll server is down"}])
    calls = {call["name"]: call["arguments"] for call in result["tool_calls"]}
    assert calls["lookup_knowledge"] == {"query": "How does replay work"}
    assert calls["create_ticket"]["priority"] == "high"


def test_word_arithmetic_is_understood() -> None:
    result = tool_agent([{"role": "user", "text": "what is 12 plus 30 divided by 6"}])
    assert result["tool_calls"][0]["arguments"] == {"expression": "12 + 30 / 6"}


def test_the_answer_uses_the_tool_results() -> None:
    messages: list[dict[str, Any]] = [
        {"role": "user", "text": "What is 17 * 23 and open a ticket: printer broken"}
    ]
    first = tool_agent(messages)
    messages.append({"role": "assistant", "text": "", "tool_calls": first["tool_calls"]})
    for call in first["tool_calls"]:
        done = run_tool({**call, "tool": call["name"], "idempotency_key": f"run-1:{call['call_id']}"})
        messages.append(
            {"role": "tool", "call_id": call["call_id"], "name": call["name"], "result": done["result"]}
        )
    final = tool_agent(messages)
    assert final["tool_calls"] == []
    assert "17 * 23 = 391" in final["text"]
    assert "TCK-00001" in final["text"] and "Printer broken" in final["text"]


def test_a_tool_error_is_reported_in_the_answer() -> None:
    messages = [
        {"role": "user", "text": "What is 1 / 0"},
        {
            "role": "assistant",
            "text": "",
            "tool_calls": [{"call_id": "c1", "name": "calculator", "arguments": {}}],
        },
        {"role": "tool", "call_id": "c1", "name": "calculator", "result": {"error": "division by zero"}},
    ]
    assert "division by zero" in tool_agent(messages)["text"]


def test_new_calls_are_numbered_after_earlier_ones() -> None:
    messages = [
        {"role": "user", "text": "What is 2 + 2"},
        {
            "role": "assistant",
            "text": "",
            "tool_calls": [{"call_id": "call_1", "name": "calculator", "arguments": {}}],
        },
        {
            "role": "tool",
            "call_id": "call_1",
            "name": "calculator",
            "result": {"expression": "2 + 2", "value": 4},
        },
        {"role": "assistant", "text": "2 + 2 = 4"},
        {"role": "user", "text": "And 3 * 3?"},
    ]
    assert [call["call_id"] for call in tool_agent(messages)["tool_calls"]] == ["call_2"]


def test_a_request_no_tool_fits_gets_a_direct_answer() -> None:
    result = tool_agent([{"role": "user", "text": "Tell me a joke"}])
    assert result["tool_calls"] == [] and "Tell me a joke" in result["text"]


def test_agents_without_tools_never_ask_for_them() -> None:
    result = asyncio.run(run_agent({"agent": "assistant", "prompt": "What is 17 * 23? The VPN is broken."}))
    assert result["tool_calls"] == [] and result["text"]
