"""The MCP methods the extension's server answers, with its results and its error codes and wording.

Stateless, like the extension: every POST gets a fresh view, so nothing here depends on an earlier
`initialize`. Unknown names are -32602 (`Unknown tool: 'x'`), missing required arguments -32602 with the
extension's sentence, an unknown method -32601, a prompt or resource function that fails -32603.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from devhost.mcp_catalog import McpCatalog, McpPrompt, McpTool
from devhost.mcp_invoke import InvocationFailed, McpInvoker, RequestInfo
from devhost.mcp_jsonrpc import INTERNAL_ERROR, INVALID_PARAMS, METHOD_NOT_FOUND, Message, RpcError

# The protocol versions the extension's MCP SDK speaks; an unknown one is answered with the newest.
SUPPORTED_PROTOCOL_VERSIONS = ("2024-11-05", "2025-03-26", "2025-06-18")
LATEST_PROTOCOL_VERSION = SUPPORTED_PROTOCOL_VERSIONS[-1]
MISSING_TOOL_PROPERTIES = "One or more required tool properties are missing values. Please provide: {names}"
MISSING_PROMPT_ARGUMENTS = "One or more required prompt arguments are missing values. Please provide: {names}"
LOG_LEVELS = ("debug", "info", "notice", "warning", "error", "critical", "alert", "emergency")


@dataclass(frozen=True)
class ServerInfo:
    """`extensions.mcp` in host.json: what `initialize` tells the client."""

    name: str
    version: str
    instructions: str | None


Handler = Callable[[dict[str, Any], RequestInfo], Awaitable[dict[str, Any]]]


Named = TypeVar("Named", McpTool, McpPrompt)


def _named(params: dict[str, Any], find: Callable[[str], Named | None], kind: str) -> Named:
    """The tool or prompt `params.name` names; -32602 `Unknown <kind>: '<name>'` when there is none."""
    name = params.get("name")
    found = find(name) if isinstance(name, str) else None
    if found is None:
        raise RpcError(INVALID_PARAMS, f"Unknown {kind}: '{name or ''}'")
    return found


def _complete_arguments(
    params: dict[str, Any], item: McpTool | McpPrompt, missing_text: str
) -> dict[str, Any] | None:
    """`params.arguments`, checked for an object holding every required name."""
    arguments = params.get("arguments")
    if arguments is not None and not isinstance(arguments, dict):
        raise RpcError(INVALID_PARAMS, 'Invalid params: "arguments" must be an object')
    missing = item.missing(arguments)
    if missing:
        raise RpcError(INVALID_PARAMS, missing_text.format(names=", ".join(missing)))
    return arguments


class McpMethods:
    """Answers one JSON-RPC request; raises RpcError for the error replies."""

    def __init__(self, catalog: McpCatalog, invoker: McpInvoker, server: ServerInfo) -> None:
        self.catalog = catalog
        self.invoker = invoker
        self.server = server
        self.handlers: dict[str, Handler] = {
            "initialize": self.initialize,
            "ping": self.empty,
            "logging/setLevel": self.set_level,
            "tools/list": self.list_tools,
            "tools/call": self.call_tool,
            "prompts/list": self.list_prompts,
            "prompts/get": self.get_prompt,
            "resources/list": self.list_resources,
            "resources/templates/list": self.list_templates,
            "resources/read": self.read_resource,
        }

    async def answer(self, message: Message, info: RequestInfo) -> dict[str, Any]:
        handler = self.handlers.get(message.method or "")
        if handler is None:
            raise RpcError(METHOD_NOT_FOUND, f"Method '{message.method}' is not available.")
        return await handler(message.params, info)

    async def initialize(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        requested = params.get("protocolVersion")
        version = requested if requested in SUPPORTED_PROTOCOL_VERSIONS else LATEST_PROTOCOL_VERSION
        result: dict[str, Any] = {
            "protocolVersion": version,
            "capabilities": {"logging": {}, "prompts": {}, "resources": {}, "tools": {}},
            "serverInfo": {"name": self.server.name, "version": self.server.version},
        }
        if self.server.instructions:
            result["instructions"] = self.server.instructions
        return result

    async def empty(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        return {}

    async def set_level(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        """Accepted and acknowledged; the host sends no log notifications (nothing listens between POSTs)."""
        if params.get("level") not in LOG_LEVELS:
            raise RpcError(INVALID_PARAMS, f"Invalid params: level must be one of {', '.join(LOG_LEVELS)}")
        return {}

    async def list_tools(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        return {"tools": [tool.listing for tool in self.catalog.tools.values()]}

    async def call_tool(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        tool = _named(params, self.catalog.tool, "tool")
        arguments = _complete_arguments(params, tool, MISSING_TOOL_PROPERTIES)
        return await self.invoker.call_tool(tool, arguments, info)

    async def list_prompts(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        return {"prompts": [prompt.listing for prompt in self.catalog.prompts.values()]}

    async def get_prompt(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        prompt = _named(params, self.catalog.prompt, "prompt")
        arguments = _complete_arguments(params, prompt, MISSING_PROMPT_ARGUMENTS)
        try:
            return await self.invoker.get_prompt(prompt, arguments, info)
        except InvocationFailed as error:
            raise RpcError(INTERNAL_ERROR, "An error occurred.") from error

    async def list_resources(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        return {"resources": [resource.listing for resource in self.catalog.resources.values()]}

    async def list_templates(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        return {"resourceTemplates": [resource.listing for resource in self.catalog.templates]}

    async def read_resource(self, params: dict[str, Any], info: RequestInfo) -> dict[str, Any]:
        uri = params.get("uri")
        resource = self.catalog.resource(uri) if isinstance(uri, str) else None
        if resource is None or not isinstance(uri, str):
            raise RpcError(INVALID_PARAMS, f"Unknown resource: '{uri or ''}'")
        try:
            return await self.invoker.read_resource(resource, uri, info)
        except InvocationFailed as error:
            raise RpcError(INTERNAL_ERROR, "An error occurred.") from error
