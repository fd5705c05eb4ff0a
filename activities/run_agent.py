"""The `run_agent` activity: one agent call, recorded and retried by the orchestrator.

Input `{"agent", "prompt"}` or `{"agent", "messages"}`, plus `{"run", "step"}` naming the token
stream; output the contract's AgentResult (`agent, text, value, tool_calls, usage, model,
elapsed_ms, step`). The model's reply is streamed (agent-framework's streaming run, on every
provider): each model attempt gets a new attempt id and its words go to the stream store as they
arrive (`streams.writer`), so `GET /api/runs/{id}/events` shows them live; the whole reply is still
returned and recorded by the history, which stays the source of truth. Never an empty or partial
success: a reply the model did not finish (no finish reason: the stream was cut, or the Responses API
reported it failed) or with neither text nor tool calls raises `TransientModelError`, as does structured
output that does not match the agent's schema; a reply stopped by the content filter or the output token
limit raises `PermanentModelError` (the same request would stop the same way), as do bad agent names
and malformed payloads (see docs/contracts.md).
"""

import time
from typing import Any

from activities.payload import Payload
from activities.request_excerpt import request_excerpt
from agents.catalog import AgentSpec, get_agent_spec
from agents.errors import PermanentModelError, TransientModelError
from agents.settings import ModelSettings, load_model_settings
from streams.store import stream_store
from streams.writer import StreamWriter


async def run_agent(payload: Payload) -> dict[str, Any]:
    """Run the named agent once on the given prompt or conversation and return its AgentResult."""
    # Imported here, not at module level: agent_framework takes a few hundred ms to import and
    # function_app.py must load fast; the first activity call pays it once per worker.
    from agents.build import agent_for
    from agents.messages import request_messages, to_framework_messages
    from agents.remote_tools.listing import remote_tools
    from agents.retry import with_retries, with_timeout

    if not isinstance(payload, dict):
        raise PermanentModelError(f"run_agent payload must be an object (got {type(payload).__name__})")
    spec = get_agent_spec(payload.get("agent"))
    settings = load_model_settings()
    messages = to_framework_messages(request_messages(payload))
    agent = agent_for(spec, settings, await remote_tools(spec.mcp_tools))
    started = time.perf_counter()

    step = _stream_step(payload)

    async def attempt() -> dict[str, Any]:
        writer = StreamWriter(stream_store(), payload["run"], step, spec.name) if step else None
        response = await with_timeout(
            lambda: streamed_reply(agent, messages, writer), settings.timeout_s, settings.endpoint
        )
        return agent_result(spec, settings, response)

    result = await with_retries(attempt)
    result["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 3)
    result["step"] = step
    result["request"] = request_excerpt(payload)  # what was asked, for GET /runs/{id}/steps
    return result


async def streamed_reply(agent: Any, messages: list[Any], writer: StreamWriter | None) -> Any:
    """Run the agent streaming, handing each update's text to `writer`; returns the final response."""
    stream = agent.run(messages, stream=True)
    try:
        async for update in stream:
            if writer is not None:
                writer.add(update.text)
        return await stream.get_final_response()
    finally:
        if writer is not None:
            await writer.close()


def _stream_step(payload: dict[str, Any]) -> str | None:
    """The step key when the payload names a stream (`run` and `step`, both non-empty strings)."""
    run, step = payload.get("run"), payload.get("step")
    if run is None and step is None:
        return None
    if not (isinstance(run, str) and run and isinstance(step, str) and step):
        raise PermanentModelError("run_agent payload fields 'run' and 'step' must both be non-empty strings")
    return step


def agent_result(spec: AgentSpec, settings: ModelSettings, response: Any) -> dict[str, Any]:
    """The AgentResult for one response; raises when the reply is empty or off-schema."""
    from agents.messages import tool_calls_of

    check_finished(spec, settings, response.finish_reason)
    text = response.text or ""
    tool_calls = tool_calls_of(response)
    if not text.strip() and not tool_calls:
        raise TransientModelError(
            f"agent {spec.name!r} got an empty reply from model {settings.model_name!r}"
        )
    usage = response.usage_details or {}
    return {
        "agent": spec.name,
        "text": text,
        "value": _structured_value(spec, response) if not tool_calls else None,
        "tool_calls": tool_calls,
        "usage": {
            "input_tokens": int(usage.get("input_token_count") or 0),
            "output_tokens": int(usage.get("output_token_count") or 0),
        },
        "model": settings.model_name,
        "elapsed_ms": 0.0,
        "step": None,
    }


def check_finished(spec: AgentSpec, settings: ModelSettings, finish_reason: str | None) -> None:
    """Raise unless the model finished its reply ("stop" or "tool_calls").

    A cut stream still ends cleanly for the client, with the words that arrived, so only the finish
    reason (every client path sets it on a complete reply) tells half a sentence, or a tool call with
    half its arguments, from a whole one.
    """
    where = f"agent {spec.name!r}: the reply from model {settings.model_name!r}"
    if finish_reason is None:
        raise TransientModelError(
            f"{where} ended before the model finished it (no finish reason: the stream was cut)"
        )
    if finish_reason == "content_filter":
        raise PermanentModelError(f"{where} was stopped by the content filter (finish reason content_filter)")
    if finish_reason == "length":
        raise PermanentModelError(f"{where} hit the output token limit (finish reason length)")


def _structured_value(spec: AgentSpec, response: Any) -> Any:
    if spec.output is None:
        return None
    try:
        value = response.value
    except ValueError as error:  # pydantic's ValidationError is a ValueError
        raise TransientModelError(
            f"agent {spec.name!r} replied with output that does not match {spec.output.__name__}: {error}"
        ) from error
    if value is None:
        raise TransientModelError(
            f"agent {spec.name!r} replied without the {spec.output.__name__} it must return"
        )
    return value.model_dump(mode="json")
