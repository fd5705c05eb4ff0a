"""`/runtime/webhooks/mcp`: the MCP extension's streamable HTTP endpoint, for any app the host runs.

The HTTP rules are the extension's (StreamableHttpRequestHandler): POST only (GET gets a 405, since
there is no server-to-client stream); `Accept` must list both `application/json` and
`text/event-stream` (406); a malformed `Mcp-Session-Id` or an empty body is a 400; a notification is a
202; a request is answered with one SSE `message` event. The spec would allow a plain JSON body for a
single reply; we answer in SSE, as the extension does, so a client that works here works in Azure.

Sessions are stateless, as in the extension: `initialize` without a session header gets a new
`Mcp-Session-Id` (`<16 chars>|<host instance id>`, the plain form the extension uses under Core Tools),
and any well-formed id is accepted afterwards, also across host restarts. Function keys are not checked,
as under `func start`.
"""

from __future__ import annotations

import logging
import secrets
import string
from http import HTTPStatus
from typing import Any

from aiohttp import web

from devhost.mcp_invoke import RequestInfo
from devhost.mcp_jsonrpc import (
    INTERNAL_ERROR,
    TRANSPORT_ERROR,
    Message,
    RpcError,
    error_message,
    parse_message,
    result_message,
    sse_event,
)
from devhost.mcp_methods import McpMethods

log = logging.getLogger("devhost.mcp")
MCP_PATH = "/runtime/webhooks/mcp"
SESSION_HEADER = "Mcp-Session-Id"
REQUIRED_MEDIA_TYPES = ("application/json", "text/event-stream")
_ID_ALPHABET = string.ascii_lowercase + string.digits
NOT_ACCEPTABLE = "Not Acceptable: Client must accept both application/json and text/event-stream"
EMPTY_BODY = "Bad Request: The POST body did not contain a valid JSON-RPC message."
INVALID_SESSION = "Invalid client state."
NO_GET_STREAM = (
    "Method Not Allowed: the Azure Functions MCP extension (and this host) offers no server-to-client"
    " stream; send JSON-RPC messages with POST"
)
NO_LEGACY_SSE = (
    "The legacy HTTP+SSE transport (/runtime/webhooks/mcp/sse) is not served by the embedded host;"
    " use streamable HTTP: POST /runtime/webhooks/mcp"
)


def new_id() -> str:
    """16 characters from [a-z0-9], like the extension's Utility.CreateId."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(16))


def _accepts_both(accept: str) -> bool:
    listed = {item.split(";", 1)[0].strip().lower() for item in accept.split(",")}
    return all(media_type in listed for media_type in REQUIRED_MEDIA_TYPES)


def _valid_session(value: str) -> bool:
    return len([part for part in value.split("|") if part]) == 2


def _rejection(status: HTTPStatus, message: str, **headers: str) -> web.Response:
    """The extension's transport errors: a JSON-RPC error with code -32000 and no request id."""
    return web.json_response(error_message(None, TRANSPORT_ERROR, message), status=status, headers=headers)


def _headers(request: web.Request) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in request.headers.items():
        known = next((key for key in headers if key.lower() == name.lower()), name)
        headers[known] = f"{headers[known]},{value}" if known in headers else value
    return headers


class McpEndpoint:
    """Serves the endpoint; the host's server routes every path under MCP_PATH here."""

    def __init__(self, methods: McpMethods, instance_id: str | None = None) -> None:
        self.methods = methods
        self.instance_id = instance_id or new_id()

    @staticmethod
    def matches(path: str) -> bool:
        lowered = path.rstrip("/").lower()
        return lowered == MCP_PATH or lowered.startswith(MCP_PATH + "/")

    async def handle(self, request: web.Request) -> web.Response:
        if request.rel_url.path.rstrip("/").lower() != MCP_PATH:
            return _rejection(HTTPStatus.NOT_FOUND, NO_LEGACY_SSE)
        if request.method != "POST":
            return _rejection(HTTPStatus.METHOD_NOT_ALLOWED, NO_GET_STREAM, Allow="POST")
        if not _accepts_both(request.headers.get("Accept", "")):
            return _rejection(HTTPStatus.NOT_ACCEPTABLE, NOT_ACCEPTABLE)
        session_id = request.headers.get(SESSION_HEADER)
        if session_id is not None and not _valid_session(session_id):
            return _rejection(HTTPStatus.BAD_REQUEST, INVALID_SESSION)
        try:
            message = parse_message(await request.read())
        except RpcError as error:
            return web.json_response(
                error_message(None, error.code, error.message), status=HTTPStatus.BAD_REQUEST
            )
        if message is None:
            return _rejection(HTTPStatus.BAD_REQUEST, EMPTY_BODY)
        if not message.is_request:
            return web.Response(status=HTTPStatus.ACCEPTED)
        info = RequestInfo(str(request.url.origin()), session_id, _headers(request))
        reply = await self._reply(message, info)
        headers = {"Content-Type": "text/event-stream", "Cache-Control": "no-cache,no-store"}
        if message.method == "initialize" and session_id is None:
            headers[SESSION_HEADER] = f"{new_id()}|{self.instance_id}"
        return web.Response(status=HTTPStatus.OK, body=sse_event(reply), headers=headers)

    async def _reply(self, message: Message, info: RequestInfo) -> dict[str, Any]:
        try:
            return result_message(message.id, await self.methods.answer(message, info))
        except RpcError as error:
            return error_message(message.id, error.code, error.message)
        except Exception:
            log.exception("MCP %s failed", message.method)
            return error_message(message.id, INTERNAL_ERROR, "An error occurred.")
