"""Fixtures for the MCP endpoint and blob binding tests: a copy of tests/devhost/mcp_app on a devhost.

`NOTES_STORAGE` is the app's blob connection: empty (the host's local store) unless a test points it at
Azurite. The module-wide host serves the protocol and tool tests; blob tests start hosts of their own.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from devhost.testing import DevHost, copy_app
from tests.devhost.mcp.rpc import McpRpc
from tests.support.app_hosts import StartHost, app_hosts

MCP_APP = Path(__file__).resolve().parents[1] / "mcp_app"


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    app = copy_app(MCP_APP, tmp_path_factory.mktemp("app") / "mcp_app")
    with DevHost(app, tmp_path_factory.mktemp("state") / "state.db", env={"NOTES_STORAGE": ""}) as running:
        yield running


@pytest.fixture(scope="module")
def rpc(host: DevHost) -> McpRpc:
    return McpRpc(host.http)


@pytest.fixture
def notes_host(tmp_path: Path) -> Iterator[StartHost]:
    """`start(connection)`: a host of the app whose NOTES_STORAGE is `connection`, on its own state."""
    with app_hosts(MCP_APP, tmp_path, "NOTES_STORAGE") as start:
        yield start
