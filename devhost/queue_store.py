"""Storage queues for queue bindings: an account (or Azurite) through azure-storage-queue, else SQLite.

A message is what the Storage service keeps: id, body, insertion and expiry time, when it is visible
again, how often it was dequeued and the pop receipt of its last dequeue. Receiving hides a message
for a visibility timeout and counts a dequeue; deleting or hiding it again needs that receive's pop
receipt, as in the service, so a message someone else took over is left to them.

Without an account the queues live in `<state>.queues/<setting>.db` beside the host's state, so messages
survive a restart (and a kill -9) like the rest of it. With one, bodies are base64 in the service
unless host.json says `messageEncoding: none`; a message that does not decode goes to the poison
queue, as the extension does with it.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import logging
import sqlite3
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from devhost.storage_accounts import choose_account

log = logging.getLogger("devhost.queue")
MESSAGE_TTL_S = 7 * 24 * 3600  # the service's default time-to-live for a new message
POISON_SUFFIX = "-poison"


@dataclass(frozen=True)
class QueuedMessage:
    id: str
    body: bytes
    dequeue_count: int
    insertion_time: datetime
    expiration_time: datetime
    next_visible_time: datetime
    pop_receipt: str


class QueueStore(Protocol):
    description: str

    async def put(self, queue: str, body: bytes) -> None:
        """Add a message, creating the queue if it does not exist (as the output binding does)."""

    async def receive(self, queue: str, count: int, visibility_s: float) -> list[QueuedMessage]:
        """Up to `count` visible messages, each hidden for `visibility_s`; none if the queue is missing."""

    async def delete(self, queue: str, message: QueuedMessage) -> None:
        """Remove a received message; nothing if its pop receipt is stale or it is gone."""

    async def hide(self, queue: str, message: QueuedMessage, visibility_s: float) -> QueuedMessage | None:
        """Make a received message visible again in `visibility_s`; the updated message, or None if gone."""

    async def close(self) -> None: ...


def _moment(epoch_s: float) -> datetime:
    return datetime.fromtimestamp(epoch_s, UTC)


class LocalQueueStore:
    """Queues in one SQLite file (WAL): a row per message, ordered by arrival."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.description = f"the local queue file {path}"
        self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.execute("PRAGMA busy_timeout=5000")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, queue TEXT NOT NULL,"
            " id TEXT NOT NULL UNIQUE, body BLOB NOT NULL, inserted REAL NOT NULL, expires REAL NOT NULL,"
            " visible REAL NOT NULL, dequeue_count INTEGER NOT NULL, pop_receipt TEXT)"
        )
        self._db.execute("CREATE INDEX IF NOT EXISTS messages_by_queue ON messages (queue, visible)")

    async def put(self, queue: str, body: bytes) -> None:
        now = time.time()
        self._db.execute(
            "INSERT INTO messages (queue, id, body, inserted, expires, visible, dequeue_count)"
            " VALUES (?, ?, ?, ?, ?, ?, 0)",
            (queue, str(uuid.uuid4()), body, now, now + MESSAGE_TTL_S, now),
        )

    async def receive(self, queue: str, count: int, visibility_s: float) -> list[QueuedMessage]:
        now = time.time()
        received = []
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.execute("DELETE FROM messages WHERE queue = ? AND expires <= ?", (queue, now))
            rows = self._db.execute(
                "SELECT id, body, inserted, expires, dequeue_count FROM messages"
                " WHERE queue = ? AND visible <= ? ORDER BY seq LIMIT ?",
                (queue, now, count),
            ).fetchall()
            for message_id, body, inserted, expires, dequeues in rows:
                receipt = uuid.uuid4().hex
                self._db.execute(
                    "UPDATE messages SET visible = ?, dequeue_count = ?, pop_receipt = ? WHERE id = ?",
                    (now + visibility_s, dequeues + 1, receipt, message_id),
                )
                received.append(
                    QueuedMessage(
                        message_id,
                        bytes(body),
                        dequeues + 1,
                        _moment(inserted),
                        _moment(expires),
                        _moment(now + visibility_s),
                        receipt,
                    )
                )
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        return received

    async def delete(self, queue: str, message: QueuedMessage) -> None:
        self._db.execute(
            "DELETE FROM messages WHERE queue = ? AND id = ? AND pop_receipt = ?",
            (queue, message.id, message.pop_receipt),
        )

    async def hide(self, queue: str, message: QueuedMessage, visibility_s: float) -> QueuedMessage | None:
        visible, receipt = time.time() + visibility_s, uuid.uuid4().hex
        updated = self._db.execute(
            "UPDATE messages SET visible = ?, pop_receipt = ? WHERE queue = ? AND id = ? AND pop_receipt = ?",
            (visible, receipt, queue, message.id, message.pop_receipt),
        )
        if updated.rowcount == 0:
            return None
        return replace(message, next_visible_time=_moment(visible), pop_receipt=receipt)

    async def close(self) -> None:
        self._db.close()


class AccountQueueStore:
    """A storage account or Azurite through azure-storage-queue's async client."""

    def __init__(self, connection_string: str, description: str, encoding: str) -> None:
        from azure.storage.queue.aio import QueueServiceClient  # only hosts that use an account need it

        self.client = QueueServiceClient.from_connection_string(connection_string)
        self.description = description
        self.base64 = encoding == "base64"

    def _encode(self, body: bytes) -> str:
        return base64.b64encode(body).decode("ascii") if self.base64 else body.decode("utf-8")

    async def put(self, queue: str, body: bytes) -> None:
        await self._send(queue, self._encode(body))

    async def _send(self, queue: str, text: str) -> None:
        from azure.core.exceptions import ResourceExistsError, ResourceNotFoundError

        client = self.client.get_queue_client(queue)
        try:
            await client.send_message(text)
        except ResourceNotFoundError:
            with contextlib.suppress(ResourceExistsError):
                await client.create_queue()
            await client.send_message(text)

    async def receive(self, queue: str, count: int, visibility_s: float) -> list[QueuedMessage]:
        from azure.core.exceptions import ResourceNotFoundError

        client = self.client.get_queue_client(queue)
        received = []
        try:
            async for item in client.receive_messages(
                messages_per_page=count, visibility_timeout=max(1, round(visibility_s)), max_messages=count
            ):
                body = self._decode(item.content)
                if body is None:
                    await self._poison_undecodable(queue, item)
                    continue
                received.append(self._message(item, body))
        except ResourceNotFoundError:
            return []
        return received

    def _decode(self, content: Any) -> bytes | None:
        text = content if isinstance(content, str) else bytes(content or b"").decode("utf-8", "replace")
        if not self.base64:
            return text.encode("utf-8")
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            return None

    async def _poison_undecodable(self, queue: str, item: Any) -> None:
        """The extension's answer to a message that does not decode: off to the poison queue, as it came."""
        poison = queue + POISON_SUFFIX
        log.warning(
            "Message %s on queue '%s' is not base64 (host.json messageEncoding: base64): moved to '%s'",
            item.id,
            queue,
            poison,
        )
        await self._send(poison, str(item.content))
        await self.client.get_queue_client(queue).delete_message(item.id, item.pop_receipt)

    @staticmethod
    def _message(item: Any, body: bytes) -> QueuedMessage:
        return QueuedMessage(
            id=item.id,
            body=body,
            dequeue_count=int(item.dequeue_count or 0),
            insertion_time=item.inserted_on,
            expiration_time=item.expires_on,
            next_visible_time=item.next_visible_on,
            pop_receipt=item.pop_receipt,
        )

    async def delete(self, queue: str, message: QueuedMessage) -> None:
        from azure.core.exceptions import HttpResponseError

        try:
            await self.client.get_queue_client(queue).delete_message(message.id, message.pop_receipt)
        except HttpResponseError as error:  # stale pop receipt (400) or already gone (404)
            log.debug("queue '%s': message %s not deleted: %s", queue, message.id, error.message)

    async def hide(self, queue: str, message: QueuedMessage, visibility_s: float) -> QueuedMessage | None:
        from azure.core.exceptions import HttpResponseError

        client = self.client.get_queue_client(queue)
        try:
            updated = await client.update_message(
                message.id, message.pop_receipt, visibility_timeout=round(visibility_s)
            )
        except HttpResponseError:  # someone else holds it now, or it is gone
            return None
        if updated.next_visible_on is None or updated.pop_receipt is None:  # the service always sends both
            return None
        return replace(message, next_visible_time=updated.next_visible_on, pop_receipt=updated.pop_receipt)

    async def close(self) -> None:
        await self.client.close()


def open_queue_store(
    connection: str, environ: Mapping[str, str], local_root: Path, encoding: str
) -> QueueStore:
    """The store for one connection, logged once with the reason for the choice.

    Local queues get a file per setting under `local_root`: two settings are two accounts in Azure.
    """
    choice = choose_account(connection, environ, "queue")
    if choice.connection_string is not None:
        store: QueueStore = AccountQueueStore(choice.connection_string, choice.description, encoding)
        log.info(
            "Queue bindings on connection '%s' (setting %s) use %s",
            connection,
            choice.setting,
            store.description,
        )
        return store
    store = LocalQueueStore(local_root / f"{choice.setting}.db")
    log.info(
        "Queue bindings on connection '%s': setting %s %s, using %s",
        connection,
        choice.setting,
        choice.description,
        store.description,
    )
    return store
