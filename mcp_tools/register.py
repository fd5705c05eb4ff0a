"""Registering the MCP tools on the function app, and the one place a tool call's failures are caught.

Each tool is a function `mcp_<tool>` with an `mcpToolTrigger` (tool name exactly the workflow's or the
run tool's) and a durable client binding. Workflow names already belong to the orchestrators, hence
the prefix. `useResultSchema` is on, so the result's `structuredContent` reaches the client.

A tool never fails the call: a refusal (`ApiError`) becomes `isError` with the run API's message, a
configuration problem names the setting, and anything else is logged with a correlation id that the
`isError` text quotes (the extension itself would say only "An error occurred invoking ...").
"""

import logging
import uuid

import azure.durable_functions as df

from api.catalog import GRAPHS
from api.errors import ApiError, ConfigurationError
from graphs._discovery import check_names
from mcp_tools.invocation import read_call
from mcp_tools.properties import tool_properties_json
from mcp_tools.results import error_result, wire_form
from mcp_tools.tools import RUN_TOOLS, McpTool, mcp_tools

FUNCTION_PREFIX = "mcp_"

_log = logging.getLogger(__name__)


def register_mcp_tools(app: df.DFApp) -> None:
    """Add every tool of `mcp_tools()` to `app`; a graph named like a run tool stops start-up, naming it."""
    check_names(GRAPHS, {tool.name: "MCP tool" for tool in RUN_TOOLS})
    for tool in mcp_tools():
        _register(app, tool)


async def call_tool(tool: McpTool, context: str, client: df.DurableOrchestrationClient) -> str:
    """Run one `tools/call` and return the result in the form the extension reads."""
    try:
        outcome = await tool.run(client, read_call(context))
    except ApiError as error:
        outcome = error_result(error)
    except ConfigurationError as error:
        outcome = error_result(ApiError(500, "configuration", str(error)))
    except Exception:
        correlation_id = uuid.uuid4().hex
        _log.exception("MCP tool %s failed, correlationId=%s", tool.name, correlation_id)
        message = (
            f"unexpected error in tool {tool.name}; quote correlationId {correlation_id} when reporting it"
        )
        outcome = error_result(ApiError(500, "internal", message))
    return wire_form(outcome)


def _register(app: df.DFApp, tool: McpTool) -> None:
    async def handler(context: str, client: df.DurableOrchestrationClient) -> str:
        return await call_tool(tool, context, client)

    handler.__name__ = handler.__qualname__ = f"{FUNCTION_PREFIX}{tool.name}"
    handler.__doc__ = tool.description
    with_client = app.durable_client_input(client_name="client")(handler)
    triggered = app.mcp_tool_trigger(
        arg_name="context",
        tool_name=tool.name,
        description=tool.description,
        tool_properties=tool_properties_json(tool.arguments),
        use_result_schema=True,
    )(with_client)
    app.function_name(name=handler.__name__)(triggered)
