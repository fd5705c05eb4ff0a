"""JSON-RPC 2.0 for the MCP endpoint: read one message from a POST body, build replies, frame them as SSE.

The Azure Functions MCP extension reads exactly one message per POST (no batches) and answers a request
with a `text/event-stream` body holding one `message` event; notifications and client responses get a
202 with no body. docs/mcp-embedded-host.md lists the sources.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSONRPC_VERSION = "2.0"
# The JSON-RPC 2.0 error codes (spec, section 5.1), the values `mcp.types` names. Defined here, not
# imported: importing `mcp` builds its pydantic models, over a second of every host start.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
# The extension's code for requests it rejects before they reach the MCP server (406, 400 on the body
# or the session header): StreamableHttpRequestHandler.WriteJsonRpcErrorAsync's default.
TRANSPORT_ERROR = -32000

RequestId = str | int


class RpcError(Exception):
    """A JSON-RPC error answered to the client: `code` and `message` go into the error object."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Message:
    """One incoming JSON-RPC message: a request (method and id), a notification (method) or a response."""

    method: str | None
    id: RequestId | None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def is_request(self) -> bool:
        return self.method is not None and self.id is not None


def parse_message(body: bytes) -> Message | None:
    """The message in a POST body; None for an empty body or JSON `null` (the extension's 400 case).

    Raises RpcError with PARSE_ERROR for bytes that are not JSON and INVALID_REQUEST for JSON that is not
    one JSON-RPC 2.0 message.
    """
    if not body.strip():
        return None
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise RpcError(PARSE_ERROR, f"Parse error: the POST body is not JSON ({error})") from error
    except RecursionError:
        raise RpcError(PARSE_ERROR, "Parse error: the POST body nests arrays or objects too deeply") from None
    if document is None:
        return None
    if isinstance(document, list):
        raise RpcError(
            INVALID_REQUEST, "Invalid Request: JSON-RPC batches are not supported; send one message"
        )
    if not isinstance(document, dict) or document.get("jsonrpc") != JSONRPC_VERSION:
        raise RpcError(
            INVALID_REQUEST, 'Invalid Request: expected a JSON-RPC 2.0 object with "jsonrpc": "2.0"'
        )
    return _message(document)


def _message(document: dict[str, Any]) -> Message:
    method = document.get("method")
    request_id = document.get("id")
    if method is not None and not isinstance(method, str):
        raise RpcError(INVALID_REQUEST, 'Invalid Request: "method" must be a string')
    if request_id is not None and (isinstance(request_id, bool) or not isinstance(request_id, str | int)):
        raise RpcError(INVALID_REQUEST, 'Invalid Request: "id" must be a string or an integer')
    if method is None and request_id is None:
        raise RpcError(INVALID_REQUEST, 'Invalid Request: a message needs a "method" or an "id"')
    params = document.get("params")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise RpcError(INVALID_PARAMS, 'Invalid params: "params" must be an object')
    return Message(method=method, id=request_id, params=params)


def result_message(request_id: RequestId | None, result: dict[str, Any]) -> dict[str, Any]:
    return {"jsonrpc": JSONRPC_VERSION, "id": request_id, "result": result}


def error_message(request_id: RequestId | None, code: int, message: str) -> dict[str, Any]:
    return {"jsonrpc": JSONRPC_VERSION, "id": request_id, "error": {"code": code, "message": message}}


def sse_event(message: dict[str, Any]) -> bytes:
    """One server-sent event holding a JSON-RPC message, as the MCP C# SDK writes it."""
    return f"event: message\ndata: {json.dumps(message, separators=(',', ':'))}\n\n".encode()
