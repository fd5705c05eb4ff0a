"""Waiting for a run without holding the HTTP request longer than asked.

The SDK's `wait_for_completion_or_create_check_status_response` polls once a second and answers
500 for a Failed run; this polls `get_status` with a short, growing pause instead, so fast runs
return in milliseconds and the caller decides what a failed run looks like.
"""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")

FIRST_PAUSE_S = 0.02
MAX_PAUSE_S = 0.5


async def poll_until(
    fetch: Callable[[], Awaitable[T]], ready: Callable[[T], bool], timeout_s: float
) -> tuple[T, bool]:
    """Fetch until `ready(value)` or `timeout_s` passes; returns the last value and whether it was ready.

    Always fetches at least once, so a zero timeout is a plain read.
    """
    deadline = time.monotonic() + timeout_s
    pause = FIRST_PAUSE_S
    while True:
        value = await fetch()
        if ready(value):
            return value, True
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            return value, False
        await asyncio.sleep(min(pause, remaining))
        pause = min(pause * 2, MAX_PAUSE_S)
