"""The durable client served in-process gets exactly what it gets over HTTP, without any HTTP request.

Every client call of one scenario is recorded at the SDK's request functions (URL, payload, and the
`[status, data]` the SDK then parses), once over loopback HTTP and once in-process; the two records
must be identical, and the in-process run must not reach the listener.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import azure.durable_functions as df
import azure.functions as func
from aiohttp import web
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus as RS
from azure.durable_functions.models.utils import http_utils

from devhost.client_api import ManagementApi
from devhost.client_binding import client_binding_json
from devhost.client_rpc import CLIENT_MODULE, REQUEST_FUNCTIONS, InProcessRpc
from tests.devhost.host.test_devhost_client_rpc import EngineDouble

Call = tuple[str, str, Any, Any]
client_module = importlib.import_module(CLIENT_MODULE)  # the package re-exports the class by this name
Scenario = Callable[[df.DurableOrchestrationClient], Awaitable[None]]


async def every_call(client: df.DurableOrchestrationClient) -> None:
    """One of each client call, successes and errors alike (the SDK raises on some answers)."""
    since = datetime(2026, 1, 1, tzinfo=UTC)
    request = func.HttpRequest("POST", "http://localhost:7071/api/start", body=b"")
    calls: list[Callable[[], Awaitable[Any]]] = [
        lambda: client.start_new("hello", client_input={"name": "Bob", "note": "naïve ✓"}),
        lambda: client.start_new("hello", "my id/with#odd?chars", "hi", version="2.0"),
        lambda: client.start_new("missing"),
        lambda: client.get_status("done", show_history=True, show_history_output=True),
        lambda: client.get_status("running"),
        lambda: client.get_status("nope"),
        lambda: client.get_status_all(),
        lambda: client.get_status_by(created_time_from=since, runtime_status=[RS.Running]),
        lambda: client.raise_event("running", "Approval", {"ok": True}),
        lambda: client.raise_event("done", "Approval", 1),
        lambda: client.raise_event("nope", "Approval"),
        lambda: client.terminate("running", "stop it now"),
        lambda: client.suspend("running", "pause"),
        lambda: client.resume("nope", "go"),
        lambda: client.rewind("running", "again"),
        lambda: client.restart("done"),
        lambda: client.restart("nope", restart_with_new_instance_id=False),
        lambda: client.purge_instance_history("done"),
        lambda: client.purge_instance_history("nope"),
        lambda: client.purge_instance_history_by(created_time_from=since, runtime_status=[RS.Completed]),
        lambda: client.signal_entity(df.EntityId("Counter", "k1"), "add", 5),
        lambda: client.signal_entity(df.EntityId("Unknown", "k1"), "add"),
        lambda: client.read_entity_state(df.EntityId("Counter", "k1")),
        lambda: client.read_entity_state(df.EntityId("Counter", "zz")),
        lambda: client.wait_for_completion_or_create_check_status_response(request, "done", 2000, 100),
    ]
    for call in calls:
        with contextlib.suppress(Exception):
            await call()


def _recording(calls: list[Call]) -> None:
    """Wrap the client's current request functions so every call and its raw answer is recorded."""
    for name in REQUEST_FUNCTIONS:
        inner = getattr(client_module, name)

        async def recorded(
            url: str, *args: Any, _inner: Any = inner, _name: str = name, **kwargs: Any
        ) -> list[Any]:
            answer = await _inner(url, *args, **kwargs)
            calls.append((_name, url, args[:1], answer))
            return answer

        setattr(client_module, name, recorded)


def record(scenario: Scenario, *, in_process: bool, via_localhost: bool = False) -> tuple[list[Call], int]:
    """The scenario's calls and answers (the listener's origin spelt ORIGIN), and how many requests
    reached the HTTP listener.

    `via_localhost` binds the client to `localhost` instead of `127.0.0.1`: the same listener, but not
    the RPC origin the in-process transport serves.
    """
    calls: list[Call] = []
    served = [0]
    originals = {name: getattr(client_module, name) for name in REQUEST_FUNCTIONS}

    async def main() -> str:
        api = ManagementApi(EngineDouble(), "TestHub")

        async def handle(request: web.Request) -> web.StreamResponse:
            served[0] += 1
            return await api.handle(request) or web.Response(status=404)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        origin = f"http://127.0.0.1:{runner.addresses[0][1]}"
        rpc = InProcessRpc(api, origin)
        if in_process:
            assert rpc.install()
        _recording(calls)
        client_origin = origin.replace("127.0.0.1", "localhost") if via_localhost else origin
        binding = client_binding_json(origin, client_origin, "TestHub")
        try:
            await scenario(df.DurableOrchestrationClient(binding))
        finally:
            rpc.uninstall()
            if http_utils._client_session is not None:
                await http_utils._client_session.close()
            await runner.cleanup()
        return origin

    http_utils._client_session = None  # the SDK's session belongs to one loop; each run has its own
    try:
        origin = asyncio.run(main())
    finally:
        for name, original in originals.items():
            setattr(client_module, name, original)
    return [json.loads(json.dumps(call).replace(origin, "ORIGIN")) for call in calls], served[0]


def test_in_process_answers_match_http_exactly() -> None:
    over_http, http_requests = record(every_call, in_process=False)
    in_process, in_process_requests = record(every_call, in_process=True)
    assert len(over_http) == http_requests > 20
    assert in_process == over_http
    # Only the start whose id holds '/' and '#' reaches the listener: its path is no management route,
    # so, as for any unknown path, the host's HTTP side answers it.
    assert in_process_requests == 1


def test_calls_to_another_rpc_origin_still_go_over_http() -> None:
    async def status_only(client: df.DurableOrchestrationClient) -> None:
        await client.get_status("done")

    calls, requests = record(status_only, in_process=True, via_localhost=True)
    assert requests == 1
    assert [(name, status) for name, _, _, (status, _) in calls] == [("get_async_request", 200)]
