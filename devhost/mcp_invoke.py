"""Running the function behind a tool, prompt or resource, with what the extension hands it.

The trigger argument is the extension's invocation context as JSON, through the worker's converter for
the trigger (so `app.mcp_tool()`'s wrapper, a raw `mcp_tool_trigger` function and a prompt's
`PromptInvocationContext` all get what they get in Azure). The binding data other bindings can name in
their paths is the extension's too: `mcptoolargs` (each argument as .NET's JsonElement.ToString() writes
it), `mcpsessionid`, `mcptoolcontext`, and a resource template's parameters.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

from azure.functions.decorators.function_app import Function

from devhost.function_call import FunctionCaller
from devhost.mcp_catalog import (
    PROMPT_TRIGGER,
    RESOURCE_TRIGGER,
    TOOL_TRIGGER,
    McpPrompt,
    McpResource,
    McpTool,
    template_values,
)
from devhost.mcp_results import (
    ResultError,
    Returned,
    prompt_result,
    resource_result,
    tool_failure,
    tool_result,
    worker_decode,
    worker_encode,
)

log = logging.getLogger("devhost.mcp")
TRANSPORT_NAME = "http-streamable"


class InvocationFailed(Exception):
    """A prompt or resource function failed; answered as the SDK answers it (-32603)."""


@dataclass(frozen=True)
class RequestInfo:
    """What the extension knows about the POST that carried a call."""

    origin: str  # e.g. http://127.0.0.1:7071, for durable client bindings
    session_id: str | None  # the raw Mcp-Session-Id header
    headers: dict[str, str]  # every request header, repeated ones joined with ","

    def transport(self) -> dict[str, Any]:
        transport: dict[str, Any] = {"name": TRANSPORT_NAME}
        if self.session_id is not None:
            transport["sessionId"] = self.session_id
        transport["properties"] = {"headers": self.headers}
        return transport

    def context(self, **fields: Any) -> dict[str, Any]:
        """An invocation context: the given fields, then `sessionid` and `transport`; nulls left out."""
        document = {key: value for key, value in fields.items() if value is not None}
        if self.session_id is not None:
            document["sessionid"] = self.session_id
        document["transport"] = self.transport()
        return document


def dotnet_text(value: Any) -> str:
    """How .NET's JsonElement.ToString() writes a value: strings bare, True/False, null empty, else JSON."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "True" if value else "False"
    if value is None:
        return ""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _binding_data(
    kind: str, context: dict[str, Any], info: RequestInfo, arguments: dict[str, Any] | None = None
) -> dict[str, Any]:
    """`mcp<kind>context`, `mcpsessionid` and `mcp<kind>args`, named as the extension names them."""
    data: dict[str, Any] = {f"mcp{kind}context": context}
    if info.session_id is not None:
        data["mcpsessionid"] = info.session_id
    if arguments is not None:
        data[f"mcp{kind}args"] = {key: dotnet_text(value) for key, value in arguments.items()}
    return data


class McpInvoker:
    """Calls MCP functions through the host's FunctionCaller and converts what they return."""

    def __init__(self, caller: FunctionCaller) -> None:
        self.caller = caller

    async def _run(
        self,
        function: Function,
        trigger_type: str,
        context: dict[str, Any],
        data: dict[str, Any],
        info: RequestInfo,
    ) -> Returned:
        """Call the function with the context as its trigger value; a failure is logged, InvocationFailed."""
        text = json.dumps(context, separators=(",", ":"), ensure_ascii=False)
        try:
            trigger_value = worker_decode(trigger_type, text)
            returned = await self.caller.call(function, trigger_value, info.origin, data)
            return worker_encode(trigger_type, returned)
        except Exception as error:
            log.exception("Executed 'Functions.%s' (Failed)", function.get_function_name())
            raise InvocationFailed(str(error)) from error

    async def call_tool(
        self, tool: McpTool, arguments: dict[str, Any] | None, info: RequestInfo
    ) -> dict[str, Any]:
        """A CallToolResult; whatever fails in the function or its bindings is the generic `isError`."""
        context = info.context(name=tool.name, arguments=arguments)
        data = _binding_data("tool", context, info, arguments)
        try:
            returned = await self._run(tool.function, TOOL_TRIGGER, context, data, info)
            return tool_result(returned, tool.use_result_schema)
        except InvocationFailed:
            return tool_failure(tool.name)
        except ResultError as error:
            log.error("tool '%s' returned what the extension cannot read: %s", tool.name, error)
            return tool_failure(tool.name)

    async def get_prompt(
        self, prompt: McpPrompt, arguments: dict[str, Any] | None, info: RequestInfo
    ) -> dict[str, Any]:
        context = info.context(name=prompt.name, arguments=arguments)
        data = _binding_data("prompt", context, info, arguments)
        return prompt_result(await self._run(prompt.function, PROMPT_TRIGGER, context, data, info))

    async def read_resource(self, resource: McpResource, uri: str, info: RequestInfo) -> dict[str, Any]:
        context = info.context(uri=uri)
        data = {**_binding_data("resource", context, info), "mcpresourceuri": uri}
        data.update(template_values(resource, uri))
        returned = await self._run(resource.function, RESOURCE_TRIGGER, context, data, info)
        try:
            return resource_result(returned, uri, resource.mime_type)
        except ResultError as error:
            log.error("resource '%s': %s", uri, error)
            raise InvocationFailed(str(error)) from error
