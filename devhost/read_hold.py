"""Status reads that a caller repeats while a run goes on are answered when its runtime status changes.

An app waiting for a run polls `get_status`: on Azure every read is a storage round trip, so apps
pause between reads, and the pause is what a caller waits on top of the run. Here the app's durable
client is served in-process (`client_rpc`), and the engine knows the moment an instance changes.
So when the same status URL of a running instance is read again within `POLL_WINDOW_S` and its
runtime status is still the one that read was shown, the read waits (at most `HOLD_S`) until the
runtime status changes (the run ends, fails, is suspended...) before it is served. A poller waiting
for the end has one read open when the run ends and is answered within a millisecond of it, however
many steps the run takes and however long its pauses between reads; a reader following progress
sees it at most `HOLD_S` late. Nothing app-specific: any app's polling loop benefits.
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


RuntimeStatus = Callable[[str], OrchestrationRuntimeStatus | None]
WaitForChange = Callable[[str, float], Awaitable[bool]]


class ReadHold:
    """Remembers, per status URL, when it was last served and which runtime status it showed."""

    def __init__(
        self, runtime_status: RuntimeStatus, wait_for_change: WaitForChange, hold_s: float = HOLD_S
    ) -> None:
        self._status = runtime_status
        self._wait_for_change = wait_for_change
        self._hold_s = hold_s
        self._served: OrderedDict[str, tuple[float, OrchestrationRuntimeStatus]] = OrderedDict()

    async def before(self, url: str) -> None:
        """Hold a repeated read of a running instance until its runtime status changes (or `hold_s`)."""
        instance_id = _instance_of(url)
        status = self._status(instance_id) if instance_id else None
        if instance_id is None or status is None or status in TERMINAL_STATUSES:
            return
        previous = self._served.get(url)
        now = time.monotonic()
        if previous is None or previous[1] != status or now - previous[0] >= POLL_WINDOW_S:
            return
        deadline = now + self._hold_s
        while (left := deadline - time.monotonic()) > 0:
            if not await self._wait_for_change(instance_id, left) or self._status(instance_id) != status:
                return

    def served(self, url: str) -> None:
        """Note that `url` was just answered, with the instance as it is now."""
        instance_id = _instance_of(url)
        status = self._status(instance_id) if instance_id else None
        if status is None:
            self._served.pop(url, None)
            return
        self._served[url] = (time.monotonic(), status)
        self._served.move_to_end(url)
        while len(self._served) > MAX_TRACKED:
            self._served.popitem(last=False)


def _instance_of(url: str) -> str | None:
    """The instance id of a status URL (`.../instances/{id}`), else None."""
    parts = URL(url).path.rstrip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2] == INSTANCES else None
