"""Queue output bindings (`queue_output` and its generic form) on any trigger.

A function gets a `func.Out` per queue output (or returns the message, for `$return`); once it has
succeeded, what it set goes through the worker's own queue converter and then the host's rule for
output collections: a JSON array is one message per item, a JSON object or any other text one
message, bytes one message. Queue names may use binding expressions (`{queue}` from a route,
`{queueTrigger}`...), resolved per call and lower-cased as the extension does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from azure.functions import meta
from azure.functions.decorators.function_app import Function

from devhost.blob_paths import resolve
from devhost.queues import Queues, queue_name
from devhost.settings import expand_setting_refs
from devhost.worker_converters import OutValue, converter, is_output

QUEUE = "queue"
RETURN = "$return"


@dataclass(frozen=True)
class QueueOutput:
    """One queue output binding of a function, with `%SETTING%` references resolved."""

    name: str
    queue: str  # may hold {expressions}, resolved per call
    connection: str
    where: str  # "function 'f': queue output 'msg'", for messages


def queue_outputs(function: Function, environ: Mapping[str, str]) -> list[QueueOutput]:
    found = []
    for binding in function.get_bindings():
        raw = binding.get_dict_repr()
        if str(raw.get("type")).lower() != QUEUE:
            continue
        if not is_output(binding):
            continue
        where = f"function '{function.get_function_name()}': queue output '{binding.name}'"
        template = expand_setting_refs(str(raw.get("queueName") or ""), environ, field=f"{where} queueName")
        if "{" not in template:
            template = queue_name(template, where=where)
        found.append(QueueOutput(binding.name, template, str(raw.get("connection") or ""), where))
    return found


def _item_text(item: Any) -> bytes:
    """One element of a JSON array as the host's collector writes it: strings bare, the rest as JSON."""
    return (item if isinstance(item, str) else json.dumps(item)).encode("utf-8")


def messages_of(value: Any) -> list[bytes]:
    """The messages a value set on a queue output becomes (the worker's converter, then the host)."""
    datum: meta.Datum = converter(QUEUE).encode(value, expected_type=None)
    if datum.type == "bytes":
        return [bytes(datum.value)]
    text = str(datum.value)
    stripped = text.strip()
    if stripped[:1] in ("[", "{") and stripped[-1:] in ("]", "}"):
        try:
            parsed = json.loads(stripped)
        except ValueError:
            return [text.encode("utf-8")]
        if isinstance(parsed, list):
            return [_item_text(item) for item in parsed]
    return [text.encode("utf-8")]


@dataclass
class BoundQueues:
    """The queue arguments of one invocation, and where their messages go once it succeeded."""

    queues: Queues
    arguments: dict[str, Any] = field(default_factory=dict)
    outputs: list[tuple[QueueOutput, str, OutValue | None]] = field(default_factory=list)

    async def flush(self, returned: Any = None) -> None:
        for output, queue, out in self.outputs:
            value = returned if out is None else out.get()
            if value is None:
                continue
            for body in messages_of(value):
                await self.queues.put(output.connection, queue, body)


AppQueueOutputs = dict[str, list[QueueOutput]]  # by function name


def app_queue_outputs(functions: list[Function], environ: Mapping[str, str]) -> AppQueueOutputs:
    """Every function's queue outputs, read (and their fixed queue names checked) once, at start."""
    return {str(f.get_function_name()): queue_outputs(f, environ) for f in functions}


def output_connections(outputs: AppQueueOutputs) -> set[str]:
    return {output.connection for found in outputs.values() for output in found}


class QueueBinder:
    """Fills the queue output bindings of every function of an app."""

    def __init__(self, outputs: AppQueueOutputs, queues: Queues) -> None:
        self._outputs = outputs
        self._queues = queues

    async def bind(
        self, function: Function, user_function: Callable[..., Any], data: Mapping[str, Any]
    ) -> BoundQueues:
        """An `Out` per output parameter; queue names resolved now, so a bad one fails the call early."""
        bound = BoundQueues(self._queues)
        for output in self._outputs.get(str(function.get_function_name()), []):
            queue = queue_name(resolve(output.queue, data), where=output.where)
            out = None if output.name == RETURN else OutValue()
            if out is not None:
                bound.arguments[output.name] = out
            bound.outputs.append((output, queue, out))
        return bound
