"""Calling a trigger function (HTTP, timer, queue, MCP) the way the Python worker does.

The worker passes keyword arguments named after the bindings: the trigger value, the durable client
binding JSON for each `durableClient` input, what the binders (blob, queue) supply, and a `func.Context`
to a parameter named `context` that is not a binding. Async functions (and every durable-client wrapper)
run on the host's one event loop, since the SDK's module-level aiohttp session is tied to the first loop
it saw; sync ones run in a thread pool. A binding this host cannot supply fails the call with a message
that names it, rather than with the TypeError of a missing argument.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Protocol

import azure.functions as func
from azure.functions._abc import RetryContext, RpcException, TraceContext

from devhost.blob_bindings import BLOB
from devhost.client_binding import client_binding_json
from devhost.queue_bindings import QUEUE
from devhost.read_hold import reading_as_new_caller
from devhost.worker_converters import is_output

DURABLE_CLIENT = "durableclient"
SUPPORTED_INPUTS = {DURABLE_CLIENT, BLOB}
SUPPORTED_OUTPUTS = {BLOB, QUEUE, "http"}


class UnsupportedBindingError(RuntimeError):
    """The function has a binding the embedded host cannot supply; the message names it."""


class Bound(Protocol):
    """One invocation's bound arguments, and the outputs to write once the function succeeded."""

    arguments: dict[str, Any]

    async def flush(self, returned: Any = None) -> None: ...


class Binder(Protocol):
    """Supplies one kind of binding (blob, queue) to every function of an app."""

    async def bind(
        self, function: Any, user_function: Callable[..., Any], data: Mapping[str, Any]
    ) -> Bound: ...


class _NoException(RpcException):
    """What the worker passes before any retry: an exception record with every field empty."""

    source = ""
    stack_trace = ""
    message = ""


class _RetryContext(RetryContext):
    """The worker always supplies one; locally nothing retries trigger functions."""

    retry_count = 0
    max_retry_count = 0
    exception = _NoException()


class _TraceContext(TraceContext):
    trace_parent = ""
    trace_state = ""
    attributes: dict[str, str] = {}  # noqa: RUF012 - the worker's shape, never mutated


class InvocationContext(func.Context):
    """The `context` argument: a fresh invocation id per call, like the worker's."""

    def __init__(self, function_name: str, function_directory: str) -> None:
        self._invocation_id = str(uuid.uuid4())
        self._function_name = function_name
        self._function_directory = function_directory
        self._thread_local_storage = threading.local()

    invocation_id = property(lambda self: self._invocation_id)
    function_name = property(lambda self: self._function_name)
    function_directory = property(lambda self: self._function_directory)
    thread_local_storage = property(lambda self: self._thread_local_storage)
    trace_context = property(lambda self: _TraceContext())
    retry_context = property(lambda self: _RetryContext())


def _type_name(binding: Any) -> str:
    """The binding's type as declared; generic bindings carry it only in `type`."""
    return str(getattr(binding, "type", None) or binding.get_binding_name())


def binding_type(binding: Any) -> str:
    return _type_name(binding).lower()


def triggered(functions: Iterable[Any], kind: str) -> Iterator[tuple[Any, dict[str, Any]]]:
    """(function, its trigger's settings) for each function whose trigger type is `kind` (lower-case)."""
    for function in functions:
        trigger = function.get_trigger()
        if trigger is not None and binding_type(trigger) == kind:
            yield function, trigger.get_dict_repr()


@functools.lru_cache(maxsize=1024)
def unsupported_bindings(function: Any) -> tuple[str, ...]:
    """Bindings other than the trigger that devhost cannot supply, e.g. `('cosmosDB input',)`."""
    trigger = function.get_trigger()
    found = []
    for binding in function.get_bindings():
        if binding is trigger:
            continue
        kind, output = binding_type(binding), is_output(binding)
        if kind not in (SUPPORTED_OUTPUTS if output else SUPPORTED_INPUTS):
            found.append(f"{_type_name(binding)} {'output' if output else 'input'}")
    return tuple(found)


class FunctionCaller:
    """Invokes trigger functions with their bindings filled in.

    `rpc_origin` is the loopback origin the durable client talks to; the public origin of each call
    (the request's own origin for HTTP) goes into the management URLs the client hands out. `binders`
    fill blob and queue bindings, whose paths and names draw on the trigger's `binding_data`.
    """

    def __init__(self, hub_name: str, rpc_origin: str, app_dir: str, binders: Sequence[Binder] = ()) -> None:
        self.hub_name = hub_name
        self.rpc_origin = rpc_origin
        self.app_dir = app_dir
        self.binders = tuple(binders)

    async def call(
        self,
        function: Any,
        trigger_value: Any,
        public_origin: str,
        binding_data: Mapping[str, Any] | None = None,
    ) -> Any:
        missing = unsupported_bindings(function)
        if missing:
            raise UnsupportedBindingError(
                f"function '{function.get_function_name()}' has bindings the embedded host does not supply"
                f" ({', '.join(missing)}); run it under `func start` for those"
            )
        user_function: Callable[..., Any] = function.get_user_function()
        kwargs = self._arguments(function, user_function, trigger_value, public_origin)
        bound = [await b.bind(function, user_function, binding_data or {}) for b in self.binders]
        for each in bound:
            kwargs.update(each.arguments)
        if inspect.iscoroutinefunction(user_function):
            with reading_as_new_caller():  # its durable client's polls may be held, nobody else's
                result = await user_function(**kwargs)
        else:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(None, functools.partial(user_function, **kwargs))
        for each in bound:
            await each.flush(result)
        return result

    def _arguments(
        self, function: Any, user_function: Callable[..., Any], trigger_value: Any, public_origin: str
    ) -> dict[str, Any]:
        kwargs: dict[str, Any] = {function.get_trigger().name: trigger_value}
        for binding in function.get_bindings():
            if binding_type(binding) == DURABLE_CLIENT:
                kwargs[binding.name] = client_binding_json(public_origin, self.rpc_origin, self.hub_name)
        if "context" not in kwargs and _takes_context(user_function):
            kwargs["context"] = InvocationContext(function.get_function_name(), self.app_dir)
        return kwargs


@functools.lru_cache(maxsize=1024)
def _takes_context(user_function: Callable[..., Any]) -> bool:
    """Whether the function declares a `context` parameter (read once per function, not per call)."""
    return "context" in inspect.signature(user_function).parameters
