"""Fixtures shared by the remote MCP tool tests: a fresh tool-list cache and the `demo` server."""

from collections.abc import Iterator

import pytest

from agents.remote_tools import listing
from tests.support.notes_mcp import NotesServer

NOWHERE = "http://127.0.0.1:9/mcp"  # the discard port: nothing listens, connections are refused


@pytest.fixture(name="fresh_lists", autouse=True)
def fresh_lists_fixture(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test starts with no remembered tool lists, on the offline model."""
    monkeypatch.setenv("AGENT_MODEL_PROVIDER", "offline")
    listing.forget_listings()
    yield
    listing.forget_listings()


@pytest.fixture(name="demo")
def demo_fixture(notes_server: NotesServer, monkeypatch: pytest.MonkeyPatch) -> NotesServer:
    """The real `mcp` test server, configured as the remote server `demo`."""
    monkeypatch.setenv("MCP_SERVER_DEMO_URL", notes_server.url)
    return notes_server
