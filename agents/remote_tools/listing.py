"""The remote tools an agent is offered: fetched from each configured server, cached for a while.

A server's list is fetched at most once per `MCP_TOOLS_CACHE_S` per worker (and again once that has
passed), so an agent call does not pay a round trip to every server. The model sees a remote tool
as `<server>__<tool>` with the description and argument schema the server declared; that name is
how `run_tool` finds the server again.

A server that cannot list its tools (down, refusing, or silent for `MCP_TOOLS_LIST_TIMEOUT_S`) must
not stop the agent: its other tools and servers still work. So the agent runs without that server's
tools, as if its URL were unset, and a warning names the server and the root cause; if the list was
fetched before, that older list is offered instead (a server that answered a while ago is more often
slow for a moment than gone, and a run keeps the tools it started with). After a failure the server
is not asked again for `RETRY_AFTER_FAILURE_S`, so a hanging server costs one timeout per worker
and retry interval, not one per agent call.
"""

import asyncio
import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from agents.remote_tools import connection
from agents.remote_tools.failures import RemoteError
from agents.remote_tools.settings import (
    TOOL_SEPARATOR,
    McpServer,
    cache_seconds,
    list_timeout_seconds,
    server_settings,
)

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class McpToolset:
    """An agent declaration's tools from one MCP server: every tool it lists, or only those named."""

    server: str
    tools: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemoteTool:
    """One tool of one server as the model is offered it (hashable: it keys the agent cache)."""

    server: str
    name: str
    description: str
    schema_json: str

    @property
    def model_name(self) -> str:
        """The name the model calls it by, `<server>__<tool>`."""
        return f"{self.server}{TOOL_SEPARATOR}{self.name}"

    @property
    def input_schema(self) -> dict[str, Any]:
        """The JSON Schema of its arguments, as the server declared it."""
        schema: dict[str, Any] = json.loads(self.schema_json)
        return schema


RETRY_AFTER_FAILURE_S = 30.0

_listed: dict[McpServer, tuple[float, tuple[RemoteTool, ...]]] = {}
_failed_at: dict[McpServer, float] = {}
_unconfigured_logged: set[str] = set()


async def remote_tools(toolsets: tuple[McpToolset, ...]) -> tuple[RemoteTool, ...]:
    """The declared tools of every configured server (servers without a URL setting are skipped)."""
    offered: list[RemoteTool] = []
    for toolset in toolsets:
        server = server_settings(toolset.server)
        if server is None:
            _log_unconfigured(toolset.server)
            continue
        listed = await _server_tools(server)
        offered.extend(tool for tool in listed if not toolset.tools or tool.name in toolset.tools)
        missing = set(toolset.tools) - {tool.name for tool in listed}
        if missing:
            _log.warning("MCP server %s lists no tool named %s", server.name, ", ".join(sorted(missing)))
    return tuple(offered)


def forget_listings() -> None:
    """Drop every cached list (tests; a changed server is otherwise picked up after the cache time)."""
    _listed.clear()
    _failed_at.clear()


async def _server_tools(server: McpServer) -> tuple[RemoteTool, ...]:
    now = time.monotonic()
    cached = _listed.get(server)
    if cached is not None and now - cached[0] < cache_seconds():
        return cached[1]
    failed_at = _failed_at.get(server)
    if failed_at is not None and now - failed_at < min(RETRY_AFTER_FAILURE_S, cache_seconds()):
        return cached[1] if cached is not None else ()
    timeout_s = list_timeout_seconds()
    try:
        async with asyncio.timeout(timeout_s):  # not wait_for: on 3.11 it can swallow a cancel
            tools = await connection.list_tools(server)
    except (RemoteError, TimeoutError) as error:
        cause = str(error) if isinstance(error, RemoteError) else f"no answer within {timeout_s:g} s"
        return _listing_failed(server, cause, cached)
    _failed_at.pop(server, None)
    listed = tuple(
        RemoteTool(
            server.name, tool.name, tool.description or "", json.dumps(tool.input_schema, sort_keys=True)
        )
        for tool in tools
    )
    _listed[server] = (time.monotonic(), listed)
    return listed


def _listing_failed(
    server: McpServer, cause: str, cached: tuple[float, tuple[RemoteTool, ...]] | None
) -> tuple[RemoteTool, ...]:
    """The tools to offer when listing failed: the older list if there is one, else none."""
    _failed_at[server] = time.monotonic()
    problem = f"MCP server {server.name} ({server.shown_url}) did not list its tools: {cause}"
    if cached is None:
        _log.warning("%s; its tools are not offered until it does", problem)
        return ()
    age = time.monotonic() - cached[0]
    _log.warning("%s; offering the list it gave %.0f s ago", problem, age)
    return cached[1]


def _log_unconfigured(name: str) -> None:
    if name not in _unconfigured_logged:
        _unconfigured_logged.add(name)
        _log.info(
            "MCP server %s is not configured (MCP_SERVER_%s_URL unset); its tools are not offered",
            name,
            name.upper(),
        )
