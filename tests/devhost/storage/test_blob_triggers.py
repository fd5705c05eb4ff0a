"""Blob triggers on the embedded host: found by the scan or by the app's own writes, once per version.

`summarise` (tests/devhost/storage_app) runs for each `inbox/*.txt` blob and writes
`summaries/{name}.json`; a blob starting with "fail" makes it raise.
"""

import contextlib
import json
import time
import uuid
from pathlib import Path

from azure.core.exceptions import ResourceExistsError
from azure.storage.blob import BlobServiceClient, ContentSettings

from devhost.testing import DevHost
from tests.devhost.storage.conftest import StartHost, azurite_blob, local_blob
from tests.support.azurite import Azurite


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def inbox(host: DevHost) -> Path:
    folder = host.state_path.with_name(host.state_path.stem + ".blobs") / "inbox"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def executions(host: DevHost, blob: str) -> int:
    return host.log_path.read_text().count(f"New blob detected(LogsAndContainerScan): inbox/{blob}'")


def test_a_blob_the_app_writes_runs_the_trigger_with_the_blob_and_its_path(storage_host: StartHost) -> None:
    host = storage_host("")
    name = unique("report")

    stored = host.http.put(f"/api/inbox/{name}", content="three little words")

    summary = json.loads(local_blob(host, "summaries", f"{name}.json"))
    assert stored.status_code == 201
    assert summary == {
        "blob": f"inbox/{name}.txt",
        "length": 18,
        "words": 3,
        "content_type": None,  # a local file has no content type or metadata
        "metadata": {},
    }


def test_a_blob_another_program_writes_is_found_by_the_scan_and_a_new_version_runs_again(
    storage_host: StartHost,
) -> None:
    host = storage_host("")
    name = unique("notes")
    (inbox(host) / f"{name}.txt").write_text("one")
    assert json.loads(local_blob(host, "summaries", f"{name}.json"))["words"] == 1

    (inbox(host) / f"{name}.txt").write_text("one two three four")

    deadline = time.monotonic() + 15
    while json.loads(local_blob(host, "summaries", f"{name}.json"))["words"] != 4:
        assert time.monotonic() < deadline, host.log_tail(40)
        time.sleep(0.05)
    assert executions(host, f"{name}.txt") == 2


def test_each_blob_version_runs_once_across_a_restart(storage_host: StartHost) -> None:
    host = storage_host("")
    first, second = unique("first"), unique("second")
    (inbox(host) / f"{first}.txt").write_text("before the crash")
    local_blob(host, "summaries", f"{first}.json")

    host.restart()  # SIGKILL, then a new process on the same state: its first scan sees `first` again
    (inbox(host) / f"{second}.txt").write_text("after the crash")
    local_blob(host, "summaries", f"{second}.json")  # so a scan has run since the restart

    assert executions(host, f"{first}.txt") == 1  # its receipt says it ran
    receipts = (
        host.state_path.with_name(host.state_path.stem + ".blobs") / "azure-webjobs-hosts" / "blobreceipts"
    )
    assert len(list(receipts.rglob(f"{first}.txt"))) == 1


def test_a_blob_that_keeps_failing_moves_to_the_blob_trigger_poison_queue(storage_host: StartHost) -> None:
    host = storage_host("")
    name = unique("fail")

    (inbox(host) / f"{name}.txt").write_text("fail every time")

    deadline = time.monotonic() + 15
    while "'webjobs-blobtrigger-poison'" not in host.log_tail(200):
        assert time.monotonic() < deadline, host.log_tail(60)
        time.sleep(0.05)
    assert executions(host, f"{name}.txt") == 3  # host.json maxDequeueCount
    assert (
        "has reached MaxDequeueCount of 3. Moving message to queue 'webjobs-blobtrigger-poison'"
        in host.log_tail(200)
    )


def test_a_blob_uploaded_to_azurite_runs_the_trigger_with_its_metadata_and_content_type(
    storage_host: StartHost, azurite: Azurite
) -> None:
    host = storage_host(azurite.connection_string)
    name = unique("azurite")
    service = BlobServiceClient.from_connection_string(azurite.connection_string)
    with contextlib.suppress(ResourceExistsError):
        service.create_container("inbox")
    service.get_blob_client("inbox", f"{name}.txt").upload_blob(
        b"uploaded to the emulator",
        overwrite=True,
        metadata={"author": "grace"},
        content_settings=ContentSettings(content_type="text/plain"),
    )

    summary = json.loads(azurite_blob(host, azurite, "summaries", f"{name}.json"))

    assert summary["blob"] == f"inbox/{name}.txt"
    assert summary["words"] == 4
    assert summary["metadata"] == {"author": "grace"}
    assert summary["content_type"] == "text/plain"
    receipts = service.get_container_client("azure-webjobs-hosts").list_blobs(
        name_starts_with="blobreceipts/"
    )
    assert any(blob.name.endswith(f"/inbox/{name}.txt") for blob in receipts)
