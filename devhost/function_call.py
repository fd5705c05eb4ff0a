"""Calling a trigger function (HTTP or timer) the way the Python worker does.

The worker passes keyword arguments named after the bindings: the trigger value, the durable client
binding JSON for each `durableClient` input, and a `func.Context` to a parameter named `context` that is
not a binding. Async functions (and every durable-client wrapper) run on the host's one event loop, since
the SDK's module-level aiohttp session is tied to the first loop it saw; sync ones run in a thread pool.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import threading
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import azure.functions as func
from azure.functions._abc import RetryContext, RpcException, TraceContext

from devhost.blob_bindings import BLOB, BlobBinder
from devhost.client_binding import client_binding_json

DURABLE_CLIENT = "durableclient"
SUPPORTED_INPUTS = {DURABLE_CLIENT, BLOB}


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


def binding_type(binding: Any) -> str:
    return str(binding.get_binding_name()).lower()


def unsupported_inputs(function: Any) -> list[str]:
    """Input bindings other than the trigger that devhost cannot supply (e.g. blob inputs)."""
    trigger = function.get_trigger()
    return [
        binding_type(b)
        for b in function.get_bindings()
        if b is not trigger
        and str(getattr(b, "direction", "")).upper().endswith("IN")
        and binding_type(b) not in SUPPORTED_INPUTS
    ]


class FunctionCaller:
    """Invokes trigger functions with their bindings filled in.

    `rpc_origin` is the loopback origin the durable client talks to; the public origin of each call
    (the request's own origin for HTTP) goes into the management URLs the client hands out. `blobs`
    fills blob input/output bindings, whose paths draw on the trigger's `binding_data`.
    """

    def __init__(self, hub_name: str, rpc_origin: str, app_dir: str, blobs: BlobBinder | None = None) -> None:
        self.hub_name = hub_name
        self.rpc_origin = rpc_origin
        self.app_dir = app_dir
        self.blobs = blobs

    async def call(
        self,
        function: Any,
        trigger_value: Any,
        public_origin: str,
        binding_data: Mapping[str, Any] | None = None,
    ) -> Any:
        user_function: Callable[..., Any] = function.get_user_function()
        kwargs = self._arguments(function, user_function, trigger_value, public_origin)
        blobs = (
            None if self.blobs is None else await self.blobs.bind(function, user_function, binding_data or {})
        )
        if blobs is not None:
            kwargs.update(blobs.arguments)
        if inspect.iscoroutinefunction(user_function):
            result = await user_function(**kwargs)
        else:
            loop = asyncio.get_running_loop()
            result = await loop.run_in_executor(None, functools.partial(user_function, **kwargs))
        if blobs is not None:
            await blobs.flush()
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
