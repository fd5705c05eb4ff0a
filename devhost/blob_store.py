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
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from devhost.storage_accounts import choose_account

log = logging.getLogger("devhost.blob")
TEMPORARY_SUFFIX = ".tmp"  # a local blob being written; never listed


@dataclass(frozen=True)
class BlobItem:
    """What a listing says of one blob: enough for a blob trigger to tell a new version from a seen one.

    A property read of an account's blob also carries its content type and user metadata, which a blob
    trigger hands the function (`InputStream.metadata`); a local file has neither."""

    name: str
    etag: str
    length: int
    last_modified: datetime
    content_type: str | None = None
    metadata: Mapping[str, str] = field(default_factory=dict, compare=False)


class BlobStore(Protocol):
    """Whole-blob reads and writes, and listings; a missing blob (or container) reads as None."""

    description: str

    async def read(self, container: str, name: str) -> bytes | None: ...

    async def write(self, container: str, name: str, data: bytes) -> None: ...

    async def properties(self, container: str, name: str) -> BlobItem | None: ...

    def uri(self, container: str, name: str) -> str: ...

    async def list_blobs(self, container: str, prefix: str) -> list[BlobItem]:
        """Every blob in the container whose name starts with `prefix`; none if the container is missing."""

    async def close(self) -> None: ...


def _local_item(name: str, path: Path) -> BlobItem | None:
    """A file as a blob; its ETag changes whenever the file is rewritten, as a blob's does."""
    try:
        stat = path.stat()
    except OSError:
        return None
    modified = datetime.fromtimestamp(stat.st_mtime, UTC)
    return BlobItem(name, f"{stat.st_mtime_ns:x}-{stat.st_size:x}", stat.st_size, modified)


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
        temporary = path.with_name(path.name + TEMPORARY_SUFFIX)
        temporary.write_bytes(data)
        os.replace(temporary, path)

    async def properties(self, container: str, name: str) -> BlobItem | None:
        path = self._path(container, name)
        return _local_item(name, path) if path.is_file() else None

    def uri(self, container: str, name: str) -> str:
        return self._path(container, name).resolve().as_uri()

    async def list_blobs(self, container: str, prefix: str) -> list[BlobItem]:
        return await asyncio.to_thread(self._list, self.root / container, prefix)

    @staticmethod
    def _list(folder: Path, prefix: str) -> list[BlobItem]:
        if not folder.is_dir():
            return []
        found = []
        for path in sorted(folder.rglob("*")):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and name.startswith(prefix) and not name.endswith(TEMPORARY_SUFFIX):
                item = _local_item(name, path)
                if item is not None:
                    found.append(item)
        return found

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

    async def properties(self, container: str, name: str) -> BlobItem | None:
        from azure.core.exceptions import ResourceNotFoundError

        try:
            found = await self.client.get_blob_client(container, name).get_blob_properties()
        except ResourceNotFoundError:
            return None
        content_type = found.content_settings.content_type if found.content_settings else None
        metadata = dict(found.metadata or {})
        return BlobItem(name, _etag(found.etag), int(found.size), found.last_modified, content_type, metadata)

    def uri(self, container: str, name: str) -> str:
        return str(self.client.get_blob_client(container, name).url)

    async def list_blobs(self, container: str, prefix: str) -> list[BlobItem]:
        from azure.core.exceptions import ResourceNotFoundError

        client = self.client.get_container_client(container)
        try:
            return [
                BlobItem(blob.name, _etag(blob.etag), int(blob.size), blob.last_modified)
                async for blob in client.list_blobs(name_starts_with=prefix or None)
            ]
        except ResourceNotFoundError:
            return []

    async def close(self) -> None:
        await self.client.close()


def _etag(value: object) -> str:
    """The service's ETag without its quotes: listings and property reads quote it differently."""
    return str(value).strip('"')


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
