"""run_agent against the real agent-framework OpenAI client, with a fake HTTP endpoint (no network).

Shows the things that only the real client can prove: declaration-only tools come back as tool
calls instead of running, structured output is requested and parsed, tool results go back on
the wire, and HTTP failures turn into the right error class after the in-activity retries.
"""

import asyncio
import json
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx2
import openai
import pytest
from agent_framework_openai import OpenAIChatCompletionClient

import agents.model_factory
import agents.retry
from activities.run_agent import run_agent
from agents.errors import PermanentModelError, TransientModelError
from agents.settings import ModelSettings
from streams.sqlite_store import SqliteStreamStore

# Status, body and headers; a body of bytes is a raw event stream, sent as it is.
Reply = tuple[int, dict[str, Any] | bytes, dict[str, str]]


def completion(message: dict[str, Any], finish_reason: str | None = "stop") -> Reply:
    """A chat completion; `finish_reason=None` streams as a reply cut off before the model finished."""
    body = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": "gpt-test",
        "choices": [
            {"index": 0, "finish_reason": finish_reason, "message": {"role": "assistant", **message}}
        ],
        "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
    }
    return 200, body, {}


def event_stream(body: dict[str, Any]) -> bytes:
    """A completion as the server streams it: content word by word, tool calls, finish, usage.

    Without a finish reason the stream ends right after the content, as a cut connection's does.
    """
    message, finish = body["choices"][0]["message"], body["choices"][0]["finish_reason"]
    head = {key: body[key] for key in ("id", "created", "model")} | {"object": "chat.completion.chunk"}

    def chunk(delta: dict[str, Any], finish_reason: str | None = None) -> dict[str, Any]:
        return head | {"choices": [{"index": 0, "delta": delta, "finish_reason": finish_reason}]}

    words = re.findall(r"\S+\s*", message.get("content") or "")
    chunks = [chunk({"role": "assistant", "content": word}) for word in words]
    calls = [{"index": i, **call} for i, call in enumerate(message.get("tool_calls") or [])]
    if calls:
        chunks.append(chunk({"role": "assistant", "tool_calls": calls}))
    if finish is not None:
        chunks += [chunk({}, finish), head | {"choices": [], "usage": body["usage"]}]
    lines = [f"data: {json.dumps(item)}\n\n" for item in chunks] + ["data: [DONE]\n\n"] * (finish is not None)
    return "".join(lines).encode()


def broken_stream(line: str) -> Reply:
    """A 200 stream whose first word is followed by `line` (an error chunk, a malformed one) and its end."""
    first_word = event_stream(completion({"content": "Durable agents"})[1]).split(b"\n\n")[0]
    return 200, first_word + f"\n\ndata: {line}\n\ndata: [DONE]\n\n".encode(), {}


class FakeEndpoint:
    """Answers chat-completion requests from a script of replies and records what it was sent.

    A streaming request (what `run_agent` sends) gets the reply as server-sent chunks.
    """

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        sent = json.loads(request.content)
        self.requests.append(sent)
        status, body, headers = self.replies.pop(0)
        if isinstance(body, bytes):
            return httpx2.Response(status, content=body, headers={"content-type": "text/event-stream"})
        if status == 200 and sent.get("stream"):
            return httpx2.Response(
                200, content=event_stream(body), headers={"content-type": "text/event-stream", **headers}
            )
        return httpx2.Response(status, json=body, headers=headers)

    def client_factory(self) -> Callable[[ModelSettings], OpenAIChatCompletionClient]:
        def create(settings: ModelSettings) -> OpenAIChatCompletionClient:
            http = httpx2.AsyncClient(transport=httpx2.MockTransport(self))
            sdk = openai.AsyncOpenAI(
                api_key="k", base_url="http://127.0.0.1:9/v1", http_client=http, max_retries=0
            )
            return OpenAIChatCompletionClient(model=settings.openai_model, async_client=sdk)

        return create


@pytest.fixture
def endpoint(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FakeEndpoint]:
    monkeypatch.setenv("AGENT_MODEL_PROVIDER", "openai")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("OPENAI_MODEL", "gpt-test")
    monkeypatch.setattr(agents.retry, "IN_ACTIVITY", agents.retry.RetryPolicy(retries=2, base_delay_s=0.001))

    def install(*replies: Reply) -> FakeEndpoint:
        fake = FakeEndpoint(*replies)
        monkeypatch.setattr(agents.model_factory, "create_chat_client", fake.client_factory())
        return fake

    return install


def run(payload: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(run_agent(payload))


def test_declaration_only_tools_come_back_as_tool_calls(endpoint: Callable[..., FakeEndpoint]) -> None:
    call = {
        "id": "call_a",
        "type": "function",
        "function": {"name": "calculator", "arguments": '{"expression": "2+2"}'},
    }
    fake = endpoint(completion({"content": None, "tool_calls": [call]}, "tool_calls"))
    result = run({"agent": "tool_agent", "prompt": "what is 2+2"})
    assert result["tool_calls"] == [
        {"call_id": "call_a", "name": "calculator", "arguments": {"expression": "2+2"}}
    ]
    assert (result["usage"], result["model"]) == ({"input_tokens": 11, "output_tokens": 7}, "gpt-test")
    sent = fake.requests[0]
    assert sorted(tool["function"]["name"] for tool in sent["tools"]) == [
        "calculator",
        "create_ticket",
        "lookup_knowledge",
    ]
    assert len(fake.requests) == 1  # nothing ran in-process, no second round trip


def test_tool_results_go_back_as_tool_messages(endpoint: Callable[..., FakeEndpoint]) -> None:
    fake = endpoint(completion({"content": "2 + 2 = 4"}))
    messages = [
        {"role": "user", "text": "what is 2+2"},
        {
            "role": "assistant",
            "text": "",
            "tool_calls": [{"call_id": "c1", "name": "calculator", "arguments": {"expression": "2+2"}}],
        },
        {"role": "tool", "call_id": "c1", "name": "calculator", "result": {"value": 4}},
    ]
    assert run({"agent": "tool_agent", "messages": messages})["text"] == "2 + 2 = 4"
    call = fake.requests[0]["messages"][-2]["tool_calls"][0]
    assert (call["id"], call["function"]) == (
        "c1",
        {"name": "calculator", "arguments": '{"expression": "2+2"}'},
    )
    tool_message = fake.requests[0]["messages"][-1]
    assert tool_message["role"] == "tool" and tool_message["tool_call_id"] == "c1"
    assert json.loads(tool_message["content"]) == {"value": 4}


def test_structured_output_is_requested_and_parsed(endpoint: Callable[..., FakeEndpoint]) -> None:
    fake = endpoint(completion({"content": '{"route": "billing", "reason": "invoice"}'}))
    result = run({"agent": "triage", "prompt": "my invoice is wrong"})
    assert result["value"] == {"route": "billing", "reason": "invoice"}
    assert fake.requests[0]["response_format"]["json_schema"]["name"] == "TriageDecision"


def test_off_schema_output_is_transient(endpoint: Callable[..., FakeEndpoint]) -> None:
    endpoint(*(completion({"content": '{"route": "sales"}'}) for _ in range(3)))
    with pytest.raises(TransientModelError, match="does not match TriageDecision"):
        run({"agent": "triage", "prompt": "my invoice is wrong"})


def test_rate_limits_are_retried_in_the_activity(endpoint: Callable[..., FakeEndpoint]) -> None:
    limited = (429, {"error": {"message": "slow down"}}, {"retry-after-ms": "5"})
    fake = endpoint(limited, limited, completion({"content": "hello"}))
    assert run({"agent": "assistant", "prompt": "hi"})["text"] == "hello"
    assert len(fake.requests) == 3


def test_a_long_retry_after_is_left_to_the_durable_retry(endpoint: Callable[..., FakeEndpoint]) -> None:
    """Azure OpenAI's quota 429 asks for tens of seconds: the activity does not hold a worker for it."""
    fake = endpoint((429, {"error": {"message": "Please retry after 60 seconds."}}, {"retry-after": "60"}))
    with pytest.raises(TransientModelError, match=r"wait 60 s.* \[retry after 60 s\]$"):
        run({"agent": "assistant", "prompt": "hi"})
    assert len(fake.requests) == 1


def test_persistent_server_errors_end_transient(endpoint: Callable[..., FakeEndpoint]) -> None:
    fake = endpoint(*((503, {"error": {"message": "busy"}}, {}) for _ in range(3)))
    with pytest.raises(TransientModelError, match=r"503.*gave up after 3 attempts"):
        run({"agent": "assistant", "prompt": "hi"})
    assert len(fake.requests) == 3


@pytest.mark.parametrize(
    "line",
    [
        '{"error": {"message": "The server had an error", "type": "server_error", "code": null}}',
        '{"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}',
        "{this is not json",
    ],
    ids=["server_error", "rate_limit", "malformed"],
)
def test_an_error_inside_a_200_stream_is_retried(endpoint: Callable[..., FakeEndpoint], line: str) -> None:
    fake = endpoint(broken_stream(line), completion({"content": "hello"}))
    assert run({"agent": "assistant", "prompt": "hi"})["text"] == "hello"
    assert len(fake.requests) == 2


def test_a_refused_request_inside_a_200_stream_stays_permanent(endpoint: Callable[..., FakeEndpoint]) -> None:
    fake = endpoint(broken_stream('{"error": {"message": "no", "type": "invalid_request_error"}}'))
    with pytest.raises(PermanentModelError, match="failed to complete the prompt: no"):
        run({"agent": "assistant", "prompt": "hi"})
    assert len(fake.requests) == 1


def test_content_filter_is_permanent_at_once(endpoint: Callable[..., FakeEndpoint]) -> None:
    blocked = (400, {"error": {"code": "content_filter", "message": "filtered", "param": "prompt"}}, {})
    fake = endpoint(blocked)
    with pytest.raises(PermanentModelError, match="content filter"):
        run({"agent": "assistant", "prompt": "something blocked"})
    assert len(fake.requests) == 1


def test_an_empty_reply_is_never_a_success(endpoint: Callable[..., FakeEndpoint]) -> None:
    endpoint(*(completion({"content": ""}) for _ in range(3)))
    with pytest.raises(TransientModelError, match="empty reply"):
        run({"agent": "assistant", "prompt": "hi"})


def test_a_reply_cut_off_before_its_finish_is_transient_never_a_success(
    endpoint: Callable[..., FakeEndpoint],
) -> None:
    fake = endpoint(*(completion({"content": "Durable agents stream"}, finish_reason=None) for _ in range(3)))
    with pytest.raises(TransientModelError, match="the stream was cut"):
        run({"agent": "assistant", "prompt": "hi"})
    assert len(fake.requests) == 3


def test_tool_calls_cut_off_mid_arguments_never_reach_a_tool(endpoint: Callable[..., FakeEndpoint]) -> None:
    call = {"id": "call_a", "type": "function", "function": {"name": "calculator", "arguments": '{"expr'}}
    cut = completion({"content": None, "tool_calls": [call]}, finish_reason=None)
    whole = {**call, "function": {"name": "calculator", "arguments": '{"expression": "2+2"}'}}
    endpoint(cut, completion({"content": None, "tool_calls": [whole]}, "tool_calls"))
    result = run({"agent": "tool_agent", "prompt": "what is 2+2"})
    assert result["tool_calls"][0]["arguments"] == {"expression": "2+2"}


@pytest.mark.parametrize(
    ("finish_reason", "says"),
    [("content_filter", "stopped by the content filter"), ("length", "hit the output token limit")],
)
def test_a_reply_the_model_stopped_early_is_permanent_at_once(
    endpoint: Callable[..., FakeEndpoint], finish_reason: str, says: str
) -> None:
    fake = endpoint(completion({"content": "Durable agents stream"}, finish_reason))
    with pytest.raises(PermanentModelError, match=says):
        run({"agent": "assistant", "prompt": "hi"})
    assert len(fake.requests) == 1


def test_the_reply_is_requested_streaming_and_stored_as_it_arrives(
    endpoint: Callable[..., FakeEndpoint],
) -> None:
    fake = endpoint(completion({"content": "Durable agents stream their words."}))
    result = run({"agent": "assistant", "prompt": "hi", "run": "run-1", "step": "s1"})
    assert fake.requests[0]["stream"] is True
    assert fake.requests[0]["stream_options"] == {"include_usage": True}
    chunks = SqliteStreamStore(Path(os.environ["STREAM_PATH"])).read("run-1", {"s1"})
    assert "".join(chunk.text for chunk in chunks) == result["text"] == "Durable agents stream their words."
    assert result["usage"] == {"input_tokens": 11, "output_tokens": 7}
