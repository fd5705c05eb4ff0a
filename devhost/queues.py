"""The app's storage queues: a store per connection, and the listeners to wake when the host adds a message.

Like the host's shared queue watcher, a message that one of the app's own functions adds (an output
binding, a poison copy) wakes the trigger listeners of that queue at once rather than at their next
poll; messages other programs add are found by polling.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from devhost.queue_store import QueueStore, open_queue_store

# The service's rule: 3-63 characters, lower-case letters, digits and single hyphens inside.
_QUEUE_NAME = re.compile(r"^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$")


class QueueNameError(ValueError):
    """A queue name the service (and so the extension) refuses."""


def queue_name(name: str, *, where: str) -> str:
    """The name as the extension uses it (lower-cased), or an error naming the binding."""
    normalised = name.strip().lower()
    if not _QUEUE_NAME.match(normalised):
        raise QueueNameError(
            f"{where}: '{name}' is not a valid queue name (3-63 lower-case letters, digits and"
            " single hyphens, starting and ending with a letter or digit)"
        )
    return normalised


class Queues:
    """Stores by connection (opened once, each logged with its choice) and the listeners to wake."""

    def __init__(
        self, connections: Iterable[str], environ: Mapping[str, str], local_root: Path, encoding: str
    ) -> None:
        self._stores = {
            c: open_queue_store(c, environ, local_root, encoding) for c in sorted(set(connections))
        }
        self._watchers: dict[tuple[str, str], list[Callable[[], None]]] = defaultdict(list)

    def store(self, connection: str) -> QueueStore:
        return self._stores[connection]

    def watch(self, connection: str, queue: str, wake: Callable[[], None]) -> None:
        self._watchers[self._key(connection, queue)].append(wake)

    async def put(self, connection: str, queue: str, body: bytes) -> None:
        await self._stores[connection].put(queue, body)
        for wake in self._watchers.get(self._key(connection, queue), ()):
            wake()

    def _key(self, connection: str, queue: str) -> tuple[str, str]:
        """Connections that reach the same store share their queues' listeners."""
        return self._stores[connection].description, queue

    async def close(self) -> None:
        for store in self._stores.values():
            await store.close()
