"""Calling the MCP tool functions the way the extension does, and reading their results back.

The extension hands a tool function its `context` JSON and the durable client; the function's
return value is the `useResultSchema` envelope, whose `content` is the whole `CallToolResult`.
"""

import asyncio
import json
from typing import Any

from mcp_tools.register import call_tool
from mcp_tools.tools import McpTool, mcp_tools
from tests.api.durable_fake import FakeDurableClient


def tool(name: str) -> McpTool:
    """The tool called `name`."""
    return next(t for t in mcp_tools() if t.name == name)


def context(name: str, arguments: Any, headers: dict[str, str] | None = None) -> str:
    """The trigger value the extension sends for `tools/call` (nulls omitted)."""
    body: dict[str, Any] = {"name": name, "sessionid": "abc|def", "transport": {"name": "http-streamable"}}
    if arguments is not None:
        body["arguments"] = arguments
    if headers:
        body["transport"]["properties"] = {"headers": headers}
    return json.dumps(body)


def call_mcp(client: FakeDurableClient, name: str, arguments: Any = None, **kwargs: Any) -> dict[str, Any]:
    """Call the tool and return the `CallToolResult` a client receives (camelCase JSON)."""
    wire = asyncio.run(call_tool(tool(name), context(name, arguments, **kwargs), client))  # type: ignore[arg-type]
    envelope = json.loads(wire)
    assert envelope["type"] == "call_tool_result"
    outcome = json.loads(envelope["content"])
    structured = envelope["structuredContent"]
    assert outcome.get("structuredContent") == (None if structured is None else json.loads(structured))
    return outcome


def text_of(outcome: dict[str, Any]) -> str:
    """The result's one text block."""
    [block] = outcome["content"]
    assert block["type"] == "text"
    return str(block["text"])
