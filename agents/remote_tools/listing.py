"""The remote tools an agent is offered: fetched from each configured server, cached for a while.

A server's list is fetched at most once per `MCP_TOOLS_CACHE_S` per worker (and again once that has
passed), so an agent call does not pay a round trip to every server. The model sees a remote tool
as `<server>__<tool>` with the description and argument schema the server declared; that name is
how `run_tool` finds the server again.
"""

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from agents.errors import TransientModelError
from agents.remote_tools import connection
from agents.remote_tools.settings import TOOL_SEPARATOR, McpServer, cache_seconds, server_settings

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


_listed: dict[McpServer, tuple[float, tuple[RemoteTool, ...]]] = {}
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


async def _server_tools(server: McpServer) -> tuple[RemoteTool, ...]:
    cached = _listed.get(server)
    if cached is not None and time.monotonic() - cached[0] < cache_seconds():
        return cached[1]
    try:
        tools = await connection.list_tools(server)
    except Exception as error:
        # Unreachable or failing now: the agent call is retried like any transient model failure.
        raise TransientModelError(
            f"MCP server {server.name} ({server.url}) did not list its tools: {error}"
        ) from error
    listed = tuple(
        RemoteTool(
            server.name, tool.name, tool.description or "", json.dumps(tool.input_schema, sort_keys=True)
        )
        for tool in tools
    )
    _listed[server] = (time.monotonic(), listed)
    return listed


def _log_unconfigured(name: str) -> None:
    if name not in _unconfigured_logged:
        _unconfigured_logged.add(name)
        _log.info(
            "MCP server %s is not configured (MCP_SERVER_%s_URL unset); its tools are not offered",
            name,
            name.upper(),
        )
