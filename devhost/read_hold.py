"""Status reads that a caller repeats while nothing changed are answered when something does.

An app waiting for a run polls `get_status`: on Azure every read is a storage round trip, so apps
pause between reads, and the pause is what a caller waits on top of the run. Here the app's durable
client is served in-process (`client_rpc`), and the engine knows the moment an instance changes.
So when the same status URL of a running instance is read again within `POLL_WINDOW_S` and the
instance has not changed since, the read waits (at most `HOLD_S`) for the next change before it is
served. A poller is answered within a millisecond of the change; any other reader sees what it
would have seen, at most `HOLD_S` later. Nothing app-specific: any app's polling loop benefits.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus
from yarl import URL

from devhost.state import TERMINAL_STATUSES

HOLD_S = 0.05
POLL_WINDOW_S = 2.0
MAX_TRACKED = 1024
INSTANCES = "instances"


# (runtime status, last change) of an instance
Version = Callable[[str], tuple[OrchestrationRuntimeStatus, float] | None]
WaitForChange = Callable[[str, float], Awaitable[bool]]


class ReadHold:
    """Remembers, per status URL, when it was last served and which version of the instance it showed."""

    def __init__(self, version: Version, wait_for_change: WaitForChange, hold_s: float = HOLD_S) -> None:
        self._version = version
        self._wait_for_change = wait_for_change
        self._hold_s = hold_s
        self._served: OrderedDict[str, tuple[float, float]] = OrderedDict()

    async def before(self, url: str) -> None:
        """Hold a repeated read of an unchanged running instance until it changes (or `hold_s`)."""
        instance_id = _instance_of(url)
        version = self._version(instance_id) if instance_id else None
        if instance_id is None or version is None or version[0] in TERMINAL_STATUSES:
            return
        previous = self._served.get(url)
        if previous is None or previous[1] != version[1]:
            return
        if time.monotonic() - previous[0] < POLL_WINDOW_S:
            await self._wait_for_change(instance_id, self._hold_s)

    def served(self, url: str) -> None:
        """Note that `url` was just answered, with the instance as it is now."""
        instance_id = _instance_of(url)
        version = self._version(instance_id) if instance_id else None
        if version is None:
            self._served.pop(url, None)
            return
        self._served[url] = (time.monotonic(), version[1])
        self._served.move_to_end(url)
        while len(self._served) > MAX_TRACKED:
            self._served.popitem(last=False)


def _instance_of(url: str) -> str | None:
    """The instance id of a status URL (`.../instances/{id}`), else None."""
    parts = URL(url).path.rstrip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2] == INSTANCES else None
