"""Status reads that a caller repeats while a run goes on are answered when the run next changes.

An app waiting for a run polls `get_status`: on Azure every read is a storage round trip, so apps
pause between reads (the run API: 0.5 s once a wait is a second old), and the pause is what a caller
waits on top of the run. Here the app's durable client is served in-process (`client_rpc`), and the
engine knows the moment an instance changes. So when the same caller (one function invocation,
`reading_as_new_caller`; tasks it starts inherit it) reads the same status URL of a running
instance again within `POLL_WINDOW_S`, and nothing has changed since it was last answered (same
runtime status, same last-change time), the read waits until the instance next changes (an episode
ends, the run is terminated...) or `HOLD_S` passes. Any other read (another request's, a page's
refresh, an approval's status check) is answered at once. `HOLD_S` is longer than the pollers'
pauses, so the next read starts as soon as a held one returns: a poller always has a read open, and
is answered within a millisecond of each change, the run's end included, however many steps the run
takes and however long each one is. A change that comes while no read is open is seen by the next
read at once. A poller with a deadline stops waiting for a held read at its deadline (as
`api/waiting.py` does). Nothing app-specific: any app's polling loop benefits.
"""

from __future__ import annotations

import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

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
ReaderKey = tuple[str, str]  # the reading invocation and the status URL

# Which invocation is reading. A context variable, not the asyncio task: a poller may read from tasks
# it starts (the events feed refreshes in the background), and one task serves one keep-alive
# connection's requests one after another.
_reader: ContextVar[str | None] = ContextVar("devhost_status_reader", default=None)


@contextmanager
def reading_as_new_caller() -> Iterator[None]:
    """Run a function invocation as a reader of its own: its repeated reads may be held, no one else's."""
    token = _reader.set(uuid.uuid4().hex)
    try:
        yield
    finally:
        _reader.reset(token)


class ReadHold:
    """Remembers, per reader and status URL, when it was last served and how the instance stood then."""

    def __init__(
        self, change_mark: ChangeMark, wait_for_change: WaitForChange, hold_s: float = HOLD_S
    ) -> None:
        self._mark = change_mark
        self._wait_for_change = wait_for_change
        self._hold_s = hold_s
        self._served: OrderedDict[ReaderKey, tuple[float, Mark]] = OrderedDict()

    async def before(self, url: str) -> None:
        """Hold a caller's repeated read of an unchanged running instance until it changes (or `hold_s`)."""
        instance_id = _instance_of(url)
        mark = self._mark(instance_id) if instance_id else None
        reader = _reader.get()
        if instance_id is None or mark is None or mark[0] in TERMINAL_STATUSES or reader is None:
            return
        previous = self._served.get((reader, url))
        if previous is None or previous[1] != mark or time.monotonic() - previous[0] >= POLL_WINDOW_S:
            return
        await self._wait_for_change(instance_id, self._hold_s)

    def served(self, url: str) -> None:
        """Note that the current caller was just answered `url`, with the instance as it is now."""
        instance_id = _instance_of(url)
        mark = self._mark(instance_id) if instance_id else None
        reader = _reader.get()
        if reader is None:
            return
        key = (reader, url)
        if mark is None:
            self._served.pop(key, None)
            return
        self._served[key] = (time.monotonic(), mark)
        self._served.move_to_end(key)
        while len(self._served) > MAX_TRACKED:
            self._served.popitem(last=False)


def _instance_of(url: str) -> str | None:
    """The instance id of a status URL (`.../instances/{id}`), else None."""
    parts = URL(url).path.rstrip("/").split("/")
    return parts[-1] if len(parts) >= 2 and parts[-2] == INSTANCES else None
