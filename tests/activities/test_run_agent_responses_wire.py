"""run_agent with `AGENT_MODEL_API=responses`: agent-framework's Responses client against a fake endpoint.

What only the Responses API's own events can show: how a reply that failed, stopped early or was cut
reaches the activity, and what the tool loop's second call sends on the wire.
"""

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

import agents.model_factory
import agents.retry
from activities.run_agent import run_agent
from agents.errors import PermanentModelError, TransientModelError
from tests.activities.responses_wire import FakeResponsesEndpoint, Reply


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeResponsesEndpoint]:
    monkeypatch.setenv("AGENT_MODEL_PROVIDER", "openai")
    monkeypatch.setenv("AGENT_MODEL_API", "responses")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("OPENAI_MODEL", "gpt-test")
    monkeypatch.setattr(agents.retry, "IN_ACTIVITY", agents.retry.RetryPolicy(retries=2, base_delay_s=0.001))

    def install(*replies: Reply) -> FakeResponsesEndpoint:
        fake = FakeResponsesEndpoint(*replies)
        monkeypatch.setattr(agents.model_factory, "create_chat_client", fake.client_factory())
        return fake

    return install


def run(payload: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(run_agent(payload))


def test_a_complete_reply_is_the_result(endpoint: Callable[..., FakeResponsesEndpoint]) -> None:
    endpoint(Reply(text="Durable agents stream their words."))
    result = run({"agent": "assistant", "prompt": "hi"})
    assert (result["text"], result["usage"]) == (
        "Durable agents stream their words.",
        {"input_tokens": 11, "output_tokens": 7},
    )


@pytest.mark.parametrize("end", ["response.failed", None], ids=["failed", "cut"])
def test_a_reply_the_service_did_not_finish_is_retried_never_a_success(
    endpoint: Callable[..., FakeResponsesEndpoint], end: str | None
) -> None:
    fake = endpoint(Reply(text="Durable agents stream their words.", end=end), Reply(text="Whole."))
    assert run({"agent": "assistant", "prompt": "hi"})["text"] == "Whole."
    assert len(fake.requests) == 2


@pytest.mark.parametrize(
    ("reason", "says"),
    [("content_filter", "stopped by the content filter"), ("max_output_tokens", "output token limit")],
)
def test_an_incomplete_reply_is_permanent_at_once(
    endpoint: Callable[..., FakeResponsesEndpoint], reason: str, says: str
) -> None:
    fake = endpoint(Reply(text="Durable agents", end="response.incomplete", incomplete_reason=reason))
    with pytest.raises(PermanentModelError, match=says):
        run({"agent": "assistant", "prompt": "hi"})
    assert len(fake.requests) == 1


def test_persistently_cut_replies_end_transient(endpoint: Callable[..., FakeResponsesEndpoint]) -> None:
    endpoint(*(Reply(text="Durable agents stream", end=None) for _ in range(3)))
    with pytest.raises(TransientModelError, match="the stream was cut"):
        run({"agent": "assistant", "prompt": "hi"})


TOOL_ROUND = [
    {"role": "user", "text": "what is 2+2"},
    {
        "role": "assistant",
        "text": "",
        "tool_calls": [{"call_id": "c1", "name": "calculator", "arguments": {"expression": "2+2"}}],
    },
    {"role": "tool", "call_id": "c1", "name": "calculator", "result": {"value": 4}},
]


def test_the_tool_loops_second_call_sends_the_arguments_as_a_json_string(
    endpoint: Callable[..., FakeResponsesEndpoint],
) -> None:
    """The Responses API refuses a function_call whose `arguments` is an object (a 400)."""
    fake = endpoint(Reply(text="2 + 2 = 4"))
    assert run({"agent": "tool_agent", "messages": TOOL_ROUND})["text"] == "2 + 2 = 4"
    sent = [item for item in fake.requests[0]["input"] if item.get("type") == "function_call"]
    assert [(item["call_id"], item["name"], item["arguments"]) for item in sent] == [
        ("c1", "calculator", '{"expression": "2+2"}')
    ]


@pytest.mark.parametrize("code", ["server_error", "rate_limit_exceeded"])
def test_an_error_event_inside_the_stream_is_retried(
    endpoint: Callable[..., FakeResponsesEndpoint], code: str
) -> None:
    fake = endpoint(Reply(text="Durable agents", end="error", error_code=code), Reply(text="Whole."))
    assert run({"agent": "assistant", "prompt": "hi"})["text"] == "Whole."
    assert len(fake.requests) == 2


def test_a_refusing_error_event_stays_permanent(endpoint: Callable[..., FakeResponsesEndpoint]) -> None:
    fake = endpoint(Reply(text="Durable agents", end="error", error_code="invalid_prompt"))
    with pytest.raises(PermanentModelError, match="invalid_prompt"):
        run({"agent": "assistant", "prompt": "hi"})
    assert len(fake.requests) == 1
