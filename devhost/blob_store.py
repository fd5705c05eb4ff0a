"""Where blob bindings read and write: an Azure Storage account (or Azurite), else a folder next to the state.

A binding's `connection` names an app setting. When that setting is a storage connection string, or
`UseDevelopmentStorage=true` while Azurite answers on 127.0.0.1:10000, blobs go to that service through
azure-storage-blob. Otherwise (setting unset or empty, identity-based, or no Azurite) they go to
`<state>.blobs/<container>/<blob name>` beside the host's SQLite state, so they survive restarts like
the rest of the state; the host says which store each connection uses once, at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

log = logging.getLogger("devhost.blob")
DEFAULT_CONNECTION = "AzureWebJobsStorage"
AZURITE_BLOB_ADDRESS = ("127.0.0.1", 10000)
DEVELOPMENT_STORAGE = "usedevelopmentstorage=true"


class BlobStore(Protocol):
    """Whole-blob reads and writes; a missing blob (or container) reads as None."""

    description: str

    async def read(self, container: str, name: str) -> bytes | None: ...

    async def write(self, container: str, name: str, data: bytes) -> None: ...

    async def close(self) -> None: ...


class LocalBlobStore:
    """Blobs as files under one folder: `<root>/<container>/<blob name>`, written atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.description = f"the local folder {root}"

    def _path(self, container: str, name: str) -> Path:
        parts = [container, *name.split("/")]
        if any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"blob path '{container}/{name}' has an empty, '.' or '..' segment")
        return self.root.joinpath(*parts)

    async def read(self, container: str, name: str) -> bytes | None:
        path = self._path(container, name)
        try:
            return await asyncio.to_thread(path.read_bytes)
        except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
            return None

    async def write(self, container: str, name: str, data: bytes) -> None:
        await asyncio.to_thread(self._write, self._path(container, name), data)

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(path.name + ".tmp")
        temporary.write_bytes(data)
        os.replace(temporary, path)

    async def close(self) -> None:
        return None


class AccountBlobStore:
    """A storage account or Azurite through azure-storage-blob's async client."""

    def __init__(self, connection_string: str, description: str) -> None:
        from azure.storage.blob.aio import BlobServiceClient  # only hosts that use an account need it

        self.client = BlobServiceClient.from_connection_string(connection_string)
        self.description = description

    async def read(self, container: str, name: str) -> bytes | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            download = await self.client.get_blob_client(container, name).download_blob()
            return bytes(await download.readall())
        except ResourceNotFoundError:
            return None

    async def write(self, container: str, name: str, data: bytes) -> None:
        """Upload, creating the container first if it does not exist (the output binding does too)."""
        from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError

        blob = self.client.get_blob_client(container, name)
        try:
            await blob.upload_blob(data, overwrite=True)
        except ResourceNotFoundError:
            with contextlib.suppress(ResourceExistsError):
                await self.client.create_container(container)
            await blob.upload_blob(data, overwrite=True)

    async def close(self) -> None:
        await self.client.close()


def _azurite_answers() -> bool:
    try:
        with socket.create_connection(AZURITE_BLOB_ADDRESS, timeout=0.5):
            return True
    except OSError:
        return False


def _is_connection_string(value: str) -> bool:
    keys = {part.split("=", 1)[0].strip().lower() for part in value.split(";") if "=" in part}
    return bool(keys & {"accountname", "blobendpoint"}) and bool(
        keys & {"accountkey", "sharedaccesssignature"}
    )


def connection_value(connection: str, environ: Mapping[str, str]) -> tuple[str, str | None]:
    """The setting a `connection` names (the host also tries the `AzureWebJobs` prefix) and its value."""
    name = connection or DEFAULT_CONNECTION
    for candidate in (name, f"AzureWebJobs{name}"):
        if candidate in environ:
            return candidate, environ[candidate]
    return name, None


def open_store(connection: str, environ: Mapping[str, str], local_root: Path) -> BlobStore:
    """The store for one connection, logged once with the reason for the choice."""
    setting, value = connection_value(connection, environ)
    text = (value or "").strip()
    store: BlobStore
    if text.lower().replace(" ", "") == DEVELOPMENT_STORAGE and _azurite_answers():
        store = AccountBlobStore(text, "Azurite on 127.0.0.1:10000 (UseDevelopmentStorage=true)")
    elif _is_connection_string(text):
        store = AccountBlobStore(text, "the storage account in its connection string")
    else:
        if value is None:
            reason = "is not set"
        elif not text:
            reason = "is empty"
        elif text.lower().replace(" ", "") == DEVELOPMENT_STORAGE:
            reason = "is UseDevelopmentStorage=true but Azurite does not answer on 127.0.0.1:10000"
        else:
            reason = "is not a storage connection string"
        store = LocalBlobStore(local_root)
        log.info(
            "Blob bindings on connection '%s': setting %s %s, using %s",
            connection,
            setting,
            reason,
            store.description,
        )
        return store
    log.info("Blob bindings on connection '%s' (setting %s) use %s", connection, setting, store.description)
    return store
