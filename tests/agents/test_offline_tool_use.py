"""The offline model asks for the tools a request needs, then answers from their results."""

import asyncio
from typing import Any

import pytest
from pydantic import BaseModel, Field

from activities.run_agent import run_agent
from activities.run_tool import run_tool
from agents.catalog import AGENTS, AgentSpec
from agents.tools import TOOLS, ToolContext, ToolSpec


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


class LetterArguments(BaseModel):
    text: str = Field(min_length=1)
    limit: int = 10


def count_letters(arguments: LetterArguments, context: ToolContext) -> dict[str, Any]:
    return {"letters": sum(char.isalpha() for char in arguments.text), "limit": arguments.limit}


def test_a_tool_you_add_is_called_offline_when_the_request_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    # README's "Add your own → Tool": a function under agents/tools/, in the tool table, given to an
    # agent by name. The offline model has no plan for it, so it calls it when the request names it.
    tool = ToolSpec("count_letters", "Count the letters of a text.", LetterArguments, count_letters)
    agent = AgentSpec("letter_counter", "You count letters with count_letters.", tools=("count_letters",))
    monkeypatch.setitem(TOOLS, tool.name, tool)
    monkeypatch.setitem(AGENTS, agent.name, agent)
    messages: list[dict[str, Any]] = [
        {"role": "user", "text": "use count letters on Durable agents, 3 times"}
    ]

    def ask() -> dict[str, Any]:
        return asyncio.run(run_agent({"agent": "letter_counter", "messages": messages}))

    first = ask()
    assert first["tool_calls"] == [
        {"call_id": "call_1", "name": "count_letters", "arguments": {"text": "Durable agents"}}
    ]
    done = run_tool({**first["tool_calls"][0], "tool": "count_letters", "idempotency_key": "run-1:call_1"})
    assert done["result"] == {"letters": 13, "limit": 10}
    messages.append({"role": "assistant", "text": "", "tool_calls": first["tool_calls"]})
    messages.append({"role": "tool", "call_id": "call_1", "name": "count_letters", "result": done["result"]})
    final = ask()
    assert final["tool_calls"] == []
    assert 'count_letters returned: {"letters": 13, "limit": 10}' in final["text"]  # JSON, not Python's repr


def test_the_template_tools_are_still_planned_from_the_request_not_from_their_names() -> None:
    result = tool_agent([{"role": "user", "text": "use the calculator on 6 * 7"}])
    assert result["tool_calls"][0]["arguments"] == {"expression": "6 * 7"}
