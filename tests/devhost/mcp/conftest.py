"""Fixtures for the MCP endpoint and blob binding tests: a copy of tests/devhost/mcp_app on a devhost.

`NOTES_STORAGE` is the app's blob connection: empty (the host's local store) unless a test points it at
Azurite. The module-wide host serves the protocol and tool tests; blob tests start hosts of their own.
"""

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from devhost.testing import DevHost
from tests.devhost.mcp.rpc import McpRpc

MCP_APP = Path(__file__).resolve().parents[1] / "mcp_app"


def copy_app(target: Path) -> Path:
    """Host a copy, so importing the app leaves no bytecode or state in the repository."""
    return Path(shutil.copytree(MCP_APP, target, ignore=shutil.ignore_patterns("__pycache__", ".devhost")))


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    app = copy_app(tmp_path_factory.mktemp("app") / "mcp_app")
    with DevHost(app, tmp_path_factory.mktemp("state") / "state.db", env={"NOTES_STORAGE": ""}) as running:
        yield running


@pytest.fixture(scope="module")
def rpc(host: DevHost) -> McpRpc:
    return McpRpc(host.http)


@pytest.fixture
def notes_host(tmp_path: Path) -> Iterator[Callable[[str], DevHost]]:
    """`start(connection)`: a host of the app whose NOTES_STORAGE is `connection`, on its own state."""
    hosts: list[DevHost] = []

    def start(connection: str) -> DevHost:
        app = copy_app(tmp_path / f"app{len(hosts)}")
        running = DevHost(app, tmp_path / f"state{len(hosts)}.db", env={"NOTES_STORAGE": connection})
        hosts.append(running)
        return running.launch()

    yield start
    for running in hosts:
        running.close()
