"""One call of a remote MCP tool, as the `run_tool` activity makes it.

The activity is the durable step: once it has returned, its result is in the run's history and a
replay never calls the server again. A call still in flight when a worker dies is made again by the
retry (at least once), so the call carries the step's idempotency key in `_meta.idempotencyKey` for
servers that deduplicate.

Failures are sorted the way the model and the durable retry need them (`failures.py`): the server
answering with a tool error or a protocol error (unknown tool, bad arguments) comes back to the
model as `{"error": "<server>__<tool>: <cause>"}`; an unreachable server or a timeout raises
`TransientModelError`, which fails the activity so the orchestrator's retry runs it again. A result
of a call that worked never has `error` at its top (see `unmistakable`), so that key alone tells a
failure, as it does for the app's own tools.
"""

import asyncio
import json
from typing import Any

from agents.errors import PermanentModelError, TransientModelError
from agents.remote_tools import connection
from agents.remote_tools.failures import RemoteError
from agents.remote_tools.settings import TOOL_SEPARATOR, call_timeout_seconds, server_settings


def is_remote_tool(name: object) -> bool:
    """Whether `name` is a remote tool's model name (`<server>__<tool>`)."""
    return isinstance(name, str) and TOOL_SEPARATOR in name


def call_remote_tool(model_name: str, arguments: Any, idempotency_key: str | None) -> Any:
    """Call the tool and return what the model reads: its structured result, else its text.

    Runs the call on an event loop of its own: `run_tool` is a synchronous activity, which the
    Functions worker runs on a worker thread.
    """
    server_name, _, tool = model_name.partition(TOOL_SEPARATOR)
    server = server_settings(server_name)
    if server is None:
        raise PermanentModelError(
            f"tool {model_name!r} needs MCP server {server_name!r}: set MCP_SERVER_{server_name.upper()}_URL"
        )
    if not isinstance(arguments, dict):
        return {"error": f"arguments for {model_name} must be a JSON object"}
    timeout_s = call_timeout_seconds()
    try:
        outcome = asyncio.run(
            asyncio.wait_for(connection.call_tool(server, tool, arguments, idempotency_key), timeout_s)
        )
    except TimeoutError:
        raise TransientModelError(f"MCP tool {model_name} did not answer within {timeout_s:g} s") from None
    except RemoteError as error:
        if error.failure.answered:
            return {"error": f"{model_name}: {error.failure.cause}"}
        cause = error.failure.cause
        raise TransientModelError(f"MCP server {server.name} ({server.shown_url}): {cause}") from error
    text = "\n".join(
        getattr(block, "text", "") for block in outcome.content if getattr(block, "type", "") == "text"
    )
    if outcome.is_error:
        return {"error": f"{model_name}: {text or 'failed'}"}
    value = outcome.structured_content if outcome.structured_content is not None else _parsed(text)
    return unmistakable(value)


def unmistakable(value: Any) -> Any:
    """`value` as the result of a call that worked, never to be read as a failure.

    Every tool says "I failed" the same way: an object with an `error` key. A remote tool's result
    is whatever the server sent, and may have such a key while meaning no failure (a run document
    with `"error": null`); it is wrapped as `{"result": value}` so the key is not at the top.
    """
    if isinstance(value, dict) and "error" in value:
        return {"result": value}
    return value


def _parsed(text: str) -> Any:
    """The text's JSON value, else the text itself (not JSON, or nested past the parser's depth)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return text
