"""Waiting for a run without holding the HTTP request longer than asked.

The SDK's `wait_for_completion_or_create_check_status_response` polls once a second and answers
500 for a Failed run; this polls `get_status` with a short, growing pause instead, so fast runs
return in milliseconds and the caller decides what a failed run looks like.

On Azure every poll is a status read of the durable HTTP API, so the schedule is budgeted: at most
20 reads in the first second of a wait (the pause starts at 3 ms and grows to 35% of the time
waited), then one every 0.5 s. The embedded host holds a repeated read of an unchanged running run
until the run next changes, for longer than that pause (`devhost/read_hold.py`), so there a read is
always open and the reply comes within a millisecond of the run's end; a read still held at the
wait's deadline is given up, so a wait ends on time.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

MIN_PAUSE_S = 0.003
PAUSE_FRACTION = 0.35
FIRST_SECOND_S = 1.0
STEADY_PAUSE_S = 0.5
# How long past the deadline a read may still answer. Reads after the first are cut off there: the
# embedded host holds a poller's read until the run changes (up to 1 s), and a slow storage read
# must not stretch a wait either; the previous answer is returned instead.
LATE_READ_S = 0.05


def pause_after(waited_s: float) -> float:
    """The pause from one read's start to the next, `waited_s` into a wait."""
    if waited_s >= FIRST_SECOND_S:
        return STEADY_PAUSE_S
    return max(MIN_PAUSE_S, waited_s * PAUSE_FRACTION)


def read_slots() -> Iterator[float]:
    """When each read may start, in seconds from the start of the wait: 0, 3 ms, 6 ms, ... 0.5 s apart
    after the first second. A read starts at its slot or when the previous one returns, whichever
    is later, so slow reads never add reads and held reads (the embedded host) leave no gap."""
    offset = 0.0
    while True:
        yield offset
        offset += pause_after(offset)


async def poll_until(
    fetch: Callable[[], Awaitable[T]],
    ready: Callable[[T], bool],
    timeout_s: float,
    *,
    just_started: bool = False,
) -> tuple[T, bool]:
    """Fetch until `ready(value)` or `timeout_s` passes; returns the last value and whether it was ready.

    Always fetches at least once, so a zero timeout is a plain read. `just_started`: the caller has
    just started what it waits for, which cannot have ended yet, so the first read comes at the
    second slot: a read at once would only ever see it pending.
    """
    started = time.monotonic()
    deadline = started + timeout_s
    slots = read_slots()
    next(slots)
    if just_started and timeout_s > 0:
        await asyncio.sleep(min(next(slots), timeout_s))
    value = await fetch()
    while not ready(value):
        now = time.monotonic()
        if now >= deadline:
            return value, False
        await asyncio.sleep(max(0.0, min(started + next(slots), deadline) - now))
        try:
            async with asyncio.timeout(max(0.0, deadline - time.monotonic()) + LATE_READ_S):
                value = await fetch()
        except TimeoutError:  # a read still open at the deadline: the last answer stands
            return value, False
    return value, True
