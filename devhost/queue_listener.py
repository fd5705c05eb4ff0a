"""One storage queue polled and its messages run, the way the Storage queues extension's listener does.

The listener receives up to `batchSize` messages at a time, each hidden for ten minutes (renewed halfway
for as long as its function runs), and runs them concurrently; it fetches the next batch once no more
than `newBatchThreshold` are still running. A message that succeeded is deleted; one that failed is
visible again after `visibilityTimeout`, until its dequeue count reaches `maxDequeueCount`, when it
moves to the poison queue. An empty queue is polled again after a delay that doubles, with jitter,
from 100 ms up to `maxPollingInterval`; a message the app itself adds wakes the listener at once.
Stopping the host (Ctrl-C, a reload) hands running messages back to the queue, as the listener
releases a message whose run was cancelled; one that was running when the host died becomes visible
when its ten minutes are up. Either way it runs again, its dequeue count one higher: at-least-once.

What a message runs is the caller's to say (`Resolve`): a queue trigger's function, or the function a
blob trigger's host queue message names.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from azure.functions.decorators.function_app import Function

from devhost.function_call import FunctionCaller
from devhost.queue_options import QueueOptions
from devhost.queue_store import QueuedMessage
from devhost.queues import Queues

log = logging.getLogger("devhost.queue")
RUNNING_VISIBILITY_S = 600.0  # the listener's own visibility timeout for a message it runs
MIN_POLL_S = 0.1


@dataclass(frozen=True)
class Invocation:
    """What one message runs: the function, its trigger value and binding data, and why (for the log)."""

    function: Function
    trigger: Any
    binding_data: dict[str, Any]
    reason: str


# None: the message has nothing left to run (a blob that is gone or changed) and is deleted.
Resolve = Callable[[QueuedMessage], Awaitable[Invocation | None]]


@dataclass(frozen=True)
class Host:
    """What every listener of one host shares."""

    queues: Queues
    caller: FunctionCaller
    origin: str
    options: QueueOptions


class QueueListener:
    """Polls one queue and runs what it receives."""

    def __init__(self, host: Host, connection: str, queue: str, poison_queue: str, resolve: Resolve) -> None:
        self.host = host
        self.connection = connection
        self.queue = queue
        self.poison_queue = poison_queue
        self.resolve = resolve
        self.store = host.queues.store(connection)
        self.options = host.options
        self.running: set[asyncio.Task[None]] = set()
        self.woken = asyncio.Event()
        host.queues.watch(connection, queue, self.woken.set)

    async def run(self) -> None:
        delay = MIN_POLL_S
        while True:
            self.woken.clear()  # before receiving: a message queued meanwhile must still wake the wait
            try:
                batch = await self.store.receive(self.queue, self.options.batch_size, RUNNING_VISIBILITY_S)
            except Exception:
                log.exception("queue '%s': receiving messages failed; trying again", self.queue)
                batch = []
            for message in batch:
                task = asyncio.create_task(self._process(message), name=f"queue:{self.queue}")
                self.running.add(task)
                task.add_done_callback(self.running.discard)
            if batch:
                delay = MIN_POLL_S
                while len(self.running) > self.options.new_batch_threshold:
                    await asyncio.wait(self.running, return_when=asyncio.FIRST_COMPLETED)
                continue
            # asyncio.timeout, not wait_for: on 3.11 wait_for can swallow a cancel that arrives as the
            # listener is woken, and the host would never finish stopping.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(delay * random.uniform(0.8, 1.2)):
                    await self.woken.wait()
            delay = min(delay * 2, self.options.max_polling_interval_s)

    async def stop(self) -> None:
        """Stop running messages; each is handed back to its queue, to run again on the next host."""
        for task in self.running:
            task.cancel()
        await asyncio.gather(*self.running, return_exceptions=True)

    async def _process(self, message: QueuedMessage) -> None:
        try:
            if message.dequeue_count > self.options.max_dequeue_count:
                await self._poison(message)
                return
            lease = [message]  # the message as last renewed: its pop receipt changes with every renewal
            succeeded = await self._run(lease)
            await self._complete(lease[0], succeeded)
        except Exception:  # the store failed us: the message stays hidden and comes back when visible
            log.exception("queue '%s': message %s could not be completed", self.queue, message.id)

    async def _run(self, lease: list[QueuedMessage]) -> bool:
        """Run what the message asks for, keeping it hidden meanwhile; True if it succeeded."""
        message = lease[0]
        invocation = await self.resolve(message)
        if invocation is None:
            return True
        name = invocation.function.get_function_name()
        keeper = asyncio.create_task(self._keep_hidden(lease))
        started = time.perf_counter()
        log.info("Executing '%s' (Reason='%s', Id=%s)", name, invocation.reason, message.id)
        try:
            await self.host.caller.call(
                invocation.function, invocation.trigger, self.host.origin, invocation.binding_data
            )
        except asyncio.CancelledError:  # the host is stopping (Ctrl-C, a reload): hand the message back
            keeper.cancel()
            await self.store.hide(self.queue, lease[0], self.options.visibility_timeout_s)
            log.info("Executed '%s' (Cancelled, Id=%s): the host is stopping", name, message.id)
            raise
        except Exception:
            log.exception("Executed '%s' (Failed, Id=%s)", name, message.id)
            return False
        finally:
            keeper.cancel()
        elapsed_ms = (time.perf_counter() - started) * 1000
        log.info("Executed '%s' (Succeeded, Id=%s, Duration=%.0fms)", name, message.id, elapsed_ms)
        return True

    async def _complete(self, message: QueuedMessage, succeeded: bool) -> None:
        """Delete a message that succeeded; hide a failed one again, or move it to the poison queue."""
        if succeeded:
            await self.store.delete(self.queue, message)
        elif message.dequeue_count >= self.options.max_dequeue_count:
            await self._poison(message)
        else:
            await self.store.hide(self.queue, message, self.options.visibility_timeout_s)

    async def _keep_hidden(self, lease: list[QueuedMessage]) -> None:
        """Renew the message's invisibility halfway through, for as long as the function runs."""
        while True:
            await asyncio.sleep(RUNNING_VISIBILITY_S / 2)
            renewed = await self.store.hide(self.queue, lease[0], RUNNING_VISIBILITY_S)
            if renewed is None:
                return  # someone else holds it now; the outcome is theirs to record
            lease[0] = renewed

    async def _poison(self, message: QueuedMessage) -> None:
        log.warning(
            "Message %s has reached MaxDequeueCount of %d. Moving message to queue '%s'.",
            message.id,
            self.options.max_dequeue_count,
            self.poison_queue,
        )
        await self.host.queues.put(self.connection, self.poison_queue, message.body)
        await self.store.delete(self.queue, message)


class Listeners:
    """A group of listeners (and, for blob triggers, their scanners) run as tasks of the host."""

    def __init__(
        self, listeners: list[QueueListener], extra: list[Callable[[], Coroutine[Any, Any, None]]]
    ) -> None:
        self.listeners = listeners
        self.extra = extra  # other loops to run beside them (blob scanners)
        self.tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        loops = [listener.run for listener in self.listeners] + self.extra
        self.tasks = [asyncio.create_task(loop(), name="devhost-listener") for loop in loops]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for listener in self.listeners:
            await listener.stop()
