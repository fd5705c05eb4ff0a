"""Fixtures for the queue and blob trigger tests: copies of tests/devhost/storage_app on hosts of their own.

`QUEUES` is the app's one connection: empty for the host's local stores, or an Azurite connection
string. What a trigger received is written as a blob, so `local_blob` and `azurite_blob` wait for it.
"""

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from azure.core.exceptions import ResourceNotFoundError
from azure.storage.blob import BlobServiceClient

from devhost.testing import DevHost
from tests.support.app_hosts import StartHost, app_hosts
from tests.support.azurite import Azurite

STORAGE_APP = Path(__file__).resolve().parents[1] / "storage_app"
DEADLINE_S = 15.0


@pytest.fixture
def storage_host(tmp_path: Path) -> Iterator[StartHost]:
    """`start(connection)`: a host of the storage app whose QUEUES setting is `connection`."""
    with app_hosts(STORAGE_APP, tmp_path, "QUEUES") as start:
        yield start


def _eventually(read: Callable[[], bytes | None], what: str, host: DevHost) -> str:
    deadline = time.monotonic() + DEADLINE_S
    while time.monotonic() < deadline:
        found = read()
        if found is not None:
            return found.decode("utf-8")
        time.sleep(0.05)
    raise AssertionError(f"{what} did not appear within {DEADLINE_S} s; host log:\n{host.log_tail(60)}")


def local_blob(host: DevHost, container: str, name: str) -> str:
    """A blob the app wrote to the host's local store, waiting for it to appear."""
    path = host.state_path.with_name(host.state_path.stem + ".blobs") / container / name
    return _eventually(
        lambda: path.read_bytes() if path.is_file() else None, f"blob {container}/{name}", host
    )


def azurite_blob(host: DevHost, azurite: Azurite, container: str, name: str) -> str:
    """A blob the app wrote to Azurite, waiting for it to appear."""
    blob = BlobServiceClient.from_connection_string(azurite.connection_string).get_blob_client(
        container, name
    )

    def read() -> bytes | None:
        try:
            return bytes(blob.download_blob().readall())
        except ResourceNotFoundError:
            return None

    return _eventually(read, f"Azurite blob {container}/{name}", host)
