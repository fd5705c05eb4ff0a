"""Remote MCP tools for agents: listed from a real server (cached), offered to the model, called by run_tool.

The server is the `mcp` package's own, started on 127.0.0.1 (tests/support/notes_mcp_server.py).
"""

import asyncio
from collections.abc import Iterator

import pytest

from activities.run_agent import run_agent
from activities.run_tool import run_tool
from agents.catalog import AGENTS
from agents.errors import ConfigurationError, PermanentModelError, TransientModelError
from agents.remote_tools import listing
from agents.remote_tools.listing import McpToolset, remote_tools
from tests.support.notes_mcp import NotesServer


@pytest.fixture
def demo(notes_server: NotesServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[NotesServer]:
    """The notes server configured as the `demo` server the tool agent declares."""
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", notes_server.url)
    monkeypatch.setenv("MCP_SERVER_DEMO_TOKEN", "test-token")
    monkeypatch.setenv("AGENT_MODEL_PROVIDER", "offline")
    listing.forget_listings()
    yield notes_server
    listing.forget_listings()


def call(tool: str, arguments: object, key: str | None = "run-1:call_1") -> dict:
    return run_tool({"tool": tool, "call_id": "call_1", "arguments": arguments, "idempotency_key": key})


def test_tools_are_listed_with_their_schemas_and_the_list_is_cached(demo: NotesServer) -> None:
    first = asyncio.run(remote_tools((McpToolset("demo"),)))
    names = {tool.model_name: tool for tool in first}
    assert set(names) == {
        "demo__add_note",
        "demo__count_words",
        "demo__always_fails",
        "demo__needs_question",
        "demo__run_status",
    }
    schema = names["demo__add_note"].input_schema
    assert schema["properties"]["text"]["type"] == "string" and schema["required"] == ["text"]
    assert names["demo__add_note"].description == "Save a note and return it with its number."
    again = asyncio.run(remote_tools((McpToolset("demo", ("count_words",)),)))
    assert [tool.model_name for tool in again] == ["demo__count_words"]
    assert len(demo.entries("tools/list")) == 1


def test_list_is_fetched_again_after_the_cache_time(
    demo: NotesServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MCP_TOOLS_CACHE_S", "0.001")
    asyncio.run(remote_tools((McpToolset("demo"),)))
    asyncio.run(asyncio.sleep(0.01))
    asyncio.run(remote_tools((McpToolset("demo"),)))
    assert len(demo.entries("tools/list")) == 2


def test_unconfigured_server_offers_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MCP_SERVER_DEMO_URL", raising=False)
    assert asyncio.run(remote_tools((McpToolset("demo"),))) == ()


def test_call_runs_once_with_the_idempotency_key_in_meta_and_the_token(demo: NotesServer) -> None:
    done = call("demo__add_note", {"text": "buy milk"})
    assert done["name"] == "demo__add_note" and done["call_id"] == "call_1"
    assert done["result"] == {"note": 1, "text": "buy milk"}
    [entry] = demo.entries()
    assert entry["tool"] == "add_note" and entry["arguments"] == {"text": "buy milk"}
    assert entry["meta"] == {"idempotencyKey": "run-1:call_1"}
    assert entry["authorization"] == "Bearer test-token"


def test_plain_results_and_tool_errors_reach_the_model(demo: NotesServer) -> None:
    # A server that declares an output schema answers with structured content: that is the result.
    assert call("demo__count_words", {"text": "one two three"})["result"] == {"result": 3}
    failed = call("demo__always_fails", {"reason": "no"})["result"]
    # The server's isError result, as its text (this server hides the exception's message).
    assert failed == {"error": "demo__always_fails: Error executing tool always_fails"}
    unknown = call("demo__no_such_tool", {})["result"]
    assert "no_such_tool" in unknown["error"]


def test_unreachable_server_is_transient_so_the_durable_retry_runs_it_again(
    demo: NotesServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", "http://127.0.0.1:9/mcp")
    with pytest.raises(TransientModelError, match="MCP server demo"):
        call("demo__add_note", {"text": "x"})


def test_slow_call_times_out_as_transient(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.notes_mcp import start_notes_server, stop_notes_server

    server = start_notes_server(tmp_path, slow_s=3)  # type: ignore[arg-type]
    try:
        monkeypatch.setenv("MCP_SERVER_DEMO_URL", server.url)
        monkeypatch.setenv("MCP_TOOL_CALL_TIMEOUT_S", "0.5")
        with pytest.raises(TransientModelError, match=r"did not answer within 0\.5 s"):
            call("demo__add_note", {"text": "x"})
    finally:
        stop_notes_server(server)


def test_unconfigured_server_named_by_a_call_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MCP_SERVER_OTHER_URL", raising=False)
    with pytest.raises(PermanentModelError, match="MCP_SERVER_OTHER_URL"):
        call("other__tool", {})


def test_bad_settings_name_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", "ftp://example")
    with pytest.raises(ConfigurationError, match="MCP_SERVER_DEMO_URL"):
        call("demo__add_note", {"text": "x"})
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", "http://127.0.0.1:9/mcp")
    monkeypatch.setenv("MCP_SERVER_DEMO_HEADERS", "[1]")
    with pytest.raises(ConfigurationError, match="MCP_SERVER_DEMO_HEADERS"):
        call("demo__add_note", {"text": "x"})


def test_offline_model_calls_a_named_remote_tool_by_its_schema(demo: NotesServer) -> None:
    assert AGENTS["tool_agent"].mcp_tools == (McpToolset("demo"),)
    result = asyncio.run(run_agent({"agent": "tool_agent", "prompt": "Please add_note: buy oat milk"}))
    assert result["tool_calls"] == [
        {"call_id": "call_1", "name": "demo__add_note", "arguments": {"text": "buy oat milk"}}
    ]
    plain = asyncio.run(run_agent({"agent": "tool_agent", "prompt": "What is 6 * 7?"}))
    assert [call["name"] for call in plain["tool_calls"]] == ["calculator"]
