"""Blob input and output bindings on the embedded host, through Azurite and through the local store.

The test app's notes are blobs at `notes/{mcptoolargs.title}.txt` on the `NOTES_STORAGE` connection.
A connection string sends them to Azurite (checked by reading Azurite directly); an empty setting
keeps them in the host's state folder, where they survive a kill -9 and restart.
"""

import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from azure.storage.blob import BlobServiceClient

from devhost.testing import DevHost, DevHostError
from tests.devhost.mcp.rpc import McpRpc
from tests.support.azurite import Azurite

StartHost = Callable[[str], DevHost]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def azurite_blob(azurite: Azurite, container: str, name: str) -> bytes:
    service = BlobServiceClient.from_connection_string(azurite.connection_string)
    return bytes(service.get_blob_client(container, name).download_blob().readall())


def test_notes_round_trip_through_azurite(notes_host: StartHost, azurite: Azurite) -> None:
    host = notes_host(azurite.connection_string)
    rpc, title = McpRpc(host.http), unique("azurite")

    saved = rpc.text("save_note", {"title": title, "text": "kept in Azurite"})
    read = rpc.text("read_note", {"title": title})
    stats = rpc.text("note_stats", {"title": title})
    over_http = host.get(f"/api/notes/{title}")

    assert saved == f"Saved '{title}'"
    assert read == "kept in Azurite"
    assert stats == f"{title}: 3 words"
    assert (over_http.status_code, over_http.text) == (200, "kept in Azurite")
    assert azurite_blob(azurite, "notes", f"{title}.txt") == b"kept in Azurite"
    assert "the storage account in its connection string" in host.log_path.read_text()


def test_bytes_output_goes_to_a_container_the_binding_creates(
    notes_host: StartHost, azurite: Azurite
) -> None:
    host = notes_host(azurite.connection_string)
    rpc, title = McpRpc(host.http), unique("bytes")
    rpc.text("save_note", {"title": title, "text": "héllo"})

    archived = rpc.text("archive_note", {"title": title, "version": 3})

    assert archived == f"Archived {len('héllo'.encode())} bytes"
    assert azurite_blob(azurite, "archive", f"{title}-3.bin") == "héllo".encode()


def test_generic_blob_bindings_work_like_the_blob_decorators(notes_host: StartHost, azurite: Azurite) -> None:
    host = notes_host(azurite.connection_string)
    rpc, title, copy = McpRpc(host.http), unique("source"), unique("copy")
    rpc.text("save_note", {"title": title, "text": "copied text"})

    copied = rpc.text("copy_note", {"title": title, "copy": copy})

    assert copied == f"Copied '{title}' to '{copy}'"
    assert rpc.text("read_note", {"title": copy}) == "copied text"
    assert azurite_blob(azurite, "notes", f"{copy}.txt") == b"copied text"


def test_a_missing_blob_is_none_for_the_function(notes_host: StartHost, azurite: Azurite) -> None:
    host = notes_host(azurite.connection_string)
    rpc, title = McpRpc(host.http), unique("missing")

    assert rpc.text("read_note", {"title": title}) == f"No note called '{title}'"
    assert rpc.text("archive_note", {"title": title, "version": 1}) == f"No note called '{title}'"
    assert host.get(f"/api/notes/{title}").status_code == 404


def test_without_a_storage_connection_notes_live_beside_the_state_and_survive_a_restart(
    notes_host: StartHost,
) -> None:
    host = notes_host("")
    rpc = McpRpc(host.http)
    rpc.text("save_note", {"title": "diary", "text": "survives kill -9"})

    host.restart()  # SIGKILL, then a new process on the same state

    assert McpRpc(host.http).text("read_note", {"title": "diary"}) == "survives kill -9"
    assert host.get("/api/notes/diary").text == "survives kill -9"
    stored = host.state_path.with_name(host.state_path.stem + ".blobs") / "notes" / "diary.txt"
    assert stored.read_text() == "survives kill -9"
    assert (
        host.log_tail(400).count("setting NOTES_STORAGE is empty, using the local folder") == 2
    )  # once per start


def test_development_storage_without_azurite_on_its_port_uses_the_local_store(notes_host: StartHost) -> None:
    host = notes_host("UseDevelopmentStorage=true")
    rpc = McpRpc(host.http)

    rpc.text("save_note", {"title": "local", "text": "no emulator"})

    log = host.log_path.read_text()
    if "Azurite on 127.0.0.1:10000" in log:
        pytest.skip("an Azurite answers on the default port 127.0.0.1:10000 on this machine")
    assert "Azurite does not answer on 127.0.0.1:10000" in log
    assert rpc.text("read_note", {"title": "local"}) == "no emulator"


def test_a_binding_annotation_the_worker_refuses_stops_the_host(tmp_path: Path) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "function_app.py").write_text(
        "import azure.functions as func\n"
        "app = func.FunctionApp()\n"
        "@app.mcp_tool()\n"
        "@app.blob_input(arg_name='note', path='notes/{mcptoolargs.title}.txt', connection='X')\n"
        "def read(note: str | None, title: str) -> str:\n"
        "    return note or ''\n"
    )
    host = DevHost(app, tmp_path / "state.db")

    with pytest.raises(DevHostError, match="binding note has invalid non-type annotation"):
        host.launch()
    host.close()
