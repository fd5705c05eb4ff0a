"""Waiting for a run without holding the HTTP request longer than asked.

The SDK's `wait_for_completion_or_create_check_status_response` polls once a second and answers
500 for a Failed run; this polls `get_status` with a short, growing pause instead, so fast runs
return in milliseconds and the caller decides what a failed run looks like.

The pause is a quarter of the time already waited (within bounds): the reply comes at most ~25%
after the run ended, and a long wait still costs only a logarithmic number of polls. (Doubling
pauses answered a 73 ms run after ~140 ms in `bench/peers`.)
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

MIN_PAUSE_S = 0.01
MAX_PAUSE_S = 0.5
PAUSE_FRACTION = 0.25


async def poll_until(
    fetch: Callable[[], Awaitable[T]], ready: Callable[[T], bool], timeout_s: float
) -> tuple[T, bool]:
    """Fetch until `ready(value)` or `timeout_s` passes; returns the last value and whether it was ready.

    Always fetches at least once, so a zero timeout is a plain read.
    """
    started = time.monotonic()
    deadline = started + timeout_s
    while True:
        value = await fetch()
        if ready(value):
            return value, True
        now = time.monotonic()
        if now >= deadline:
            return value, False
        pause = min(MAX_PAUSE_S, max(MIN_PAUSE_S, (now - started) * PAUSE_FRACTION))
        await asyncio.sleep(min(pause, deadline - now))
