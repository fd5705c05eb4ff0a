"""The app's durable client talking to this host in-process instead of over loopback HTTP.

The SDK's `DurableOrchestrationClient` sends every call (start, status, raise event, ...) through
`http_utils` to `rpcBaseUrl`, which is this very process: each one costs an aiohttp client request, a
socket round trip and a server request on the same event loop. When the client runs on the host's loop
and the URL is under our RPC base, the call is handed to the same `ManagementApi` handler the HTTP route
uses, and its response is read the way the SDK reads it (`response.json(content_type=None)`): the SDK
gets exactly the status and data it would have got over HTTP. Anything else (another origin, another
loop, a path we do not serve) still goes over HTTP. A status read that repeats an earlier one while
the instance is unchanged waits for its next change first (`read_hold`), so pollers answer at once.

The patch replaces the three request functions `DurableOrchestrationClient`'s module imported from
`http_utils`; each client binds them when it is built. It is applied only to SDK versions it was
checked against (``durable_speedups.sdk_gate``).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from importlib import import_module
from types import MappingProxyType
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy
from yarl import URL

from devhost.client_api import ManagementApi
from devhost.client_binding import webhook_base
from devhost.read_hold import ReadHold
from durable_speedups import sdk_gate

log = logging.getLogger("devhost.client")

CLIENT_MODULE = "azure.durable_functions.models.DurableOrchestrationClient"
REQUEST_FUNCTIONS = ("get_async_request", "post_async_request", "delete_async_request")
JSON_TYPE = "application/json"
NO_HEADERS: Mapping[str, str] = MappingProxyType({})
NO_BODY_TYPE = "application/octet-stream"  # what aiohttp's server reports when no Content-Type came


@dataclass(frozen=True)
class InProcessRequest:
    """One client call as the handlers see it (`client_api.ApiRequest`), built as aiohttp would send it."""

    method: str
    url: URL
    body: bytes
    content_type: str

    @property
    def rel_url(self) -> URL:
        return self.url.relative()

    @property
    def query(self) -> MultiDictProxy[str]:
        return self.url.query

    @property
    def headers(self) -> Mapping[str, str]:
        """The SDK's requests carry no header a handler reads (it never sends a continuation token)."""
        return NO_HEADERS

    async def read(self) -> bytes:
        return self.body


def client_request(method: str, url: str, data: Any = None) -> InProcessRequest:
    """The request aiohttp's client sends for `session.<method>(url, json=data)`: URL quoted the same way,
    body `json.dumps(data)` as UTF-8 (none for `None`)."""
    if data is None:
        return InProcessRequest(method, URL(url), b"", NO_BODY_TYPE)
    return InProcessRequest(method, URL(url), json.dumps(data).encode("utf-8"), JSON_TYPE)


def read_like_client(response: web.Response) -> Any:
    """`ClientResponse.json(content_type=None)`: None for an empty body, else the decoded JSON."""
    body = response.body
    if not isinstance(body, bytes | bytearray) or not body.strip():
        return None
    encoding = "utf-8"  # aiohttp's choice for JSON without a (known) charset
    with contextlib.suppress(LookupError):
        encoding = codecs.lookup(response.charset or encoding).name
    return json.loads(bytes(body).strip().decode(encoding))


Fallback = Callable[..., Awaitable[list[Any]]]


class InProcessRpc:
    """Serves the durable client's calls to `rpc_origin` from `management`, on the host's loop only."""

    def __init__(self, management: ManagementApi, rpc_origin: str) -> None:
        self._management = management
        self._base = webhook_base(rpc_origin) + "/"
        self._loop: asyncio.AbstractEventLoop | None = None
        self._originals: dict[str, Fallback] = {}
        self._hold: ReadHold | None = None

    def install(self) -> bool:
        """Route this loop's client calls in-process; False (nothing patched) on an unchecked SDK."""
        if not sdk_gate.allows("devhost in-process client", "the durable client talks to the host over HTTP"):
            return False
        self._loop = asyncio.get_running_loop()
        engine = self._management.engine
        self._hold = ReadHold(engine.change_mark, engine.wait_for_change)
        module = _client_module()
        self._originals = {name: getattr(module, name) for name in REQUEST_FUNCTIONS}
        module.get_async_request = self._get
        module.post_async_request = self._post
        module.delete_async_request = self._delete
        return True

    def uninstall(self) -> None:
        module = _client_module()
        for name, original in self._originals.items():
            setattr(module, name, original)
        self._originals = {}

    async def _get(self, url: str, function_invocation_id: str | None = None) -> list[Any]:
        if self._hold is not None and self._is_ours(url):
            await self._hold.before(url)  # a poll of an unchanged run is answered at its next change
        served = await self._serve("GET", url)
        if served is None:
            return await self._originals["get_async_request"](url, function_invocation_id)
        if self._hold is not None:
            self._hold.served(url)
        status, data = served
        return [status, "" if data is None else data]  # http_utils turns a null body into ""

    async def _post(
        self,
        url: str,
        data: Any = None,
        trace_parent: str | None = None,
        trace_state: str | None = None,
        function_invocation_id: str | None = None,
    ) -> list[Any]:
        served = await self._serve("POST", url, data)
        if served is None:
            original = self._originals["post_async_request"]
            return await original(url, data, trace_parent, trace_state, function_invocation_id)
        return list(served)

    async def _delete(self, url: str, function_invocation_id: str | None = None) -> list[Any]:
        served = await self._serve("DELETE", url)
        if served is None:
            return await self._originals["delete_async_request"](url, function_invocation_id)
        return list(served)

    def _is_ours(self, url: str) -> bool:
        """A call to this host's RPC base from the host's own loop (else it goes over HTTP)."""
        return url.startswith(self._base) and asyncio.get_running_loop() is self._loop

    async def _serve(self, method: str, url: str, data: Any = None) -> tuple[int, Any] | None:
        """(status, data) from the management handler; None when the call must go over HTTP."""
        if not self._is_ours(url):
            return None
        # An HTTP round trip always lets the loop run what became ready (e.g. the episode a start just
        # queued) before the answer arrives; yield once so serving in-process keeps that order.
        await asyncio.sleep(0)
        started = time.perf_counter()
        request = client_request(method, url, data)
        response = await self._management.handle(request)
        if response is None:
            return None
        if log.isEnabledFor(logging.DEBUG):
            elapsed_ms = (time.perf_counter() - started) * 1000
            log.debug(
                "in-process %s %s -> %d (%.2f ms)", method, request.rel_url, response.status, elapsed_ms
            )
        return response.status, read_like_client(response)


def _client_module() -> Any:
    return sys.modules.get(CLIENT_MODULE) or import_module(CLIENT_MODULE)
