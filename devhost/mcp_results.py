"""What a tool, prompt or resource function returned, as the MCP result the client receives.

Two steps, as in Azure: the worker's converter for the trigger (azure-functions' `mcp.py`, found through
the worker's binding registry) turns the Python value into a string or bytes; then the extension's return
value binder turns that into the result (SimpleToolReturnValueBinder, ToolReturnValueBinder,
SimplePromptReturnValueBinder, ResourceReturnValueBinder). A value the binder cannot read raises
ResultError, which the caller answers like the extension: an `isError` tool result or a -32603 error.
"""

from __future__ import annotations

import base64
import json
from typing import Any

from azure.functions import meta

from devhost.worker_converters import converter

CALL_TOOL_RESULT = "call_tool_result"
MULTI_CONTENT_RESULT = "multi_content_result"
CONTENT_BLOCK_TYPES = frozenset({"text", "image", "audio", "resource", "resource_link"})
TOOL_FAILED = "An error occurred invoking '{name}'."
# What .NET's object.ToString() gives for the byte[] the worker sends when a function returns bytes.
DOTNET_BYTES_TEXT = "System.Byte[]"

Returned = str | bytes


class ResultError(ValueError):
    """The function's return value is not something the extension can turn into a result."""


def worker_encode(trigger_type: str, value: Any) -> Returned:
    """The worker's implicit output for an MCP trigger: the converter's `encode`, as a str or bytes."""
    datum = converter(trigger_type).encode(value, expected_type=None)
    return bytes(datum.value) if datum.type == "bytes" else str(datum.value)


def worker_decode(trigger_type: str, context_json: str) -> Any:
    """The trigger argument the worker builds from the context JSON the extension sends."""
    datum = meta.Datum(value=context_json, type="string")
    return converter(trigger_type).decode(datum, trigger_metadata=None)


def _as_text(value: Returned) -> str:
    return value if isinstance(value, str) else DOTNET_BYTES_TEXT


def tool_failure(tool_name: str) -> dict[str, Any]:
    """The only thing a client learns of a failed tool function, by design of the MCP C# SDK."""
    return {"content": [{"type": "text", "text": TOOL_FAILED.format(name=tool_name)}], "isError": True}


def tool_result(value: Returned, use_result_schema: bool) -> dict[str, Any]:
    """A CallToolResult: one text block, or the worker's envelope when `useResultSchema` is on."""
    if not use_result_schema:
        return {"content": [{"type": "text", "text": _as_text(value)}]}
    if not isinstance(value, str):
        raise ResultError("Expected JSON string.")
    envelope = _json_object(value, "the function return value")
    kind = envelope.get("type")
    if not isinstance(kind, str):
        raise ResultError('the function return value has no "type"')
    content = envelope.get("content")
    if not isinstance(content, str):
        raise ResultError(f"content of type '{kind}' is missing")
    if kind.lower() == CALL_TOOL_RESULT:
        return _call_tool_result(_json_object(content, "CallToolResult"))
    blocks = _json(content, f"content of type '{kind}'")
    blocks = blocks if kind.lower() == MULTI_CONTENT_RESULT else [blocks]
    if not isinstance(blocks, list) or not blocks:
        raise ResultError("No content items were produced from the McpToolResult.")
    result: dict[str, Any] = {"content": [_block(b) for b in blocks]}
    structured = envelope.get("structuredContent")
    if isinstance(structured, str) and structured:
        result["structuredContent"] = _json(structured, "structured content")
    return result


def _call_tool_result(document: dict[str, Any]) -> dict[str, Any]:
    content = document.get("content", [])
    if not isinstance(content, list):
        raise ResultError("CallToolResult.content must be an array")
    result: dict[str, Any] = {"content": [_block(b) for b in content]}
    for key in ("structuredContent", "isError", "_meta"):
        if document.get(key) is not None:
            result[key] = document[key]
    return result


def _block(block: Any) -> dict[str, Any]:
    if not isinstance(block, dict) or block.get("type") not in CONTENT_BLOCK_TYPES:
        raise ResultError(f"not an MCP content block: {block!r:.200}")
    return {key: value for key, value in block.items() if value is not None}


def _json(text: str, what: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        raise ResultError(f"{what} is not JSON ({error})") from error


def _json_object(text: str, what: str) -> dict[str, Any]:
    document = _json(text, what)
    if not isinstance(document, dict):
        raise ResultError(f"{what} is not a JSON object")
    return document


def prompt_result(value: Returned) -> dict[str, Any]:
    """A GetPromptResult: the returned text as one user message."""
    return {"messages": [{"role": "user", "content": {"type": "text", "text": _as_text(value)}}]}


def resource_result(value: Returned, uri: str, mime_type: str | None) -> dict[str, Any]:
    """A ReadResourceResult: bytes as a base64 blob; text, unless it is the worker's `{"content": ...}`."""
    if isinstance(value, bytes):
        contents = {"uri": uri, "mimeType": mime_type, "blob": base64.b64encode(value).decode("ascii")}
    else:
        contents = _worker_resource(value, uri, mime_type) or {
            "uri": uri,
            "mimeType": mime_type,
            "text": value,
        }
    return {"contents": [{key: item for key, item in contents.items() if item is not None}]}


def _worker_resource(value: str, uri: str, mime_type: str | None) -> dict[str, Any] | None:
    """`{"content": "<ResourceContents JSON>"}` (any case) is used as the contents; anything else is text."""
    try:
        envelope = json.loads(value)
    except ValueError:
        return None
    if not isinstance(envelope, dict):
        return None
    content = next((item for key, item in envelope.items() if key.lower() == "content"), None)
    if not isinstance(content, str):
        return None
    contents = _json_object(content, "resource content")
    if "text" not in contents and "blob" not in contents:
        raise ResultError("resource content has neither text nor blob")
    return {**contents, "uri": contents.get("uri") or uri, "mimeType": contents.get("mimeType") or mime_type}
