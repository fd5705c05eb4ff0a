"""The offline chat client: a deterministic stand-in for a real model, so every workflow runs keyless.

It is an agent-framework `BaseChatClient` that implements `_inner_get_response`, wrapped in the
same function-invocation, middleware and telemetry layers as the OpenAI clients, so agents treat
it exactly like a real model: declaration-only tool calls come back in the response, structured
output parses into `AgentResponse.value`, and spans are emitted when telemetry is on.

Same messages and options → same reply, usage and response id, in every process. Token usage
is counted in words. `delay_ms` (from `OFFLINE_MODEL_DELAY_MS`) sleeps before each reply to
simulate model latency in benchmarks. Streaming is supported as a single update carrying the
whole reply.
"""

import asyncio
import hashlib
import json
from collections.abc import AsyncIterator, Awaitable, Mapping, Sequence
from typing import Any, ClassVar

from agent_framework import (
    BaseChatClient,
    ChatMiddlewareLayer,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    FunctionInvocationLayer,
    Message,
    ResponseStream,
    UsageDetails,
)
from agent_framework.observability import ChatTelemetryLayer

from agents.offline.conversation import read_conversation
from agents.offline.roles import Reply, compose_reply
from agents.offline.text import word_count
from agents.settings import OFFLINE_MODEL_ID


class RawOfflineChatClient(BaseChatClient):
    """The offline model itself, without agent-framework's layers (use `OfflineChatClient`)."""

    OTEL_PROVIDER_NAME: ClassVar[str] = "offline"

    def __init__(self, *, delay_ms: float = 0.0, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.model = OFFLINE_MODEL_ID
        self.delay_ms = delay_ms

    def service_url(self) -> str:
        """No service: the model runs in-process."""
        return "offline://local"

    def _inner_get_response(
        self, *, messages: Sequence[Message], stream: bool, options: Mapping[str, Any], **kwargs: Any
    ) -> Awaitable[ChatResponse] | ResponseStream[ChatResponseUpdate, ChatResponse]:
        if stream:
            return self._build_response_stream(
                self._stream(messages, options), response_format=options.get("response_format")
            )
        return self._respond(messages, options)

    async def _respond(self, messages: Sequence[Message], options: Mapping[str, Any]) -> ChatResponse:
        validated = await self._validate_options(options)
        if self.delay_ms:
            await asyncio.sleep(self.delay_ms / 1000)
        conversation = read_conversation(messages, validated)
        reply = compose_reply(conversation, validated.get("response_format"))
        usage = _usage(conversation.input_words, reply)
        return ChatResponse(
            messages=[Message("assistant", _contents(reply))],
            response_id=_response_id(messages, validated, reply),
            model=self.model,
            finish_reason="tool_calls" if reply.tool_calls else "stop",
            usage_details=usage,
            response_format=validated.get("response_format"),
        )

    async def _stream(
        self, messages: Sequence[Message], options: Mapping[str, Any]
    ) -> AsyncIterator[ChatResponseUpdate]:
        response = await self._respond(messages, options)
        contents = [*response.messages[0].contents]
        if response.usage_details:
            contents.append(Content.from_usage(response.usage_details))
        yield ChatResponseUpdate(
            role="assistant",
            contents=contents,
            response_id=response.response_id,
            model=response.model,
            finish_reason=response.finish_reason,
        )


class OfflineChatClient(
    FunctionInvocationLayer[Any],
    ChatMiddlewareLayer[Any],
    ChatTelemetryLayer[Any],
    RawOfflineChatClient,
):
    """The offline model wrapped in the function-invocation, middleware and telemetry layers."""

    OTEL_PROVIDER_NAME: ClassVar[str] = "offline"


def _contents(reply: Reply) -> list[Content]:
    if reply.tool_calls:
        return [
            Content.from_function_call(call.call_id, call.name, arguments=call.arguments)
            for call in reply.tool_calls
        ]
    return [Content.from_text(reply.text)]


def _usage(input_words: int, reply: Reply) -> UsageDetails:
    output = word_count(reply.text) + sum(
        word_count(f"{call.name} {json.dumps(call.arguments)}") for call in reply.tool_calls
    )
    return {
        "input_token_count": input_words,
        "output_token_count": output,
        "total_token_count": input_words + output,
    }


def _response_id(messages: Sequence[Message], options: Mapping[str, Any], reply: Reply) -> str:
    """An id derived from the request and reply, so it is as deterministic as the text."""
    digest = hashlib.sha256()
    digest.update((options.get("instructions") or "").encode())
    for message in messages:
        digest.update(f"{message.role}:{message.text}".encode())
    digest.update(reply.text.encode())
    digest.update(json.dumps([call.arguments for call in reply.tool_calls], sort_keys=True).encode())
    return f"offline-{digest.hexdigest()[:16]}"
