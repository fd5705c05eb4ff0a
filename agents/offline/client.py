"""The offline chat client: a deterministic stand-in for a real model, so every workflow runs keyless.

It is an agent-framework `BaseChatClient` that implements `_inner_get_response`, wrapped in the
same function-invocation, middleware and telemetry layers as the OpenAI clients, so agents treat
it exactly like a real model: declaration-only tool calls come back in the response, structured
output parses into `AgentResponse.value`, and spans are emitted when telemetry is on.

Same messages and options → same reply, usage and response id, in every process. Token usage
is counted in words. `delay_ms` (from `OFFLINE_MODEL_DELAY_MS`) sleeps before each reply to
simulate model latency in benchmarks. Streaming sends the reply word by word, the delay spread
evenly over the words (the first word after one share of it, the last at the same moment a plain
call would answer), so a streamed run takes as long as an unstreamed one; words that are due
together (all of them without a delay) go out in one update, as a real stream batches what arrived
while its reader was busy. Tool calls and usage come with the last update. The stream's final
response is the reply composed before the first word went out, the very response a plain call
returns, not one rebuilt from every word's update (agent-framework's default for a stream, which
costs a few microseconds a word, all of them after the last word has arrived).
"""

import asyncio
import hashlib
import json
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
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

# A word starts where a non-space follows a space; splitting there keeps every character.
_WORD_START = re.compile(r"(?<=\s)(?=\S)")


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
            reply = _ComposedReply()
            return ResponseStream(self._stream(messages, options, reply), finalizer=reply.final)
        return self._respond(messages, options)

    async def _respond(self, messages: Sequence[Message], options: Mapping[str, Any]) -> ChatResponse:
        if self.delay_ms:
            await asyncio.sleep(self.delay_ms / 1000)
        return await self._compose(messages, options)

    async def _compose(self, messages: Sequence[Message], options: Mapping[str, Any]) -> ChatResponse:
        validated = await self._validate_options(options)
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
        self, messages: Sequence[Message], options: Mapping[str, Any], reply: "_ComposedReply"
    ) -> AsyncIterator[ChatResponseUpdate]:
        response = reply.response = await self._compose(messages, options)
        text = response.messages[0].text if not _has_tool_calls(response) else ""
        words = split_words(text)
        # Word i (from 1) is due at i/n of the delay: deadlines, not pauses, so the time the loop
        # takes to wake up does not add up over the words; words already due go out together.
        clock = asyncio.get_running_loop().time
        started, delay_s, count = clock(), self.delay_ms / 1000, len(words)
        sent = 0
        while sent < count - 1:
            await _until(clock, started + delay_s * (sent + 1) / count)
            due = min(count - 1, max(sent + 1, _words_due(clock() - started, delay_s, count)))
            yield ChatResponseUpdate(
                role="assistant",
                contents=[Content.from_text("".join(words[sent:due]))],
                response_id=response.response_id,
            )
            sent = due
        await _until(clock, started + delay_s)
        last = [Content.from_text(words[-1])] if words else [*response.messages[0].contents]
        if response.usage_details:
            last.append(Content.from_usage(response.usage_details))
        yield ChatResponseUpdate(
            role="assistant",
            contents=last,
            response_id=response.response_id,
            model=response.model,
            finish_reason=response.finish_reason,
        )


class _ComposedReply:
    """Holds the reply a stream composed, to be that stream's final response."""

    response: ChatResponse | None = None

    def final(self, updates: Sequence[ChatResponseUpdate]) -> ChatResponse:
        """The composed reply: the updates carry exactly its contents, word by word."""
        if self.response is None:  # the stream ends only after composing, or with its error
            raise RuntimeError(f"offline stream finished after {len(updates)} updates without a reply")
        return self.response


def _words_due(elapsed_s: float, delay_s: float, count: int) -> int:
    """How many of `count` words spread over `delay_s` are due after `elapsed_s` (all when no delay)."""
    return count if delay_s <= 0 else int(count * elapsed_s / delay_s)


async def _until(clock: Callable[[], float], deadline: float) -> None:
    remaining = deadline - clock()
    if remaining > 0:
        await asyncio.sleep(remaining)


def split_words(text: str) -> list[str]:
    """The text as words, each with the whitespace before the next one; they join back to `text`."""
    return [word for word in _WORD_START.split(text) if word]


def _has_tool_calls(response: ChatResponse) -> bool:
    return any(content.type == "function_call" for content in response.messages[0].contents)


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
