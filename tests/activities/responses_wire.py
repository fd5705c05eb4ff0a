"""A fake OpenAI Responses API endpoint: what `AGENT_MODEL_API=responses` talks to, without a network.

It streams a scripted reply as the Responses API's server-sent events (text word by word, function
calls, a terminal event) and records every request body, so a test can check what went on the wire.
A reply can also end the way a failing service ends it: `response.failed`, `response.incomplete`
with a reason, an `error` event mid-stream, or a stream cut before any terminal event.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
import openai
from agent_framework_openai import OpenAIChatClient

from agents.settings import ModelSettings

USAGE = {
    "input_tokens": 11,
    "output_tokens": 7,
    "total_tokens": 18,
    "input_tokens_details": {"cached_tokens": 0},
    "output_tokens_details": {"reasoning_tokens": 0},
}


@dataclass
class Reply:
    """One scripted answer: `text` or `calls` (`{"call_id", "name", "arguments": <JSON string>}`).

    `end` is the terminal event (`response.completed`, `response.failed`, `response.incomplete` with
    `incomplete_reason`), `error` for an `error` event after the first word, or None for a stream
    that stops after the first word with no terminal event at all.
    """

    text: str = ""
    calls: list[dict[str, str]] = field(default_factory=list)
    end: str | None = "response.completed"
    incomplete_reason: str | None = None
    error_code: str = "server_error"


def _final(reply: Reply) -> dict[str, Any]:
    status = {"response.failed": "failed", "response.incomplete": "incomplete"}.get(
        reply.end or "", "completed"
    )
    output: list[dict[str, Any]] = [
        {"type": "function_call", "id": f"fc_{call['call_id']}", "status": "completed", **call}
        for call in reply.calls
    ]
    if not reply.calls:
        content = {"type": "output_text", "text": reply.text, "annotations": []}
        output = [
            {"type": "message", "id": "msg_1", "role": "assistant", "status": status, "content": [content]}
        ]
    return {
        "id": "resp_1",
        "object": "response",
        "created_at": 0,
        "model": "gpt-test",
        "status": status,
        "output": output,
        "usage": USAGE,
        "parallel_tool_calls": True,
        "tool_choice": "auto",
        "tools": [],
        "error": {"code": "server_error", "message": "failed"} if status == "failed" else None,
        "incomplete_details": {"reason": reply.incomplete_reason} if reply.incomplete_reason else None,
    }


def event_stream(reply: Reply) -> bytes:
    """The reply as the Responses API streams it."""
    final = _final(reply)
    events: list[dict[str, Any]] = [
        {
            "type": "response.created",
            "response": {**final, "status": "in_progress", "output": [], "usage": None},
        }
    ]
    for index, item in enumerate(final["output"]):
        if item["type"] == "function_call":
            arguments = {"item_id": item["id"], "output_index": index, "delta": item["arguments"]}
            events += [
                {
                    "type": "response.output_item.added",
                    "output_index": index,
                    "item": {**item, "arguments": ""},
                },
                {"type": "response.function_call_arguments.delta", **arguments},
                {"type": "response.output_item.done", "output_index": index, "item": item},
            ]
            continue
        where = {"item_id": item["id"], "output_index": index, "content_index": 0}
        events.append(
            {"type": "response.output_item.added", "output_index": index, "item": {**item, "content": []}}
        )
        for word in re.findall(r"\S+\s*", reply.text):
            events.append({"type": "response.output_text.delta", **where, "delta": word, "logprobs": []})
        events.append({"type": "response.output_item.done", "output_index": index, "item": item})
    if reply.end is None:
        events = events[:3]
    elif reply.end == "error":
        events = [
            *events[:3],
            {"type": "error", "code": reply.error_code, "message": "it broke", "param": None},
        ]
    else:
        events.append({"type": reply.end, "response": final})
    numbered = [{**event, "sequence_number": number} for number, event in enumerate(events)]
    return "".join(f"event: {event['type']}\ndata: {json.dumps(event)}\n\n" for event in numbered).encode()


class FakeResponsesEndpoint:
    """Answers `POST /responses` from a script of replies and records each request body."""

    def __init__(self, *replies: Reply) -> None:
        self.replies = list(replies)
        self.requests: list[dict[str, Any]] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        content = event_stream(self.replies.pop(0))
        return httpx2.Response(200, content=content, headers={"content-type": "text/event-stream"})

    def client_factory(self) -> Callable[[ModelSettings], OpenAIChatClient]:
        def create(settings: ModelSettings) -> OpenAIChatClient:
            http = httpx2.AsyncClient(transport=httpx2.MockTransport(self))
            sdk = openai.AsyncOpenAI(
                api_key="k", base_url="http://127.0.0.1:9/v1", http_client=http, max_retries=0
            )
            return OpenAIChatClient(model=settings.openai_model, async_client=sdk)

        return create
