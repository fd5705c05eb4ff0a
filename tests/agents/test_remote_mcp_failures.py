"""Remote MCP tool calls that fail: refusals reach the model once, outages are retried, causes named.

The servers are real: the `mcp` package's own (tests/support/notes_mcp_server.py), nothing at all
listening, and a bare HTTP server that refuses (401, 503). A result that merely has an `error` key
is a success.
"""

from types import SimpleNamespace
from typing import Any

import pytest

from activities.run_tool import run_tool
from agents.errors import TransientModelError
from agents.offline.conversation import ToolOutcome
from agents.offline.tool_roles import describe_outcome
from agents.remote_tools import connection
from agents.remote_tools.failures import RemoteFailure
from tests.agents.remote_mcp import NOWHERE, demo_fixture, fresh_lists_fixture  # noqa: F401 (fixtures)
from tests.support.bare_http import BareServer, bare_servers  # noqa: F401 (the `bare` fixture)
from tests.support.notes_mcp import NotesServer


def call(tool: str, arguments: object) -> dict:
    return run_tool({"tool": tool, "call_id": "call_1", "arguments": arguments, "idempotency_key": "r:c1"})


# 1. Errors the server answers go back to the model, once.


def test_a_json_rpc_error_the_server_sends_goes_back_to_the_model_without_a_retry(demo: NotesServer) -> None:
    result = call("demo__needs_question", {})["result"]
    assert result == {
        "error": "demo__needs_question: MCPError: One or more required tool properties are missing "
        "values: question"
    }
    assert len(demo.entries()) == 1


def test_tool_errors_name_the_tool(demo: NotesServer) -> None:
    assert call("demo__always_fails", {"reason": "no"})["result"] == {
        "error": "demo__always_fails: Error executing tool always_fails"
    }


def test_groups_are_unwrapped_at_every_level_and_classified_by_their_members() -> None:
    from mcp.shared.exceptions import MCPError

    refused = MCPError(-32602, "missing question")
    nested = ExceptionGroup("outer", [ExceptionGroup("inner", [refused])])
    assert RemoteFailure.of(nested) == RemoteFailure("MCPError: missing question", answered=True)
    down = ExceptionGroup("g", [ConnectionRefusedError("refused"), OSError("reset")])
    assert RemoteFailure.of(down) == RemoteFailure(
        "ConnectionRefusedError: refused; OSError: reset", answered=False
    )
    # The answer is what the request got; the other member is the connection closing after it.
    assert RemoteFailure.of(ExceptionGroup("g", [OSError("reset"), ExceptionGroup("i", [refused])])).answered
    # Errors the client makes up when no answer came are outages, as are 5xx and 429.
    assert not RemoteFailure.of(ExceptionGroup("g", [MCPError(-32000, "Connection closed")])).answered
    assert not RemoteFailure.of(MCPError(-32603, "Server returned an error response"), 503).answered
    assert RemoteFailure.of(MCPError(-32603, "Server returned an error response"), 401) == RemoteFailure(
        "MCPError: Server returned an error response (HTTP 401 Unauthorized)", answered=True
    )


def test_a_refusing_server_is_an_answer_and_an_overloaded_one_an_outage(
    bare: list[BareServer], monkeypatch: pytest.MonkeyPatch
) -> None:
    bare.append(unauthorised := BareServer(401))
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", unauthorised.url)
    assert call("demo__add_note", {"text": "x"})["result"] == {
        "error": "demo__add_note: MCPError: Server returned an error response (HTTP 401 Unauthorized)"
    }
    bare.append(overloaded := BareServer(503))
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", overloaded.url)
    with pytest.raises(TransientModelError, match=r"HTTP 503 Service Unavailable"):
        call("demo__add_note", {"text": "x"})


# 3. Outages name their root cause.


@pytest.mark.parametrize(
    "url",
    [NOWHERE, NOWHERE.replace("//", "//alice:s3cret@") + "?code=KEY123"],
    ids=["plain", "with-credentials"],
)
def test_an_unreachable_server_is_named_without_the_credentials_in_its_url(
    monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", url)
    with pytest.raises(TransientModelError) as raised:
        call("demo__add_note", {"text": "x"})
    assert str(raised.value) == f"MCP server demo ({NOWHERE}): ConnectError: All connection attempts failed"


def test_a_text_result_nested_past_the_json_parser_reaches_the_model_as_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hostile or broken server's text must not fail the step on every retry with RecursionError."""
    deep = "[" * 100_000 + "]" * 100_000

    async def call_tool(*_: Any) -> SimpleNamespace:
        text = SimpleNamespace(type="text", text=deep)
        return SimpleNamespace(content=[text], is_error=False, structured_content=None)

    monkeypatch.setenv("MCP_SERVER_DEMO_URL", NOWHERE)
    monkeypatch.setattr(connection, "call_tool", call_tool)
    assert call("demo__add_note", {"text": "x"})["result"] == deep


# 4. A success that has an `error` key is not a failure.


def test_a_result_with_an_error_key_is_a_success(demo: NotesServer) -> None:
    result = call("demo__run_status", {"run_id": "r1"})["result"]
    assert result == {"result": {"id": "r1", "status": "completed", "error": None}}
    said = describe_outcome(ToolOutcome("call_1", "demo__run_status", result))
    assert "failed" not in said and '"status": "completed"' in said
    failed = call("demo__always_fails", {"reason": "no"})["result"]
    assert describe_outcome(ToolOutcome("call_1", "demo__always_fails", failed)).startswith(
        "The demo__always_fails call failed: "
    )
