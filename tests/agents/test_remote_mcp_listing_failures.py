"""Remote MCP servers that cannot list their tools: the agent runs without them, never for long.

The servers are real: the `mcp` package's own (tests/support/notes_mcp_server.py), nothing at all
listening, and a bare HTTP server that accepts a connection and never answers.
"""

import asyncio
import logging
import time
from pathlib import Path

import pytest

from agents.errors import ConfigurationError
from agents.remote_tools.listing import McpToolset, remote_tools
from agents.remote_tools.settings import list_timeout_seconds
from tests.agents.remote_mcp import NOWHERE, demo_fixture, fresh_lists_fixture  # noqa: F401 (fixtures)
from tests.support.bare_http import BareServer, bare_servers  # noqa: F401 (the `bare` fixture)
from tests.support.notes_mcp import NotesServer, start_notes_server, stop_notes_server


def listed(timeout_s: float = 30) -> tuple[str, ...]:
    """The demo server's tools as offered, failing the test if listing takes over `timeout_s`."""
    tools = asyncio.run(asyncio.wait_for(remote_tools((McpToolset("demo"),)), timeout_s))
    return tuple(tool.model_name for tool in tools)


def test_a_server_that_cannot_list_is_left_out_with_a_warning_naming_the_cause(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", NOWHERE)
    with caplog.at_level(logging.WARNING, logger="agents.remote_tools.listing"):
        assert listed() == ()
    assert caplog.messages == [
        f"MCP server demo ({NOWHERE}) did not list its tools: ConnectError: All connection attempts "
        "failed; its tools are not offered until it does"
    ]


def test_the_warning_leaves_out_the_credentials_in_the_servers_url(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", NOWHERE.replace("//", "//alice:s3cret@") + "?code=KEY123")
    with caplog.at_level(logging.WARNING, logger="agents.remote_tools.listing"):
        assert listed() == ()
    assert f"MCP server demo ({NOWHERE}) did not list its tools" in caplog.text
    assert "s3cret" not in caplog.text and "KEY123" not in caplog.text


def test_a_wrong_path_is_named(
    demo: NotesServer, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", demo.url.replace("/mcp", "/wrong"))
    with caplog.at_level(logging.WARNING, logger="agents.remote_tools.listing"):
        assert listed() == ()
    assert "did not list its tools: MCPError: Not Found (HTTP 404 Not Found)" in caplog.text


def test_a_silent_server_costs_one_list_timeout_and_is_not_asked_again_at_once(
    bare: list[BareServer], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bare.append(silent := BareServer(None))
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", silent.url)
    monkeypatch.setenv("MCP_TOOLS_LIST_TIMEOUT_S", "0.5")
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="agents.remote_tools.listing"):
        assert listed(timeout_s=5) == ()
    assert time.monotonic() - started < 3
    assert "did not list its tools: no answer within 0.5 s" in caplog.text
    connections = silent.connections
    started = time.monotonic()
    assert listed(timeout_s=5) == ()  # within the retry interval: not asked again
    assert time.monotonic() - started < 0.2 and silent.connections == connections


def test_a_list_fetched_before_is_offered_while_the_server_is_down(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    server = start_notes_server(tmp_path)
    try:
        monkeypatch.setenv("MCP_SERVER_DEMO_URL", server.url)
        monkeypatch.setenv("MCP_TOOLS_CACHE_S", "0.001")
        before = listed()
        assert "demo__add_note" in before
    finally:
        stop_notes_server(server)
    with caplog.at_level(logging.WARNING, logger="agents.remote_tools.listing"):
        assert listed() == before
    assert "ConnectError: All connection attempts failed; offering the list it gave" in caplog.text


def test_list_timeout_is_a_checked_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert list_timeout_seconds() == 10
    for bad in ("soon", "0", "nan"):
        monkeypatch.setenv("MCP_TOOLS_LIST_TIMEOUT_S", bad)
        with pytest.raises(ConfigurationError, match="MCP_TOOLS_LIST_TIMEOUT_S"):
            list_timeout_seconds()
