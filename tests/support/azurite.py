"""The `azurite` fixture: a real Azure Storage emulator (blob, queue, table) for the whole session.

Azurite comes from npm (`make azurite` puts it under `.tools/`). A test that asks for this fixture
fails, naming that command, when Azurite is absent: a Storage test never skips silently.

Each session gets its own ports, its own folder and its own account with a random key (through
`AZURITE_ACCOUNTS`), so parallel checkouts never share data and no storage key lives in the repo.
"""

import base64
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LOCAL_AZURITE = PROJECT_ROOT / ".tools" / "node_modules" / ".bin" / "azurite"
ACCOUNT = "devaccount1"
START_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Azurite:
    """Where the emulator listens and how a client signs in to it."""

    account: str
    key: str
    blob_endpoint: str
    queue_endpoint: str
    table_endpoint: str

    @property
    def connection_string(self) -> str:
        """A connection string the Azure SDKs and Functions bindings accept."""
        return (
            f"DefaultEndpointsProtocol=http;AccountName={self.account};AccountKey={self.key};"
            f"BlobEndpoint={self.blob_endpoint};QueueEndpoint={self.queue_endpoint};"
            f"TableEndpoint={self.table_endpoint};"
        )


def azurite_executable() -> str:
    """The Azurite launcher: the project's own install first, then one on PATH."""
    if LOCAL_AZURITE.exists():
        return str(LOCAL_AZURITE)
    found = shutil.which("azurite")
    if found:
        return found
    raise RuntimeError(
        f"Azurite is not installed: run `make azurite` (npm install into {LOCAL_AZURITE.parent.parent})"
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_ports(process: subprocess.Popen[bytes], ports: list[int], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    pending = list(ports)
    while pending:
        if process.poll() is not None:
            raise RuntimeError(f"Azurite exited with {process.returncode}: {log.read_text()[-2000:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Azurite did not listen on {pending} within {START_TIMEOUT_S} s")
        try:
            with socket.create_connection(("127.0.0.1", pending[0]), timeout=0.5):
                pending.pop(0)
        except OSError:
            time.sleep(0.1)


@pytest.fixture(scope="session")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Azurite]:
    """A running Azurite with blob, queue and table services, stopped at the end of the session."""
    executable = azurite_executable()
    folder = tmp_path_factory.mktemp("azurite")
    blob, queue, table = _free_port(), _free_port(), _free_port()
    key = base64.b64encode(secrets.token_bytes(32)).decode()
    log = folder / "azurite.log"
    args = [
        executable,
        "--silent",
        "--skipApiVersionCheck",
        "--loose",
        "--disableTelemetry",
        "--location",
        str(folder),
        "--blobPort",
        str(blob),
        "--queuePort",
        str(queue),
        "--tablePort",
        str(table),
    ]
    env = {**os.environ, "AZURITE_ACCOUNTS": f"{ACCOUNT}:{key}"}
    with log.open("wb") as sink:
        process = subprocess.Popen(args, stdout=sink, stderr=subprocess.STDOUT, env=env)
    try:
        _wait_for_ports(process, [blob, queue, table], log)
        yield Azurite(
            account=ACCOUNT,
            key=key,
            blob_endpoint=f"http://127.0.0.1:{blob}/{ACCOUNT}",
            queue_endpoint=f"http://127.0.0.1:{queue}/{ACCOUNT}",
            table_endpoint=f"http://127.0.0.1:{table}/{ACCOUNT}",
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
