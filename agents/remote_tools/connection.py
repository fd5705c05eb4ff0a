"""Talking to one MCP server over streamable HTTP with the official `mcp` client.

Each listing and each call opens its own short connection: calls run in activities that may land on
any worker, and a connection per call keeps no state a crash could strand. The initialize handshake
is used (not the newer discovery probe) because it is what every deployed server, the Azure
Functions MCP extension included, understands.

Whatever goes wrong inside a connection leaves it as one `RemoteError` saying what the root cause
was and whether the server answered (`failures.py`), so callers never see the client's task-group
wrappers.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any, cast

from agents.remote_tools.failures import RemoteError, RemoteFailure
from agents.remote_tools.settings import McpServer

if TYPE_CHECKING:
    from mcp import Client
    from mcp.types import CallToolResult, RequestParamsMeta, Tool


@asynccontextmanager
async def connected(server: McpServer) -> AsyncIterator["Client"]:
    """An initialised client session with the server, closed on exit; failures raise `RemoteError`."""
    # `mcp` is imported on first use: function_app.py loads without it.
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    # The SDK's own factory (its transports use it): MCP's connect and read timeouts, our headers.
    from mcp.shared._httpx_utils import create_mcp_http_client

    refusals: list[int] = []

    async def note_refusal(response: Any) -> None:
        # Only the POSTs carry requests: a GET for the optional event stream may be refused (405)
        # by a server that works fine.
        if response.status_code >= 400 and response.request.method == "POST":
            refusals.append(response.status_code)

    http = create_mcp_http_client(headers=dict(server.headers))
    http.event_hooks = {"request": [], "response": [note_refusal]}
    transport = streamable_http_client(server.url, http_client=http)
    try:
        async with http, Client(transport, mode="legacy") as client:
            yield client
    except Exception as error:
        status = refusals[-1] if refusals else None
        raise RemoteError(RemoteFailure.of(error, status)) from error


async def list_tools(server: McpServer) -> list["Tool"]:
    """Every tool the server lists, following its pages."""
    tools: list[Tool] = []
    cursor: str | None = None
    async with connected(server) as client:
        while True:
            page = await client.list_tools(cursor=cursor)
            tools.extend(page.tools)
            cursor = page.next_cursor
            if not cursor:
                return tools


async def call_tool(
    server: McpServer, name: str, arguments: dict[str, Any], idempotency_key: str | None
) -> "CallToolResult":
    """Call the tool once; the idempotency key travels in `_meta` so the server can deduplicate."""
    # `RequestParamsMeta` is an open TypedDict (`extra_items=Any`), which mypy does not read yet.
    meta = cast("RequestParamsMeta", {"idempotencyKey": idempotency_key}) if idempotency_key else None
    async with connected(server) as client:
        return await client.call_tool(name, arguments, meta=meta)
