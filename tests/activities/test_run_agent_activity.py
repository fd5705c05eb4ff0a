"""The run_agent activity on the offline model: the contract's AgentResult for every agent, and its errors."""

import asyncio
from typing import Any

import pytest

from activities.run_agent import run_agent
from agents.catalog import AGENTS, CriticVerdict, TriageDecision
from agents.errors import PermanentModelError, TransientModelError

PROMPTS = {
    "tool_agent": "What is 6 * 7?",
    "triage": "My invoice is wrong",
    "critic": "Draft:\n# Plan\n\nShip it.",
}
RESULT_KEYS = {"agent", "text", "value", "tool_calls", "usage", "model", "elapsed_ms", "step", "request"}


def run(payload: Any) -> dict[str, Any]:
    return asyncio.run(run_agent(payload))


@pytest.mark.parametrize("name", sorted(AGENTS))
def test_every_agent_returns_the_contract_shape(name: str) -> None:
    result = run({"agent": name, "prompt": PROMPTS.get(name, "durable agents on Azure Functions")})
    assert set(result) == RESULT_KEYS
    assert result["agent"] == name and result["model"] == "offline-1"
    assert isinstance(result["text"], str) and isinstance(result["tool_calls"], list)
    assert result["text"].strip() or result["tool_calls"]
    # What the agent was asked travels with its answer: the status API returns no activity inputs.
    assert result["request"] == {
        "prompt": PROMPTS.get(name, "durable agents on Azure Functions"),
        "truncated": False,
    }
    assert set(result["usage"]) == {"input_tokens", "output_tokens"}
    assert result["usage"]["input_tokens"] > 0 and result["usage"]["output_tokens"] > 0
    assert isinstance(result["elapsed_ms"], float) and result["elapsed_ms"] >= 0
    schema = {"triage": TriageDecision, "critic": CriticVerdict}.get(name)
    if schema is None:
        assert result["value"] is None
    else:
        assert schema.model_validate(result["value"]).model_dump(mode="json") == result["value"]


def test_tool_calls_come_back_for_the_orchestrator() -> None:
    result = run({"agent": "tool_agent", "prompt": "What is 6 * 7?"})
    assert result["tool_calls"] == [
        {"call_id": "call_1", "name": "calculator", "arguments": {"expression": "6 * 7"}}
    ]
    assert result["text"] == "" and result["value"] is None


def test_a_full_conversation_is_accepted() -> None:
    messages = [
        {"role": "system", "text": "Summary: the user is called Ana."},
        {"role": "user", "text": "Hello again"},
        {"role": "assistant", "text": "Hi Ana!"},
        {"role": "user", "text": "What did I tell you my name was?"},
    ]
    assert "Ana" in run({"agent": "chat", "messages": messages})["text"]


@pytest.mark.parametrize(
    ("payload", "says"),
    [
        ({"agent": "poet", "prompt": "hi"}, "unknown agent 'poet'"),
        ({"prompt": "hi"}, "unknown agent None"),
        ({"agent": "assistant"}, "'prompt' or a 'messages' list"),
        ({"agent": "assistant", "prompt": "   "}, "'prompt' or a 'messages' list"),
        ({"agent": "assistant", "messages": []}, "'messages' must be a non-empty list"),
        (
            {"agent": "assistant", "messages": [{"role": "robot", "text": "x"}]},
            "messages[0].role must be one of",
        ),
        (
            {"agent": "assistant", "messages": [{"role": "tool", "result": 1}]},
            "messages[0].call_id is required",
        ),
        ({"agent": "assistant", "messages": [{"role": "user", "text": ""}]}, "messages[0] has no text"),
        ("just a string", "payload must be an object"),
    ],
)
def test_bad_payloads_are_permanent_errors_naming_the_field(payload: Any, says: str) -> None:
    with pytest.raises(PermanentModelError) as caught:
        run(payload)
    assert says in str(caught.value)


def test_a_model_timeout_is_transient_after_bounded_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    import agents.retry

    monkeypatch.setattr(agents.retry, "IN_ACTIVITY", agents.retry.RetryPolicy(retries=2, base_delay_s=0.001))
    monkeypatch.setenv("AGENT_MODEL_TIMEOUT_S", "0.05")
    monkeypatch.setenv("OFFLINE_MODEL_DELAY_MS", "2000")
    with pytest.raises(TransientModelError) as caught:
        run({"agent": "assistant", "prompt": "hello"})
    assert "AGENT_MODEL_TIMEOUT_S" in str(caught.value) and "gave up after 3 attempts" in str(caught.value)
