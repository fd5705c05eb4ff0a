"""What the MCP extension hands a tool function: the `context` JSON, read into a typed call.

The extension sends `{"name", "arguments", "sessionid", "transport": {"name", "properties":
{"headers": {...}}}}` as text, nulls omitted (azure-functions-mcp-extension
`Trigger/McpToolTriggerBinding.cs`). Arguments arrive as the client sent them; checking them is the
run API's job, so this only refuses a context that is not that shape at all, or arguments larger
than the run API's body limit (the extension takes requests of up to 100 MB; `POST /api/runs/...`
refuses more than 1 MiB, and a tool must not be the way around it).
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from api.body import MAX_BODY_BYTES
from api.errors import ApiError


@dataclass(frozen=True)
class ToolCall:
    """One `tools/call` as the function sees it."""

    name: str
    arguments: dict[str, Any]
    session_id: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)


def read_call(context: str | bytes | Mapping[str, Any]) -> ToolCall:
    """Parse the trigger's value; a malformed one is a 400 `ApiError` (a tool result, not a crash)."""
    data = _as_mapping(context)
    arguments = data.get("arguments")
    if arguments is None:
        arguments = {}
    if not isinstance(arguments, dict):
        raise ApiError(
            422, "validation_error", f"arguments: must be a JSON object, got {type(arguments).__name__}"
        )
    size = len(json.dumps(arguments, ensure_ascii=False).encode("utf-8"))
    if size > MAX_BODY_BYTES:
        raise ApiError(413, "payload_too_large", f"arguments are {size} bytes; the limit is {MAX_BODY_BYTES}")
    transport = data.get("transport")
    properties = transport.get("properties") if isinstance(transport, dict) else None
    headers = properties.get("headers") if isinstance(properties, dict) else None
    return ToolCall(
        name=str(data.get("name") or ""),
        arguments=arguments,
        session_id=data.get("sessionid") if isinstance(data.get("sessionid"), str) else None,
        headers={str(k): str(v) for k, v in headers.items()} if isinstance(headers, dict) else {},
    )


def _as_mapping(context: str | bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(context, Mapping):
        return context
    try:
        data = json.loads(context)
    except (ValueError, RecursionError):
        raise ApiError(400, "invalid_json", "the tool call's context is not valid JSON") from None
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "the tool call's context must be a JSON object")
    return data
