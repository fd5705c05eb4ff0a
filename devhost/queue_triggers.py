"""Running queue-triggered functions the way the Storage queues extension's listener does.

Per function, one listener receives up to `batchSize` messages at a time, each hidden for ten minutes
(renewed halfway for as long as the function runs), and runs them concurrently; it fetches the next
batch once no more than `newBatchThreshold` are still running. A message that succeeded is deleted;
one that failed is visible again after `visibilityTimeout`, until its dequeue count reaches
`maxDequeueCount`, when it moves to `<queue>-poison`. An empty queue is polled again after a delay
that doubles, with jitter, from 100 ms up to `maxPollingInterval`; a message the app itself adds
wakes the listener at once. Stopping the host (Ctrl-C, a reload) hands running messages back to the
queue, as the listener releases a message whose run was cancelled; one that was running when the host
died becomes visible when its ten minutes are up. Either way it runs again, its dequeue count one
higher: at-least-once, as in Azure.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azure.functions import meta
from azure.functions.decorators.function_app import Function

from devhost.function_call import FunctionCaller
from devhost.queue_options import QueueOptions
from devhost.queue_store import POISON_SUFFIX, QueuedMessage
from devhost.queues import Queues, queue_name
from devhost.settings import expand_setting_refs
from devhost.worker_converters import converter

log = logging.getLogger("devhost.queue")
QUEUE_TRIGGER = "queuetrigger"
RUNNING_VISIBILITY_S = 600.0  # the listener's own visibility timeout for a message it runs
MIN_POLL_S = 0.1


@dataclass(frozen=True)
class QueueFunction:
    function: Function
    queue: str
    connection: str

    @property
    def name(self) -> str:
        return str(self.function.get_function_name())


def queue_functions(functions: list[Function], environ: Mapping[str, str]) -> list[QueueFunction]:
    """Every queue-triggered function with its queue name resolved and checked."""
    found = []
    for function in functions:
        trigger = function.get_trigger()
        if trigger is None or str(trigger.type or trigger.get_binding_name()).lower() != QUEUE_TRIGGER:
            continue  # (generic triggers carry their type only in `type`)
        raw = trigger.get_dict_repr()
        where = f"function '{function.get_function_name()}': queue trigger"
        name = expand_setting_refs(str(raw.get("queueName") or ""), environ, field=f"{where} queueName")
        found.append(QueueFunction(function, queue_name(name, where=where), str(raw.get("connection") or "")))
    return found


def _metadata(message: QueuedMessage) -> dict[str, meta.Datum]:
    """The trigger metadata the host sends with a queue message (what `func.QueueMessage` reads)."""
    return {
        "Id": meta.Datum(message.id, "string"),
        "DequeueCount": meta.Datum(message.dequeue_count, "int"),
        "ExpirationTime": meta.Datum(message.expiration_time.isoformat(), "string"),
        "InsertionTime": meta.Datum(message.insertion_time.isoformat(), "string"),
        "NextVisibleTime": meta.Datum(message.next_visible_time.isoformat(), "string"),
        "PopReceipt": meta.Datum(message.pop_receipt, "string"),
    }


def binding_data(message: QueuedMessage) -> dict[str, Any]:
    """What other bindings' expressions may use: the message's fields, and a JSON message's properties."""
    data: dict[str, Any] = {
        "DequeueCount": message.dequeue_count,
        "ExpirationTime": message.expiration_time.isoformat(),
        "Id": message.id,
        "InsertionTime": message.insertion_time.isoformat(),
        "NextVisibleTime": message.next_visible_time.isoformat(),
        "PopReceipt": message.pop_receipt,
    }
    try:
        text = message.body.decode("utf-8")
    except UnicodeDecodeError:
        return data  # not text: no {queueTrigger}, as on the host
    data["QueueTrigger"] = text
    with contextlib.suppress(ValueError):
        parsed = json.loads(text)
        if isinstance(parsed, dict):
            data.update(parsed)  # the payload's properties win over the built-in names, as on the host
    return data


class QueueListener:
    """Polls one queue for one function and runs what it receives."""

    def __init__(
        self,
        target: QueueFunction,
        queues: Queues,
        caller: FunctionCaller,
        origin: str,
        options: QueueOptions,
    ) -> None:
        self.target = target
        self.queues = queues
        self.store = queues.store(target.connection)
        self.caller = caller
        self.origin = origin
        self.options = options
        self.running: set[asyncio.Task[None]] = set()
        self.woken = asyncio.Event()
        queues.watch(target.connection, target.queue, self.woken.set)

    async def run(self) -> None:
        delay = MIN_POLL_S
        while True:
            self.woken.clear()  # before receiving: a message queued meanwhile must still wake the wait
            try:
                batch = await self.store.receive(
                    self.target.queue, self.options.batch_size, RUNNING_VISIBILITY_S
                )
            except Exception:
                log.exception("queue '%s': receiving messages failed; trying again", self.target.queue)
                batch = []
            for message in batch:
                task = asyncio.create_task(self._process(message), name=f"queue:{self.target.name}")
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
            log.exception("queue '%s': message %s could not be completed", self.target.queue, message.id)

    async def _run(self, lease: list[QueuedMessage]) -> bool:
        """Call the function with the message, keeping it hidden meanwhile; True if it succeeded."""
        message, queue, name = lease[0], self.target.queue, self.target.name
        keeper = asyncio.create_task(self._keep_hidden(lease))
        started = time.perf_counter()
        log.info(
            "Executing '%s' (Reason='New queue message detected on '%s'.', Id=%s)", name, queue, message.id
        )
        trigger = converter("queueTrigger").decode(
            meta.Datum(message.body, "bytes"), trigger_metadata=_metadata(message)
        )
        try:
            await self.caller.call(self.target.function, trigger, self.origin, binding_data(message))
        except asyncio.CancelledError:  # the host is stopping (Ctrl-C, a reload): hand the message back
            keeper.cancel()
            await self.store.hide(queue, lease[0], self.options.visibility_timeout_s)
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
            await self.store.delete(self.target.queue, message)
        elif message.dequeue_count >= self.options.max_dequeue_count:
            await self._poison(message)
        else:
            await self.store.hide(self.target.queue, message, self.options.visibility_timeout_s)

    async def _keep_hidden(self, lease: list[QueuedMessage]) -> None:
        """Renew the message's invisibility halfway through, for as long as the function runs."""
        while True:
            await asyncio.sleep(RUNNING_VISIBILITY_S / 2)
            renewed = await self.store.hide(self.target.queue, lease[0], RUNNING_VISIBILITY_S)
            if renewed is None:
                return  # someone else holds it now; the outcome is theirs to record
            lease[0] = renewed

    async def _poison(self, message: QueuedMessage) -> None:
        poison = self.target.queue + POISON_SUFFIX
        log.warning(
            "Message %s has reached MaxDequeueCount of %d. Moving message to queue '%s'.",
            message.id,
            self.options.max_dequeue_count,
            poison,
        )
        await self.queues.put(self.target.connection, poison, message.body)
        await self.store.delete(self.target.queue, message)


class QueueTriggers:
    """One listener task per queue-triggered function."""

    def __init__(
        self,
        targets: list[QueueFunction],
        queues: Queues,
        caller: FunctionCaller,
        origin: str,
        options: QueueOptions,
    ) -> None:
        self.listeners = [QueueListener(t, queues, caller, origin, options) for t in targets]
        self.tasks: list[asyncio.Task[None]] = []

    def start(self) -> None:
        self.tasks = [
            asyncio.create_task(listener.run(), name=f"queue-listener:{listener.target.name}")
            for listener in self.listeners
        ]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)
        for listener in self.listeners:
            await listener.stop()
