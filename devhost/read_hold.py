"""Status reads that a caller repeats while a run goes on are answered when the run next changes.

An app waiting for a run polls `get_status`: on Azure every read is a storage round trip, so apps
pause between reads (the run API: 0.5 s once a wait is a second old), and the pause is what a caller
waits on top of the run. Here the app's durable client is served in-process (`client_rpc`), and the
engine knows the moment an instance changes. So when the same status URL of a running instance is read
again within `POLL_WINDOW_S` and nothing has changed since that URL was last answered (same runtime
status, same last-change time), the read waits until the instance next changes (an episode ends, the
run is terminated...) or `HOLD_S` passes. `HOLD_S` is longer than the pollers' pauses, so the next read
starts as soon as a held one returns: a poller always has a read open, and is answered within a
millisecond of each change, the run's end included, however many steps the run takes and however
long each one is. A change that comes while no read is open is seen by the next read at once.
Nothing app-specific: any app's polling loop benefits.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable

from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus
from yarl import URL

from devhost.state import TERMINAL_STATUSES

HOLD_S = 1.0  # longer than the run API's steady pause between reads (api/waiting.py, 0.5 s)
POLL_WINDOW_S = 2.0
MAX_TRACKED = 1024
INSTANCES = "instances"

Mark = tuple[OrchestrationRuntimeStatus, float]  # runtime status and last-change time
ChangeMark = Callable[[str], Mark | None]
WaitForChange = Callable[[str, float], Awaitable[bool]]


class ReadHold:
    """Remembers, per status URL, when it was last served and how the instance stood then."""

    def __init__(
        self, change_mark: ChangeMark, wait_for_change: WaitForChange, hold_s: float = HOLD_S
    ) -> None:
        self._mark = change_mark
        self._wait_for_change = wait_for_change
        self._hold_s = hold_s
        self._served: OrderedDict[str, tuple[float, Mark]] = OrderedDict()

    async def before(self, url: str) -> None:
        """Hold a repeated read of an unchanged running instance until it changes (or `hold_s`)."""
        instance_id = _instance_of(url)
        mark = self._mark(instance_id) if instance_id else None
        if instance_id is None or mark is None or mark[0] in TERMINAL_STATUSES:
            return
        previous = self._served.get(url)
        if previous is None or previous[1] != mark or time.monotonic() - previous[0] >= POLL_WINDOW_S:
            return
        await self._wait_for_change(instance_id, self._hold_s)

    def served(self, url: str) -> None:
        """Note that `url` was just answered, with the instance as it is now."""
        instance_id = _instance_of(url)
        mark = self._mark(instance_id) if instance_id else None
        if mark is None:
            self._served.pop(url, None)
            return
        self._served[url] = (time.monotonic(), mark)
        self._served.move_to_end(url)
        while len(self._served) > MAX_TRACKED:
            self._served.popitem(last=False)


def _instance_of(url: str) -> str | None:
    """The instance id of a status URL (`.../instances/{id}`), else None."""
    parts = URL(url).path.rstrip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2] == INSTANCES else None
