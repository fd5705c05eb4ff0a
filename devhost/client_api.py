"""The durable client RPC and the public management API (protocol §6.2, §7), served by one set of handlers.

The extension answers its internal RPC and `/runtime/webhooks/durabletask/...` with the same routes, and
the Python client accepts the public API's answers, so `rpcBaseUrl` points here too. Status codes and
bodies follow what the SDK expects: JSON or empty bodies, `ExceptionMessage` on a 400, `id` on a start.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime
from typing import Any, Protocol

from aiohttp import web
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus
from multidict import MultiMapping
from yarl import URL

from devhost.client_binding import WEBHOOK_PATH, management_urls
from devhost.engine_api import DurableEngine
from devhost.errors import BadRequest, Conflict, EngineError, Gone, NotFound
from devhost.instance_query import CONTINUATION_HEADER, InstanceFilter
from devhost.routing import Route, RouteTable, RouteTemplate
from devhost.state import TERMINAL_STATUSES

log = logging.getLogger("devhost.client")


class ApiRequest(Protocol):
    """What the handlers read from a request: an aiohttp ``web.Request`` or an in-process client call."""

    @property
    def method(self) -> str: ...
    @property
    def url(self) -> URL: ...
    @property
    def rel_url(self) -> URL: ...
    @property
    def query(self) -> MultiMapping[str]: ...
    @property
    def headers(self) -> Mapping[str, str]: ...
    @property
    def content_type(self) -> str: ...
    async def read(self) -> bytes: ...


Handler = Callable[[ApiRequest, dict[str, str]], Awaitable[web.Response]]

RUNTIME_STATUSES = tuple(status.value for status in OrchestrationRuntimeStatus)
_IN_PROGRESS = {
    status.value
    for status in (
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.ContinuedAsNew,
        OrchestrationRuntimeStatus.Suspended,
    )
}
_FINISHED = {status.value for status in TERMINAL_STATUSES}
_ERROR_STATUS = {BadRequest: 400, Conflict: 409}
_EMPTY_STATUS = {NotFound: 404, Gone: 410}


def _flag(request: ApiRequest, name: str, default: bool = False) -> bool:
    value = request.query.get(name)
    return default if value is None else value.strip().lower() in ("true", "1")


def _time(request: ApiRequest, name: str) -> datetime | None:
    value = request.query.get(name)
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError as error:
        raise BadRequest(f"query parameter '{name}' is not an ISO 8601 time: {value!r}") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _statuses(request: ApiRequest) -> list[str] | None:
    value = request.query.get("runtimeStatus")
    if not value:
        return None
    known = {s.lower(): s for s in RUNTIME_STATUSES}
    names = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [n for n in names if n.lower() not in known]
    if unknown:
        raise BadRequest(f"query parameter 'runtimeStatus' has unknown status {unknown}")
    return [known[n.lower()] for n in names]


def _instance_filter(request: ApiRequest) -> InstanceFilter:
    return InstanceFilter(
        created_from=_time(request, "createdTimeFrom"),
        created_to=_time(request, "createdTimeTo"),
        statuses=tuple(_statuses(request) or ()),
        prefix=request.query.get("instanceIdPrefix") or None,
    )


def _int(request: ApiRequest, name: str) -> int | None:
    value = request.query.get(name)
    if value is None or value == "":
        return None
    if not value.strip().isdigit():
        raise BadRequest(f"query parameter '{name}' must be a non-negative integer, got {value!r}")
    return int(value)


def _seconds(request: ApiRequest, name: str) -> float | None:
    """A duration in seconds; fractions are accepted (the extension takes whole seconds)."""
    value = request.query.get(name)
    if value is None or value == "":
        return None
    try:
        seconds = float(value)
    except ValueError as error:
        raise BadRequest(f"query parameter '{name}' must be a number of seconds, got {value!r}") from error
    if seconds < 0:
        raise BadRequest(f"query parameter '{name}' must not be negative, got {value!r}")
    return seconds


def input_text(raw: bytes, *, field: str) -> str | None:
    """The JSON text a request body carries, for both the SDK and hand-written calls.

    The SDK posts JSON text wrapped in a JSON string (`"{\\"a\\": 1}"`); a person posts the value
    itself (`{"a": 1}`). A string that is itself valid JSON is taken as JSON text, as the extension
    does for a start's input and an entity operation's (not for a raised event: see `raise_event`);
    any other value is stored as its JSON encoding, so a bare `"hello"` works too.
    """
    if not raw.strip():
        return None
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise BadRequest(f"{field}: the request body is not valid JSON ({error})") from error
    if isinstance(value, str):
        try:
            json.loads(value)
        except (ValueError, RecursionError):
            return json.dumps(value)
        return value
    return json.dumps(value)


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    return web.Response(
        status=status, text=json.dumps(body), content_type="application/json", headers=headers
    )


def error_response(error: EngineError) -> web.Response:
    """The extension's status for each engine error; 400/409 carry an ASP.NET HttpError body."""
    for kind, status in _EMPTY_STATUS.items():
        if isinstance(error, kind):
            return web.Response(status=status)
    status = next((s for k, s in _ERROR_STATUS.items() if isinstance(error, k)), 500)
    return _json(_http_error(error, "One or more of the arguments submitted is incorrect"), status)


def _http_error(error: Exception, message: str) -> dict[str, Any]:
    return {
        "Message": message,
        "ExceptionMessage": str(error),
        "ExceptionType": type(error).__name__,
        "StackTrace": None,
    }


class ManagementApi:
    """Routes under `/runtime/webhooks/durabletask/`, each calling the engine."""

    def __init__(self, engine: DurableEngine, hub_name: str) -> None:
        self.engine = engine
        self.hub_name = hub_name
        table: list[tuple[str, str, Handler]] = [
            ("POST", "orchestrators/{name}/{instanceId?}", self.start),
            ("GET", "instances", self.list_instances),
            ("DELETE", "instances", self.purge_many),
            ("GET", "instances/{id}", self.status),
            ("DELETE", "instances/{id}", self.purge_one),
            ("POST", "instances/{id}/raiseEvent/{event}", self.raise_event),
            ("POST", "instances/{id}/restart", self.restart),
            ("POST", "instances/{id}/{operation}", self.control),
            ("POST", "entities/{name}/{key}", self.signal_entity),
            ("DELETE", "entities/{name}/{key}", self.signal_entity),
            ("GET", "entities/{name}/{key}", self.read_entity),
            ("GET", "entities/{name?}", self.list_entities),
        ]
        routes = [Route(RouteTemplate(t), frozenset({m}), h) for m, t, h in table]
        self.routes: RouteTable[Handler] = RouteTable(WEBHOOK_PATH, routes)

    async def handle(self, request: ApiRequest) -> web.Response | None:
        """Answer a management request, or None when the path is not one of ours."""
        found = self.routes.resolve(request.method, request.rel_url.raw_path)
        if found is None:
            return None
        route, params = found
        try:
            return await route.target(request, params)
        except EngineError as error:
            return error_response(error)
        except Exception as error:  # a host bug must not take the listener down; show it like the extension
            log.exception("%s %s failed", request.method, request.rel_url)
            return _json(_http_error(error, "An error has occurred."), 500)

    # ------------------------------------------------------------------ orchestrations
    async def start(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        text = input_text(await request.read(), field=f"start {params['name']}")
        version = request.query.get("version")
        instance_id = await self.engine.start_new(
            params["name"], params.get("instanceId"), text, version=version
        )
        timeout = _seconds(request, "timeout")
        if timeout is not None:
            return await self.wait_or_check_status(request, instance_id, timeout)
        return self.check_status_response(request, instance_id)

    def check_status_response(self, request: ApiRequest, instance_id: str) -> web.Response:
        payload = management_urls(str(request.url.origin()), self.hub_name, instance_id)
        headers = {"Location": payload["statusQueryGetUri"], "Retry-After": "10"}
        return _json(payload, 202, headers)

    async def wait_or_check_status(
        self, request: ApiRequest, instance_id: str, timeout_s: float
    ) -> web.Response:
        """The extension's start-and-wait: the outcome if the run ends within the timeout, else a 202.

        The engine wakes us when the run ends, so `pollingInterval` needs no polling here.
        """
        status = await self.engine.wait_for_instance(instance_id, timeout_s)
        state = (status or {}).get("runtimeStatus")
        if status is None or state not in _FINISHED:
            return self.check_status_response(request, instance_id)
        if state == OrchestrationRuntimeStatus.Completed.value:
            return _json(status.get("output"))
        return _json(status, 500 if state == OrchestrationRuntimeStatus.Failed.value else 200)

    async def status(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        status = self.engine.get_status(
            params["id"],
            show_history=_flag(request, "showHistory"),
            show_history_output=_flag(request, "showHistoryOutput"),
            show_input=_flag(request, "showInput", default=True),
        )
        if status is None:
            return web.Response(status=404)
        state = status.get("runtimeStatus")
        if state in _IN_PROGRESS:
            return _json(status, 202, {"Location": str(request.url), "Retry-After": "5"})
        failed_is_error = state == OrchestrationRuntimeStatus.Failed.value and _flag(
            request, "returnInternalServerErrorOnFailure"
        )
        return _json(status, 500 if failed_is_error else 200)

    async def list_instances(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        """One page, as the extension answers it: the rest is behind the `x-ms-continuation-token` header."""
        page = self.engine.query(
            _instance_filter(request),
            top=_int(request, "top"),
            continuation=request.headers.get(CONTINUATION_HEADER),
            show_input=_flag(request, "showInput", default=True),
        )
        headers = {CONTINUATION_HEADER: page.continuation} if page.continuation else None
        return _json(page.statuses, headers=headers)

    async def raise_event(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        """As the extension's `HandleRaiseEventRequestAsync`: the instance first (404, 410), then
        `application/json` only, then the body's JSON value stored as it is. Unlike a start's input,
        a JSON string holding JSON is not unwrapped: an event the SDK's client raises reaches the
        orchestrator as that string, as in Azure (Azure/azure-functions-durable-python#295)."""
        status = self.engine.get_status(params["id"], show_input=False)
        if status is None:
            return web.Response(status=404)
        if status["runtimeStatus"] in _FINISHED:
            return web.Response(status=410)
        if request.content_type.lower() != "application/json":
            raise BadRequest("Only application/json request content is supported")
        try:
            value = json.loads(await request.read())
        except (ValueError, RecursionError) as error:
            raise BadRequest(f"raiseEvent {params['event']}: Invalid JSON content ({error})") from error
        await self.engine.raise_event(params["id"], params["event"], json.dumps(value))
        return web.Response(status=202)

    async def control(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        """terminate, suspend, resume and rewind: 202 with no content."""
        operations = {
            "terminate": self.engine.terminate,
            "suspend": self.engine.suspend,
            "resume": self.engine.resume,
            "rewind": self.engine.rewind,
        }
        operation = operations.get(params["operation"].lower())
        if operation is None:
            return web.Response(status=404)
        await operation(params["id"], request.query.get("reason", ""))
        return web.Response(status=202)

    async def restart(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        new_id = _flag(request, "restartWithNewInstanceId", default=True)
        try:
            instance_id = await self.engine.restart(params["id"], new_id)
        except NotFound as error:  # the extension answers 400 for an unknown instance here
            raise BadRequest(str(error) or f"no instance '{params['id']}' to restart") from error
        return self.check_status_response(request, instance_id)

    async def purge_one(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        deleted = self.engine.purge(params["id"])
        return _json({"instancesDeleted": deleted}) if deleted else web.Response(status=404)

    async def purge_many(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        match = _instance_filter(request)
        if match.created_from is None:
            raise BadRequest("purge: query parameter 'createdTimeFrom' is required")
        deleted = await self.engine.purge_by(match)
        return _json({"instancesDeleted": deleted}) if deleted else web.Response(status=404)

    # ------------------------------------------------------------------ entities
    async def signal_entity(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        if not self.engine.registry.has_entity(params["name"]):  # the docs' 404 for an unknown entity name
            raise NotFound(f"No entity named '{params['name']}' is defined by this app.")
        operation = "delete" if request.method == "DELETE" else request.query.get("op", "")
        text = input_text(await request.read(), field=f"entity {params['name']}@{params['key']}")
        await self.engine.signal_entity(params["name"], params["key"], operation, text)
        return web.Response(status=202)

    async def read_entity(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        state = self.engine.read_entity(params["name"], params["key"])
        if state is None:
            return web.Response(status=404)
        return web.Response(status=200, text=state, content_type="application/json")

    async def list_entities(self, request: ApiRequest, params: dict[str, str]) -> web.Response:
        found = self.engine.list_entities(
            params.get("name"), fetch_state=_flag(request, "fetchState"), top=_int(request, "top")
        )
        return _json(found)
