"""Blob-triggered functions, run the way the Storage blobs extension runs them: a scan, then a host queue.

The extension never calls a blob trigger's function from its scan. The scan notices each version of a
blob (its name and ETag) that a function has no receipt for, puts a message naming the function, the
blob and the ETag on the host's blob-trigger queue (`azure-webjobs-blobtrigger-<host id>`) and writes a
receipt (`azure-webjobs-hosts/blobreceipts/<host id>/<function id>/<etag>/<container>/<blob>`); that
queue's listener then runs the function, with the queues' retries (host.json `extensions.queues`),
and moves a message that keeps failing to `webjobs-blobtrigger-poison`. A blob that is gone, or has
changed since its message was queued, is skipped: the new version gets a message of its own. This
host does the same, with the same names, on the account the trigger's connection reaches (Azurite
included) or on its local stores, so a blob runs once per version, across restarts too.

Scans run at start and every two seconds; a blob the app writes through an output binding wakes the
scan of its container at once, as the extension's blob-written watcher does. The extension also reads
the storage logs and, with `source="EventGrid"`, waits for Event Grid; locally both are scans.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import json
import logging
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any

from azure.functions import meta
from azure.functions.decorators.function_app import Function

from devhost.blob_bindings import BlobBinder, blob_argument
from devhost.blob_paths import EXPRESSION
from devhost.blob_store import BlobItem, BlobStore
from devhost.function_call import triggered
from devhost.queue_listener import Host, Invocation, QueueListener
from devhost.queue_store import QueuedMessage
from devhost.settings import expand_setting_refs

log = logging.getLogger("devhost.blob")
BLOB_TRIGGER = "blobtrigger"
HOST_ID = "devhost"
HOST_QUEUE = f"azure-webjobs-blobtrigger-{HOST_ID}"
POISON_QUEUE = "webjobs-blobtrigger-poison"
RECEIPTS_CONTAINER = "azure-webjobs-hosts"
SCAN_INTERVAL_S = 2.0


class BlobTriggerError(ValueError):
    """A blob trigger path the extension would refuse; the message names the function."""


@dataclass(frozen=True)
class BlobFunction:
    function: Function
    container: str
    pattern: str  # the blob name part of the path, `{name}` expressions included
    connection: str

    @property
    def name(self) -> str:
        return str(self.function.get_function_name())

    @property
    def function_id(self) -> str:
        return f"Host.Functions.{self.name}"

    @property
    def prefix(self) -> str:
        """The part of the pattern before its first expression: the only part a listing can filter on."""
        return self.pattern.split("{", 1)[0]

    @functools.cached_property
    def _matcher(self) -> tuple[re.Pattern[str], list[str]]:
        """The pattern as a regex with one group per expression (built once), and the expressions."""
        regex, last, names = "", 0, []
        for found in EXPRESSION.finditer(self.pattern):
            names.append(found.group(1).strip())
            regex += re.escape(self.pattern[last : found.start()]) + f"(?P<{_group(names[-1])}>.+?)"
            last = found.end()
        regex += re.escape(self.pattern[last:]) if self.pattern else ".*"
        return re.compile(regex, flags=re.DOTALL), names

    def match(self, blob_name: str) -> dict[str, str] | None:
        """The values of the pattern's expressions for `blob_name`, or None when it does not match."""
        regex, names = self._matcher
        matched = regex.fullmatch(blob_name)
        if matched is None:
            return None
        return {name: matched.group(_group(name)) for name in names}


def _group(name: str) -> str:
    return "g_" + re.sub(r"\W", "_", name.strip())


def blob_functions(functions: list[Function], environ: Mapping[str, str]) -> list[BlobFunction]:
    """Every blob-triggered function with its path split into container and name pattern."""
    found = []
    for function, raw in triggered(functions, BLOB_TRIGGER):
        where = f"function '{function.get_function_name()}': blob trigger path"
        path = expand_setting_refs(str(raw.get("path") or ""), environ, field=where).strip("/")
        container, _, pattern = path.partition("/")
        if not container or "{" in container:
            raise BlobTriggerError(f"{where} '{path}' must start with a container name without expressions")
        found.append(BlobFunction(function, container, pattern, str(raw.get("connection") or "")))
    return found


def receipt_name(target: BlobFunction, item: BlobItem) -> str:
    return f"blobreceipts/{HOST_ID}/{target.function_id}/{item.etag}/{target.container}/{item.name}"


class BlobTriggers:
    """The scans of every blob-triggered function and the host queue listeners that run them."""

    def __init__(self, targets: list[BlobFunction], blobs: BlobBinder, host: Host) -> None:
        self.targets = targets
        self.by_id = {target.function_id: target for target in targets}
        self.blobs = blobs
        self.host = host
        self.wakes: dict[tuple[str, str], list[asyncio.Event]] = defaultdict(list)
        self.seen: set[tuple[str, str, str]] = set()  # (function id, blob, ETag) with a receipt
        connections = sorted({target.connection for target in targets})
        self.listeners = [
            QueueListener(host, connection, HOST_QUEUE, POISON_QUEUE, self._resolver(connection))
            for connection in connections
        ]
        blobs.written = self._written

    def scanners(self) -> list[Callable[[], Coroutine[Any, Any, None]]]:
        return [functools.partial(self._scan_loop, target) for target in self.targets]

    def _written(self, store: BlobStore, container: str) -> None:
        for wake in self.wakes.get((store.description, container), ()):
            wake.set()

    async def _scan_loop(self, target: BlobFunction) -> None:
        store = self.blobs.store(target.connection)
        woken = asyncio.Event()
        self.wakes[store.description, target.container].append(woken)
        while True:
            woken.clear()
            try:
                await self._scan(target, store)
            except Exception:
                log.exception(
                    "blob trigger '%s': scanning %s failed; trying again", target.name, target.container
                )
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SCAN_INTERVAL_S):
                    await woken.wait()

    async def _scan(self, target: BlobFunction, store: BlobStore) -> None:
        """Queue a message for each blob version of the container that has no receipt yet."""
        for item in await store.list_blobs(target.container, target.prefix):
            key = (target.function_id, item.name, item.etag)
            if key in self.seen or target.match(item.name) is None:
                continue
            receipt = receipt_name(target, item)
            if await store.properties(RECEIPTS_CONTAINER, receipt) is None:
                message = {
                    "Type": "BlobTrigger",
                    "FunctionId": target.function_id,
                    "BlobType": "BlockBlob",
                    "ContainerName": target.container,
                    "BlobName": item.name,
                    "ETag": item.etag,
                }
                await self.host.queues.put(target.connection, HOST_QUEUE, json.dumps(message).encode())
                await store.write(RECEIPTS_CONTAINER, receipt, b"")
            self.seen.add(key)

    async def path_invocation(self, target: BlobFunction, path: str) -> Invocation | None:
        """What `POST /admin/functions/{name}` runs for a blob path `container/name`; None if no such blob."""
        container, _, name = path.strip("/").partition("/")
        item = await self.blobs.store(target.connection).properties(container, name)
        if item is None:
            return None
        message = {"FunctionId": target.function_id, "ContainerName": container, "BlobName": name}
        return await self._invocation(target.connection, {**message, "ETag": item.etag})

    def _resolver(self, connection: str) -> Callable[[QueuedMessage], Awaitable[Invocation | None]]:
        async def resolve(message: QueuedMessage) -> Invocation | None:
            return await self._invocation(connection, json.loads(message.body))

        return resolve

    async def _invocation(self, connection: str, message: dict[str, Any]) -> Invocation | None:
        """What a host queue message runs, or None when its function or its blob version is gone."""
        target = self.by_id.get(str(message.get("FunctionId")))
        container, name = str(message.get("ContainerName")), str(message.get("BlobName"))
        if target is None:
            log.info("blob trigger message for unknown function %s: skipped", message.get("FunctionId"))
            return None
        store = self.blobs.store(connection)
        item = await store.properties(container, name)
        if item is None or item.etag != message.get("ETag"):
            log.info("blob %s/%s is gone or has changed since it was queued: skipped", container, name)
            return None
        content = await store.read(container, name)
        properties = {"Length": item.length, "ContentLength": item.length, "ETag": item.etag}
        properties["LastModified"] = item.last_modified.isoformat()
        if item.content_type:
            properties["ContentType"] = item.content_type
        path, uri = f"{container}/{name}", store.uri(container, name)
        metadata = {
            "BlobTrigger": meta.Datum(path, "string"),
            "Uri": meta.Datum(uri, "string"),
            "Properties": meta.Datum(json.dumps(properties), "json"),
            "Metadata": meta.Datum(json.dumps(dict(item.metadata)), "json"),
        }
        trigger = target.function.get_trigger()
        assert trigger is not None  # blob_functions kept only functions with a blob trigger
        value = blob_argument(content, target.function.get_user_function(), trigger.name, metadata)
        data = {"BlobTrigger": path, "Uri": uri, "Properties": properties, "Metadata": dict(item.metadata)}
        data.update(target.match(name) or {})
        return Invocation(target.function, value, data, f"New blob detected(LogsAndContainerScan): {path}")
