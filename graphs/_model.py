"""The template's agents inside graphs: `template_agent("writer")` is an `Agent` on our model path.

The agent's chat client does not talk to a model itself: each call becomes the `run_agent` payload
`{"agent", "messages"}` (docs/contracts.md) and goes through `graphs._calls.dispatch`, so in a
durable run every agent call is its own recorded, retried `run_agent` activity (usage counted,
timeouts, transient vs permanent errors), and in-process the same activity code answers. The reply
is rebuilt from the AgentResult, so a graph sees the same response either way.
"""

from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, ClassVar

from agent_framework import (
    Agent,
    BaseChatClient,
    ChatMiddlewareLayer,
    ChatResponse,
    ChatResponseUpdate,
    Content,
    FunctionInvocationLayer,
    Message,
    ResponseStream,
)

from agents.build import build_agent
from agents.catalog import get_agent_spec
from graphs._calls import JsonObject, dispatch


def template_agent(name: str) -> Agent:
    """The template agent `name` (agents/catalog.py) for use in a graph, e.g. in an `AgentExecutor`."""
    spec = get_agent_spec(name)
    if spec.tools:
        raise ValueError(f"agent '{name}' uses tools; graphs run tool-free template agents only")
    agent: Agent = build_agent(spec, TemplateModelClient(agent=spec.name))
    return agent


class RawTemplateModelClient(BaseChatClient):
    """Sends each request to `run_agent` for the named template agent (use `TemplateModelClient`)."""

    OTEL_PROVIDER_NAME: ClassVar[str] = "template"

    def __init__(self, *, agent: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.agent = agent

    def _inner_get_response(
        self, *, messages: Sequence[Message], stream: bool, options: Mapping[str, Any], **kwargs: Any
    ) -> Awaitable[ChatResponse] | ResponseStream[ChatResponseUpdate, ChatResponse]:
        payload: JsonObject = {"agent": self.agent, "messages": contract_messages(messages)}
        response_format = options.get("response_format")

        async def respond() -> ChatResponse:
            return chat_response(await dispatch(payload), response_format)

        if stream:
            return self._build_response_stream(_as_updates(respond), response_format=response_format)
        return respond()


class TemplateModelClient(
    FunctionInvocationLayer[Any],
    ChatMiddlewareLayer[Any],
    RawTemplateModelClient,
):
    """The model-path client wrapped in agent-framework's function-invocation and middleware layers."""


def contract_messages(messages: Sequence[Message]) -> list[JsonObject]:
    """agent_framework messages → contract messages (system prompts come from the agent's spec)."""
    converted: list[JsonObject] = []
    for message in messages:
        role = str(message.role)
        if role == "system":
            continue
        results = [c for c in message.contents if c.type == "function_result"]
        for result in results:
            converted.append({"role": "tool", "call_id": result.call_id or "", "result": result.result})
        calls = [
            {"call_id": c.call_id or "", "name": c.name, "arguments": c.parse_arguments() or {}}
            for c in message.contents
            if c.type == "function_call"
        ]
        if message.text or calls:
            entry: JsonObject = {"role": role, "text": message.text or ""}
            if calls:
                entry["tool_calls"] = calls
            converted.append(entry)
    return converted


def chat_response(result: JsonObject, response_format: Any) -> ChatResponse:
    """The `ChatResponse` an AgentResult stands for (text or tool calls, usage, model)."""
    contents = [Content.from_text(result["text"])] if result.get("text") else []
    contents += [
        Content.from_function_call(call["call_id"], call["name"], arguments=call.get("arguments") or {})
        for call in result.get("tool_calls") or []
    ]
    usage = result.get("usage") or {}
    tokens_in, tokens_out = int(usage.get("input_tokens") or 0), int(usage.get("output_tokens") or 0)
    return ChatResponse(
        messages=[Message("assistant", contents)],
        model=result.get("model"),
        finish_reason="tool_calls" if result.get("tool_calls") else "stop",
        usage_details={
            "input_token_count": tokens_in,
            "output_token_count": tokens_out,
            "total_token_count": tokens_in + tokens_out,
        },
        response_format=response_format,
    )


async def _as_updates(respond: Callable[[], Awaitable[ChatResponse]]) -> AsyncIterator[ChatResponseUpdate]:
    """A streamed reply as one update carrying the whole response (the model path is not streamed)."""
    response = await respond()
    contents = [*response.messages[0].contents]
    if response.usage_details:
        contents.append(Content.from_usage(response.usage_details))
    yield ChatResponseUpdate(
        role="assistant", contents=contents, model=response.model, finish_reason=response.finish_reason
    )
