"""Where blob bindings read and write: an Azure Storage account (or Azurite), else a folder next to the state.

A connection that reaches an account (`devhost.storage_accounts`) sends blobs there through
azure-storage-blob. Otherwise they go to `<state>.blobs/<container>/<blob name>` beside the host's
SQLite state, so they survive restarts like the rest of the state; the host says which store each
connection uses once, at start.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from devhost.storage_accounts import choose_account

log = logging.getLogger("devhost.blob")


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


def open_store(connection: str, environ: Mapping[str, str], local_root: Path) -> BlobStore:
    """The store for one connection, logged once with the reason for the choice."""
    choice = choose_account(connection, environ, "blob")
    if choice.connection_string is not None:
        store: BlobStore = AccountBlobStore(choice.connection_string, choice.description)
        log.info(
            "Blob bindings on connection '%s' (setting %s) use %s",
            connection,
            choice.setting,
            store.description,
        )
        return store
    store = LocalBlobStore(local_root)
    log.info(
        "Blob bindings on connection '%s': setting %s %s, using %s",
        connection,
        choice.setting,
        choice.description,
        store.description,
    )
    return store
