"""Starting the test MCP server (`notes_mcp_server.py`) as a subprocess on a free 127.0.0.1 port."""

import json
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from devhost.testing import free_port

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class NotesServer:
    """A running notes server: its URL, its journal and its process."""

    url: str
    journal: Path
    process: subprocess.Popen[bytes]

    def entries(self, method: str = "tools/call") -> list[dict[str, Any]]:
        """The journalled requests of one method, oldest first."""
        if not self.journal.exists():
            return []
        lines = self.journal.read_text(encoding="utf-8").splitlines()
        return [entry for entry in map(json.loads, lines) if entry["method"] == method]


def start_notes_server(folder: Path, slow_s: float = 0.0) -> NotesServer:
    """Start the server and wait until it accepts connections."""
    port = free_port()
    journal = folder / "notes-journal.jsonl"
    command = [sys.executable, "-m", "tests.support.notes_mcp_server", "--port", str(port)]
    command += ["--journal", str(journal), "--slow-s", str(slow_s)]
    log = (folder / "notes-server.log").open("wb")
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"notes MCP server exited: {(folder / 'notes-server.log').read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return NotesServer(f"http://127.0.0.1:{port}/mcp", journal, process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("notes MCP server did not start within 60 s")


def stop_notes_server(server: NotesServer) -> None:
    """Stop the server started by this test run."""
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def notes_server(tmp_path: Path) -> Iterator[NotesServer]:
    """A notes MCP server for one test."""
    server = start_notes_server(tmp_path)
    yield server
    stop_notes_server(server)
