"""The host's event loop: asyncio's selector loop, waiting with microsecond rather than millisecond timeouts.

Everything shares one loop: the app's HTTP functions (whose durable client polls a run's status on a
timer), agent activities sleeping on their model, the engine. `epoll_wait` takes whole milliseconds and
asyncio rounds the wait up, so when two timers fall within a millisecond of each other the second one
fires up to 1 ms late: with the template's status polls beside a three-call chain that cost ~1.9 ms per
run (three 20 ms sleeps: 60.6 ms with microsecond waits, 62.4 ms with millisecond ones; alone, 60.8 ms
either way). Here the wait happens in `select()` on the epoll descriptor itself, which takes a
microsecond timeout, and epoll then collects the ready events without waiting.

Where epoll is missing (macOS's kqueue already waits with nanosecond timeouts) the default loop is used.
"""

import asyncio
import select
import selectors
from typing import Any

SELECT_FD_LIMIT = 1024  # select() cannot watch descriptors from FD_SETSIZE up


if hasattr(selectors, "EpollSelector"):

    class PreciseEpollSelector(selectors.EpollSelector):
        """An epoll selector whose timed waits end when they should, not at the next whole millisecond."""

        def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
            if timeout is not None and timeout > 0 and self.fileno() < SELECT_FD_LIMIT:
                select.select([self.fileno()], [], [], timeout)  # readable once any watched fd is ready
                timeout = 0
            return super().select(timeout)


def new_event_loop() -> asyncio.AbstractEventLoop:
    """The loop `python -m devhost` runs on (pass as `asyncio.Runner(loop_factory=...)`)."""
    if not hasattr(selectors, "EpollSelector"):
        return asyncio.new_event_loop()
    selector: Any = PreciseEpollSelector()
    return asyncio.SelectorEventLoop(selector)
