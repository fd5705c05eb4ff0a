"""Queue-triggered functions: which queue each listens on, and what a message gives the function.

The listening itself (batches, retries, the poison queue, stopping) is `devhost.queue_listener`'s.
The function gets a `func.QueueMessage` built by the worker's own converter from the message and its
metadata; other bindings of the function can use the host's binding data: `{queueTrigger}` (the
text), `{id}`, `{dequeueCount}`, the times and the pop receipt, and a JSON message's own properties.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from azure.functions import meta
from azure.functions.decorators.function_app import Function

from devhost.function_call import triggered
from devhost.queue_listener import Host, Invocation, QueueListener
from devhost.queue_store import POISON_SUFFIX, QueuedMessage
from devhost.queues import queue_name
from devhost.settings import expand_setting_refs
from devhost.worker_converters import converter

QUEUE_TRIGGER = "queuetrigger"


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
    for function, raw in triggered(functions, QUEUE_TRIGGER):
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


def message_invocation(target: QueueFunction, message: QueuedMessage, reason: str) -> Invocation:
    """What `message` runs: `target` with the `func.QueueMessage` the worker's converter builds."""
    trigger = converter("queueTrigger").decode(
        meta.Datum(message.body, "bytes"), trigger_metadata=_metadata(message)
    )
    return Invocation(target.function, trigger, binding_data(message), reason)


def queue_listener(host: Host, target: QueueFunction) -> QueueListener:
    """The listener that runs `target` for each message on its queue."""

    async def resolve(message: QueuedMessage) -> Invocation:
        return message_invocation(target, message, f"New queue message detected on '{target.queue}'.")

    return QueueListener(host, target.connection, target.queue, target.queue + POISON_SUFFIX, resolve)
