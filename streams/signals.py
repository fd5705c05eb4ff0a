"""In-process wake-ups: a reader waiting for a run's words learns at once that a chunk was stored.

When the activity writing a reply and the HTTP call reading it run in the same process (the embedded
host always; a Functions worker whenever both land on one instance), polling the store would only
add its interval to every word's delay. The writer calls `stored(run)` after each chunk; readers
`await next_chunk(run)` beside their polling, which stays the path across processes and instances.
Everything here runs on the event loop, so no locks are needed.
"""

import asyncio

_WAITERS: dict[str, set[asyncio.Future[None]]] = {}


def stored(run: str) -> None:
    """A chunk of `run` was just stored: wake every reader waiting for one."""
    for waiter in _WAITERS.pop(run, set()):
        if not waiter.done():
            waiter.set_result(None)


def next_chunk(run: str) -> asyncio.Future[None]:
    """A future done when the next chunk of `run` is stored in this process; cancel it when unused."""
    waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
    _WAITERS.setdefault(run, set()).add(waiter)
    waiter.add_done_callback(lambda done: _forget(run, done))
    return waiter


def _forget(run: str, waiter: asyncio.Future[None]) -> None:
    waiters = _WAITERS.get(run)
    if waiters is not None:
        waiters.discard(waiter)
        if not waiters:
            _WAITERS.pop(run, None)
