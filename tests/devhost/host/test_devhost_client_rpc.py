"""The real `DurableOrchestrationClient` talks to our management routes and gets what it expects.

The engine is replaced by a small in-memory double with canned instances, so these tests pin the HTTP
contract of every client call (protocol §6.2) independently of orchestration behaviour.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import azure.durable_functions as df
import azure.functions as func
import pytest
from aiohttp import web
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus as RS
from azure.durable_functions.models.utils import http_utils

from devhost.client_api import ManagementApi
from devhost.client_binding import client_binding_json
from devhost.errors import BadRequest, Gone, NotFound
from devhost.instance_query import InstanceFilter, InstancePage


class RegistryDouble:
    def has_entity(self, name: str) -> bool:
        return name.lower() == "counter"


class EngineDouble:
    """Canned instances and a record of every call; a `devhost.engine_api.DurableEngine` like the real one."""

    def __init__(self) -> None:
        self.registry = RegistryDouble()
        self.calls: list[tuple[Any, ...]] = []
        times = {"createdTime": "2026-01-01T00:00:00Z", "lastUpdatedTime": "2026-01-01T00:00:01Z"}
        self.instances = {
            "done": {"name": "hello", "instanceId": "done", "runtimeStatus": "Completed", "output": {"a": 1}},
            "running": {"name": "hello", "instanceId": "running", "runtimeStatus": "Running", "output": None},
        }
        for status in self.instances.values():
            status.update(times)

    def _known(self, instance_id: str) -> dict[str, Any]:
        if instance_id not in self.instances:
            raise NotFound(f"no instance '{instance_id}'")
        return self.instances[instance_id]

    async def start_new(
        self, name: str, instance_id: str | None, input_text: str | None, version: str | None = None
    ) -> str:
        if name == "missing":
            raise BadRequest(
                f"The function '{name}' doesn't exist, is disabled, or is not an orchestrator function."
            )
        self.calls.append(("start_new", name, instance_id, input_text, version))
        return instance_id or "generated"

    def get_status(self, instance_id: str, **flags: bool) -> dict[str, Any] | None:
        self.calls.append(("get_status", instance_id, flags))
        return self.instances.get(instance_id)

    async def wait_for_instance(self, instance_id: str, timeout: float) -> dict[str, Any] | None:
        return self.instances.get(instance_id)

    def change_mark(self, instance_id: str) -> tuple[RS, float] | None:
        return None  # unknown to the hold: repeated reads are never held

    async def wait_for_change(self, instance_id: str, timeout: float) -> bool:
        return False

    def query(self, match: InstanceFilter, **options: Any) -> InstancePage:
        self.calls.append(("query", match, options))
        return InstancePage(list(self.instances.values()))

    async def raise_event(self, instance_id: str, name: str, input_text: str) -> None:
        if self._known(instance_id)["runtimeStatus"] != "Running":
            raise Gone(f"instance '{instance_id}' is completed")
        self.calls.append(("raise_event", instance_id, name, input_text))

    async def _control(self, op: str, instance_id: str, reason: str | None) -> None:
        self._known(instance_id)
        self.calls.append((op, instance_id, reason))

    async def terminate(self, instance_id: str, reason: str | None) -> None:
        await self._control("terminate", instance_id, reason)

    async def suspend(self, instance_id: str, reason: str | None) -> None:
        await self._control("suspend", instance_id, reason)

    async def resume(self, instance_id: str, reason: str | None) -> None:
        await self._control("resume", instance_id, reason)

    async def rewind(self, instance_id: str, reason: str | None) -> None:
        await self._control("rewind", instance_id, reason)

    async def restart(self, instance_id: str, new_instance_id: bool) -> str:
        self._known(instance_id)
        return "restarted" if new_instance_id else instance_id

    def purge(self, instance_id: str) -> int:
        return 1 if instance_id in self.instances else 0

    async def purge_by(self, match: InstanceFilter) -> int:
        self.calls.append(("purge_by", match))
        return 2

    async def signal_entity(self, name: str, key: str, operation: str, input_text: str | None) -> None:
        self.calls.append(("signal_entity", name, key, operation, input_text))

    def read_entity(self, name: str, key: str) -> str | None:
        return "7" if key == "k1" else None

    def list_entities(
        self, name: str | None = None, *, fetch_state: bool = False, top: int | None = None
    ) -> list[dict[str, Any]]:
        return [
            {
                "entityId": {"name": name or "counter", "key": "k1"},
                "lastOperationTime": "2026-01-01T00:00:00Z",
            }
        ]


Scenario = Callable[[df.DurableOrchestrationClient, EngineDouble], Awaitable[None]]


def run_with_client(scenario: Scenario) -> EngineDouble:
    """Serve the management API on a free port and run `scenario` with an SDK client bound to it."""
    engine = EngineDouble()

    async def main() -> None:
        api = ManagementApi(engine, "TestHub")

        async def handle(request: web.Request) -> web.StreamResponse:
            return await api.handle(request) or web.Response(status=404)

        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = runner.addresses[0][1]
        origin = f"http://127.0.0.1:{port}"
        try:
            await scenario(
                df.DurableOrchestrationClient(client_binding_json(origin, origin, "TestHub")), engine
            )
        finally:
            await http_utils._client_session.close()
            await runner.cleanup()

    http_utils._client_session = None  # the SDK's session belongs to one loop; each test has its own
    asyncio.run(main())
    return engine


def test_start_new_with_and_without_id_and_version() -> None:
    async def scenario(client: df.DurableOrchestrationClient, engine: EngineDouble) -> None:
        assert await client.start_new("hello", client_input={"name": "Bob"}) == "generated"
        assert await client.start_new("hello", "my-id", "hi", version="2.0") == "my-id"
        assert await client.start_new("hello") == "generated"
        with pytest.raises(Exception, match="doesn't exist, is disabled"):
            await client.start_new("missing")

    calls = run_with_client(scenario).calls
    assert calls == [
        ("start_new", "hello", None, '{"name": "Bob"}', None),
        ("start_new", "hello", "my-id", '"hi"', "2.0"),
        ("start_new", "hello", None, None, None),
    ]


def test_status_queries() -> None:
    async def scenario(client: df.DurableOrchestrationClient, engine: EngineDouble) -> None:
        done = await client.get_status("done", show_history=True, show_history_output=True, show_input=True)
        assert done.runtime_status == RS.Completed and done.output == {"a": 1}
        assert (await client.get_status("running")).runtime_status == RS.Running
        assert not await client.get_status("nope")
        assert len(await client.get_status_all()) == 2
        since = datetime(2026, 1, 1, tzinfo=UTC)
        found = await client.get_status_by(created_time_from=since, runtime_status=[RS.Running, RS.Pending])
        assert [s.instance_id for s in found] == ["done", "running"]

    calls = run_with_client(scenario).calls
    assert (
        "get_status",
        "done",
        {"show_history": True, "show_history_output": True, "show_input": True},
    ) in calls
    match = [c[1] for c in calls if c[0] == "query"][-1]
    assert match.statuses == ("Running", "Pending")
    assert match.created_from == datetime(2026, 1, 1, tzinfo=UTC)


def test_events_and_control_operations() -> None:
    async def scenario(client: df.DurableOrchestrationClient, engine: EngineDouble) -> None:
        await client.raise_event("running", "Approval", {"ok": True})
        await client.raise_event("running", "Nothing")
        with pytest.raises(Exception, match="gone"):
            await client.raise_event("done", "Approval", 1)
        with pytest.raises(Exception, match="No instance"):
            await client.raise_event("nope", "Approval", 1)
        await client.terminate("running", "stop it now")
        await client.suspend("running", "pause")
        await client.resume("running", "go")
        await client.rewind("running", "again")
        with pytest.raises(Exception):  # noqa: B017 - the SDK raises a bare Exception for 404
            await client.terminate("nope", "x")
        assert (await client.restart("done"))["id"] == "restarted"
        assert (await client.restart("done", restart_with_new_instance_id=False))["id"] == "done"

    calls = run_with_client(scenario).calls
    # The SDK's client wraps its JSON in a JSON string, and the extension keeps the body's value.
    assert ("raise_event", "running", "Approval", '"{\\"ok\\": true}"') in calls
    assert ("raise_event", "running", "Nothing", '"null"') in calls
    assert ("terminate", "running", "stop it now") in calls
    assert [c[0] for c in calls if c[0] in ("suspend", "resume", "rewind")] == ["suspend", "resume", "rewind"]


def test_purge_and_entities() -> None:
    async def scenario(client: df.DurableOrchestrationClient, engine: EngineDouble) -> None:
        assert (await client.purge_instance_history("done")).instances_deleted == 1
        assert (await client.purge_instance_history("nope")).instances_deleted == 0
        since = datetime(2026, 1, 1, tzinfo=UTC)
        purged = await client.purge_instance_history_by(
            created_time_from=since, runtime_status=[RS.Completed]
        )
        assert purged.instances_deleted == 2
        await client.signal_entity(df.EntityId("Counter", "k1"), "add", 5)
        await client.signal_entity(df.EntityId("Counter", "k1"), "reset")
        state = await client.read_entity_state(df.EntityId("Counter", "k1"))
        assert state.entity_exists and state.entity_state == 7
        assert not (await client.read_entity_state(df.EntityId("Counter", "zz"))).entity_exists

    calls = run_with_client(scenario).calls
    assert ("signal_entity", "Counter", "k1", "add", "5") in calls
    assert ("signal_entity", "Counter", "k1", "reset", None) in calls


def test_check_status_response_points_at_the_request_origin() -> None:
    async def scenario(client: df.DurableOrchestrationClient, engine: EngineDouble) -> None:
        request = func.HttpRequest("POST", "http://localhost:7071/api/orchestrators/hello", body=b"")
        response = client.create_check_status_response(request, "abc")
        body = json.loads(response.get_body())
        assert response.status_code == 202
        assert body["statusQueryGetUri"].startswith(
            "http://localhost:7071/runtime/webhooks/durabletask/instances/abc?"
        )
        assert response.headers["Location"] == body["statusQueryGetUri"]
        waited = await client.wait_for_completion_or_create_check_status_response(request, "done", 2000, 100)
        assert (waited.status_code, json.loads(waited.get_body())) == (200, {"a": 1})

    run_with_client(scenario)
