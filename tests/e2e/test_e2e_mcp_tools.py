"""The template's workflows and runs as MCP tools, served at /runtime/webhooks/mcp by the embedded host.

Two clients, as assistants use them: the official `mcp` client (streamable HTTP) and plain JSON-RPC
over HTTP. Tool lists and calls are checked against the catalog, so a new workflow is covered here
without a new test.
"""

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import pytest
from mcp import Client
from mcp.types import CallToolResult, TextContent

from api.catalog import WORKFLOWS, Workflow
from bench.run_api import ApiClient
from devhost.testing import DevHost
from tests.devhost.mcp.rpc import MCP_PATH, McpRpc

T = TypeVar("T")
STARTABLE = [workflow for workflow in WORKFLOWS.values() if workflow.started_by_runs_api]
RUN_TOOLS = {"get_run", "approve_run", "answer_run", "list_runs", "send_message", "delete_session"}


def official(host: DevHost, use: Callable[[Client], Awaitable[T]]) -> T:
    """Connect the official client to the host's MCP endpoint, run `use`, disconnect."""

    async def run() -> T:
        async with Client(f"{host.base_url}{MCP_PATH}", read_timeout_seconds=60) as client:
            return await use(client)

    return asyncio.run(run())


def call_official(host: DevHost, tool: str, arguments: dict[str, Any]) -> CallToolResult:
    return official(host, lambda client: client.call_tool(tool, arguments))


def text(result: CallToolResult) -> str:
    [block] = result.content
    assert isinstance(block, TextContent)
    return block.text


def minimal_input(workflow: Workflow) -> dict[str, Any]:
    """The smallest valid input: each required field a plain value of its type, defaults for the rest."""
    schema = workflow.input_model.model_json_schema()
    samples = {"string": "durable agents", "integer": 1, "number": 1.0, "boolean": True}
    return {
        name: samples[schema["properties"][name].get("type", "string")] for name in schema.get("required", [])
    }


@pytest.fixture(scope="module")
def rpc(template_host: DevHost) -> McpRpc:
    return McpRpc(template_host.http)


def test_tools_list_shows_every_workflow_with_its_input_properties(template_host: DevHost) -> None:
    listed = official(template_host, lambda client: client.list_tools())
    tools = {tool.name: tool for tool in listed.tools}
    assert set(tools) == {workflow.name for workflow in STARTABLE} | RUN_TOOLS
    for workflow in STARTABLE:
        schema = tools[workflow.name].input_schema
        fields = workflow.input_model.model_fields
        assert list(schema["properties"]) == list(fields), workflow.name
        assert sorted(schema["required"]) == sorted(name for name, f in fields.items() if f.is_required())
        for name, field in fields.items():
            assert schema["properties"][name]["description"].startswith(str(field.description))
    assert tools["fanout"].input_schema["properties"]["specialists"]["type"] == "array"
    assert tools["critic"].input_schema["properties"]["max_rounds"]["type"] == "integer"
    assert tools["approve_run"].input_schema["properties"]["approved"]["type"] == "boolean"


def test_chain_returns_the_finished_run_document(template_host: DevHost, api: ApiClient) -> None:
    result = call_official(template_host, "chain", {"topic": "durable agents"})
    assert not result.is_error
    document = result.structured_content
    assert document is not None and document["status"] == "Completed"
    assert document == api.run(document["id"])
    assert text(result) == document["output"]["draft"]


@pytest.mark.parametrize("workflow", STARTABLE, ids=lambda w: w.name)
def test_every_workflow_tool_starts_its_run(rpc: McpRpc, api: ApiClient, workflow: Workflow) -> None:
    result = rpc.call(workflow.name, minimal_input(workflow))
    assert not result.get("isError"), result
    document = result["structuredContent"]
    assert document["workflow"] == workflow.name
    assert document == api.run(document["id"])
    progress = document["progress"] or {}
    # Every run ends within the wait on the offline model, except one that waits for a person.
    waiting = progress.get("step") in ("awaiting_approval", "awaiting_input")  # a graph's request too
    assert document["status"] == "Completed" or waiting, document


def test_approval_then_approve_run_then_get_run_shows_completed(rpc: McpRpc) -> None:
    started = rpc.call("approval", {"topic": "launch plan"})
    run_id = started["structuredContent"]["id"]
    assert started["structuredContent"]["progress"]["step"] == "awaiting_approval"
    assert "approve_run" in started["content"][0]["text"] and run_id in started["content"][0]["text"]

    approved = rpc.call("approve_run", {"run_id": run_id, "approved": True, "comment": "ship it"})
    assert approved["content"][0]["text"].startswith("Decision delivered: approved.")

    document = rpc.call("get_run", {"run_id": run_id})["structuredContent"]
    assert document["status"] == "Completed"
    assert document["output"]["decision"] == "approved" and document["output"]["comment"] == "ship it"


def test_a_graph_that_asks_a_person_is_answered_with_answer_run(rpc: McpRpc) -> None:
    """`editor` asks for {approved, comment?}: an MCP-only client reads the question and answers it."""
    started = rpc.call("editor", {"topic": "launch plan"})
    run_id = started["structuredContent"]["id"]
    [request] = started["structuredContent"]["pendingInput"]
    text = started["content"][0]["text"]
    assert "answer_run" in text and request["requestId"] in text and run_id in text

    answer = {"run_id": run_id, "requestId": request["requestId"], "response": {"approved": False}}
    answered = rpc.call("answer_run", answer)
    assert answered["content"][0]["text"].startswith(f"Answer delivered to request {request['requestId']}.")

    document = rpc.call("get_run", {"run_id": run_id})["structuredContent"]
    assert document["status"] == "Completed"
    assert document["output"]["outputs"][0]["decision"] == "rejected"


@pytest.mark.parametrize(
    ("tool", "arguments", "field"),
    [
        ("chain", {"topic": ""}, "topic"),
        ("critic", {"topic": "t", "max_rounds": 99}, "max_rounds"),
        ("fanout", {"topic": "t", "specialists": ["astrologer"]}, "specialists.0"),
        ("single", {"question": "q", "colour": "blue"}, "colour"),
    ],
)
def test_bad_argument_is_an_error_result_naming_the_field(
    template_host: DevHost, rpc: McpRpc, tool: str, arguments: dict[str, Any], field: str
) -> None:
    plain = rpc.call(tool, arguments)
    assert plain["isError"] is True
    assert plain["content"][0]["text"].startswith(f"{field}:")
    assert plain["structuredContent"]["error"]["code"] == "validation_error"
    result = call_official(template_host, tool, arguments)
    assert result.is_error and text(result) == plain["content"][0]["text"]


def test_unknown_run_is_an_error_result_naming_the_id(rpc: McpRpc) -> None:
    result = rpc.call("get_run", {"run_id": "no-such-run"})
    assert result["isError"] is True and result["content"][0]["text"] == "run 'no-such-run' not found"


def test_list_runs_and_send_message(rpc: McpRpc) -> None:
    started = rpc.call("single", {"question": "What is a durable function?"})["structuredContent"]
    page = rpc.call("list_runs", {"workflow": "single", "limit": 100})["structuredContent"]
    assert started["id"] in [run["id"] for run in page["runs"]]

    reply = rpc.call("send_message", {"session_id": "mcp-chat", "message": "Hello, I am Ada."})
    assert not reply.get("isError") and reply["structuredContent"]["sessionId"] == "mcp-chat"
    assert reply["content"][0]["text"] == reply["structuredContent"]["reply"]

    forgotten = rpc.call("delete_session", {"session_id": "mcp-chat"})
    assert forgotten["structuredContent"] == {"sessionId": "mcp-chat", "status": "deleted"}
    gone = rpc.call("get_run", {"run_id": reply["structuredContent"]["runId"]})
    assert gone["isError"] is True and "not found" in gone["content"][0]["text"]


def test_agent_framework_mcp_tool_loads_and_calls_the_workflow_tools(template_host: DevHost) -> None:
    from agent_framework import MCPStreamableHTTPTool

    async def use() -> tuple[list[str], Any]:
        url = f"{template_host.base_url}{MCP_PATH}"
        async with MCPStreamableHTTPTool(name="durable-agents", url=url, static_headers={}) as runs:
            names = [function.name for function in runs.functions]
            return names, await runs.call_tool("single", question="What is a durable function?")

    names, answer = asyncio.run(use())
    assert set(names) == {workflow.name for workflow in STARTABLE} | RUN_TOOLS
    # agent-framework hands the model the structured content first: the run document.
    [content] = answer
    assert content.type == "text" and '"status": "Completed"' in content.text, content.text
