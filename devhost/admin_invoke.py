"""`POST /admin/functions/{name}`: run a non-HTTP function now, as the host's FunctionsController.Invoke.

The body is `{"input": "..."}` and the input is the trigger value: a queue message's text, a blob's
`container/name` path, nothing for a timer (its TimerInfo is the host's). No body (or one that is
not such an object) is 400, an unknown name 404; otherwise the call starts in the background and
the answer is 202 at once, as on the host. HTTP functions are not run this way: they have routes.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from devhost.blob_triggers import BlobFunction, BlobTriggers
from devhost.queue_listener import Host, Invocation
from devhost.queue_store import QueuedMessage
from devhost.queue_triggers import QueueFunction, message_invocation
from devhost.timer_triggers import TimerRunner

log = logging.getLogger("devhost.admin")
HOST_CALL = "This function was programmatically called via the host APIs."  # ExecutionReason.HostCall
MESSAGE_TTL = timedelta(days=7)  # a queue message's default time to live

Invoke = Callable[[str], Awaitable[None]]


def invocation_input(body: Any) -> str | None:
    """The `input` of a FunctionInvocation body; None when the host's model binding yields no object."""
    if not isinstance(body, dict):
        return None
    value = body.get("input")
    if isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return str(value).lower()  # a JSON scalar read into a string property keeps its JSON text
    return "" if value is None else str(value)


class AdminFunctions:
    """The functions `POST /admin/functions/{name}` can run, by lower-cased name."""

    def __init__(
        self, host: Host, timers: TimerRunner, queues: list[QueueFunction], blobs: BlobTriggers
    ) -> None:
        self.host = host
        self.timers = timers
        self.blobs = blobs
        self.invokers: dict[str, Invoke] = {
            name: functools.partial(self._timer, name) for name in timers.timers
        }
        self.invokers |= {q.name.lower(): functools.partial(self._queue, q) for q in queues}
        self.invokers |= {b.name.lower(): functools.partial(self._blob, b) for b in blobs.targets}

    def knows(self, name: str) -> bool:
        return name.lower() in self.invokers

    async def invoke(self, name: str, value: str) -> None:
        await self.invokers[name.lower()](value)

    async def _timer(self, name: str, _input: str) -> None:
        await self.timers.fire_now(name)

    async def _queue(self, target: QueueFunction, text: str) -> None:
        now = datetime.now(UTC)
        message = QueuedMessage(str(uuid.uuid4()), text.encode(), 1, now, now + MESSAGE_TTL, now, "")
        await self._run(message_invocation(target, message, HOST_CALL))

    async def _blob(self, target: BlobFunction, path: str) -> None:
        invocation = await self.blobs.path_invocation(target, path)
        if invocation is None:
            log.error("Executed '%s' (Failed): blob '%s' not found", target.name, path)
            return
        await self._run(dataclasses.replace(invocation, reason=HOST_CALL))

    async def _run(self, invocation: Invocation) -> None:
        """One call, logged as the host logs a function execution."""
        name, call_id = invocation.function.get_function_name(), uuid.uuid4()
        log.info("Executing '%s' (Reason='%s', Id=%s)", name, invocation.reason, call_id)
        started = time.perf_counter()
        try:
            await self.host.caller.call(
                invocation.function, invocation.trigger, self.host.origin, invocation.binding_data
            )
        except Exception:
            log.exception("Executed '%s' (Failed, Id=%s)", name, call_id)
            return
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.info("Executed '%s' (Succeeded, Id=%s, Duration=%.0fms)", name, call_id, elapsed_ms)
