"""AgentFunctionApp's MCP tools (`enable_mcp_tool_trigger=True`) through the embedded host's MCP endpoint.

The package registers each agent with a raw `mcp_tool_trigger` whose `context` argument it parses
itself, plus a durable client binding it uses to signal the agent's entity and poll for the reply; this
is the extension's JSON and the durable client devhost hands over. Runs in `.venv-compat`.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from devhost.testing import DevHost

try:
    from agent_framework.azure import AgentFunctionApp  # noqa: F401  (what the app needs)
except ImportError as missing:  # only .venv-compat has it (make test-compat)
    pytest.skip(f"agent-framework-azurefunctions is missing: {missing}", allow_module_level=True)

APP_SOURCE = Path(__file__).resolve().parent / "agent_function_app"
MCP = "/runtime/webhooks/mcp"
HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    app = Path(shutil.copytree(APP_SOURCE, tmp_path_factory.mktemp("app") / "agent_function_app"))
    with DevHost(app, tmp_path_factory.mktemp("state") / "state.db") as running:
        yield running


def rpc(
    host: DevHost, method: str, params: dict[str, Any] | None = None, session: str | None = None
) -> httpx.Response:
    headers = HEADERS if session is None else {**HEADERS, "Mcp-Session-Id": session}
    body = {"jsonrpc": "2.0", "id": 1, "method": method, "params": params or {}}
    return host.post(MCP, content=json.dumps(body), headers=headers, timeout=60)


def result(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    data_line = response.text.splitlines()[1]
    return dict(json.loads(data_line.removeprefix("data: "))["result"])


def call(host: DevHost, arguments: dict[str, Any], session: str) -> dict[str, Any]:
    return result(rpc(host, "tools/call", {"name": "Scribe", "arguments": arguments}, session))


def test_each_agent_is_listed_as_a_tool(host: DevHost) -> None:
    tools = {tool["name"]: tool for tool in result(rpc(host, "tools/list"))["tools"]}

    assert {"Scribe", "Critic"} <= set(tools)
    assert tools["Scribe"]["inputSchema"]["required"] == ["query"]
    assert set(tools["Scribe"]["inputSchema"]["properties"]) == {"query", "sessionId"}


def test_the_agent_answers_and_keeps_the_session(host: DevHost) -> None:
    initialized = rpc(host, "initialize", {"protocolVersion": "2025-06-18", "capabilities": {}})
    session = initialized.headers["Mcp-Session-Id"]

    first = call(host, {"query": "my dog is Rex", "sessionId": "mcp-dogs"}, session)
    second = call(host, {"query": "what is my dog called?", "sessionId": "mcp-dogs"}, session)

    assert first == {"content": [{"type": "text", "text": "turn 1: my dog is Rex"}]}
    assert second["content"][0]["text"] == "turn 2: what is my dog called? | earlier: my dog is Rex"


def test_a_query_the_package_rejects_is_an_error_result(host: DevHost) -> None:
    rejected = call(host, {"query": ""}, "abc|def")

    assert rejected == {
        "content": [{"type": "text", "text": "An error occurred invoking 'Scribe'."}],
        "isError": True,
    }
