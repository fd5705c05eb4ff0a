"""HTTP and timer side of the conformance app, written the way an SDK user writes it.

Starters (`create_check_status_response`, `wait_for_completion_or_create_check_status_response`), one
route per durable client call, route parameters and constraints, method restrictions, a request echo,
a handler that raises, and a timer that runs on start-up and records it ran by signalling an entity.
"""

import json
from datetime import UTC, datetime

import azure.durable_functions as df
import azure.functions as func

bp = df.Blueprint()

TIMER_RUNS = "Counter"  # entity from durable_bp; keys below count runs of the timer
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)  # purge-by needs a lower bound, as on the real host


def _json(value: object, status: int = 200) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(value), status_code=status, mimetype="application/json")


def _body(req: func.HttpRequest) -> object:
    return req.get_json() if req.get_body() else None


# --- Starters -------------------------------------------------------------------------------
@bp.route(route="orchestrators/{functionName}", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def http_start(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    instance_id = await client.start_new(req.route_params["functionName"], None, _body(req))
    return client.create_check_status_response(req, instance_id)


@bp.route(route="orchestrators/{functionName}/wait", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def http_start_wait(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    instance_id = await client.start_new(req.route_params["functionName"], None, _body(req))
    timeout_ms = int(req.params.get("timeout_ms", "10000"))
    return await client.wait_for_completion_or_create_check_status_response(req, instance_id, timeout_ms, 50)


@bp.route(route="client/start/{functionName}/{instanceId}", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def client_start_with_id(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    name, wanted = req.route_params["functionName"], req.route_params["instanceId"]
    try:
        instance_id = await client.start_new(name, wanted, _body(req), version=req.params.get("version"))
    except Exception as error:  # the SDK raises a bare Exception carrying the host's message
        return _json({"error": str(error)}, 400)
    return _json(client.create_http_management_payload(instance_id), 202)


# --- Every other client call --------------------------------------------------------------
@bp.route(route="client/status/{instanceId}", methods=["GET"])
@bp.durable_client_input(client_name="client")
async def client_status(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    history = req.params.get("history") == "1"
    status = await client.get_status(req.route_params["instanceId"], history, history, True)
    if not status:
        return _json({"exists": False}, 404)
    return _json({**status.to_json(), "historyEvents": getattr(status, "historyEvents", None)})


@bp.route(route="client/instances", methods=["GET", "DELETE"])
@bp.durable_client_input(client_name="client")
async def client_instances(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    statuses = [df.OrchestrationRuntimeStatus(s) for s in req.params.get("status", "").split(",") if s]
    prefix = req.params.get("prefix")
    if req.method == "DELETE":
        result = await client.purge_instance_history_by(EPOCH, runtime_status=statuses or None)
        return _json({"deleted": result.instances_deleted})
    if statuses or prefix:
        found = await client.get_status_by(runtime_status=statuses or None, instance_id_prefix=prefix)
    else:
        found = await client.get_status_all()
    return _json(sorted(s.instance_id for s in found))


@bp.route(route="client/instances/{instanceId}/events/{eventName}", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def client_raise_event(
    req: func.HttpRequest, client: df.DurableOrchestrationClient
) -> func.HttpResponse:
    try:
        await client.raise_event(req.route_params["instanceId"], req.route_params["eventName"], _body(req))
    except Exception as error:
        return _json({"error": str(error)}, 409)
    return _json({"raised": True}, 202)


@bp.route(route="client/instances/{instanceId}/{operation:alpha}", methods=["POST"])
@bp.durable_client_input(client_name="client")
async def client_control(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    instance_id, operation = req.route_params["instanceId"], req.route_params["operation"]
    reason = req.params.get("reason", "asked over HTTP")
    calls = {
        "terminate": lambda: client.terminate(instance_id, reason),
        "suspend": lambda: client.suspend(instance_id, reason),
        "resume": lambda: client.resume(instance_id, reason),
        "rewind": lambda: client.rewind(instance_id, reason),
        "restart": lambda: client.restart(instance_id, req.params.get("new_id", "true") == "true"),
    }
    if operation not in calls:
        return _json({"error": f"unknown operation {operation}"}, 404)
    try:
        result = await calls[operation]()
    except Exception as error:
        return _json({"error": str(error)}, 409)
    return _json({"operation": operation, "result": result}, 202)


@bp.route(route="client/instances/{instanceId}", methods=["DELETE"])
@bp.durable_client_input(client_name="client")
async def client_purge(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    result = await client.purge_instance_history(req.route_params["instanceId"])
    return _json({"deleted": result.instances_deleted})


@bp.route(route="client/entities/{name}/{key}", methods=["GET", "POST"])
@bp.durable_client_input(client_name="client")
async def client_entity(req: func.HttpRequest, client: df.DurableOrchestrationClient) -> func.HttpResponse:
    entity = df.EntityId(req.route_params["name"], req.route_params["key"])
    if req.method == "POST":
        await client.signal_entity(entity, req.params.get("op", "add"), _body(req))
        return _json({"signalled": True}, 202)
    state = await client.read_entity_state(entity)
    return _json({"exists": state.entity_exists, "state": state.entity_state})


# --- Plain HTTP behaviour -----------------------------------------------------------------
@bp.route(route="items/{id:int}", methods=["GET"])
def item_by_id(req: func.HttpRequest) -> func.HttpResponse:
    return _json({"route": "by-id", "id": int(req.route_params["id"])})


@bp.route(route="items/{name}", methods=["GET"])
def item_by_name(req: func.HttpRequest) -> func.HttpResponse:
    return _json({"route": "by-name", "name": req.route_params["name"]})


@bp.route(route="items/latest", methods=["GET"])
def item_latest(req: func.HttpRequest) -> str:
    return "latest"


@bp.route(route="get-only", methods=["GET"])
def get_only(req: func.HttpRequest) -> str:
    return "only GET reaches me"


@bp.route(route="echo/{*rest}")
async def echo_request(req: func.HttpRequest, context: func.Context) -> func.HttpResponse:
    return _json(
        {
            "method": req.method,
            "url": req.url,
            "params": dict(req.params),
            "route_params": dict(req.route_params),
            "header": req.headers.get("x-echo"),
            "body": req.get_body().decode(),
            "function_name": context.function_name,
            "invocation_id": context.invocation_id,
        },
        201,
    )


@bp.route(route="boom")
def boom(req: func.HttpRequest) -> func.HttpResponse:
    raise RuntimeError("boom: this handler always fails")


# --- Timer ----------------------------------------------------------------------------------
@bp.timer_trigger(schedule="%STARTUP_TIMER_SCHEDULE%", arg_name="timer", run_on_startup=True)
@bp.durable_client_input(client_name="client")
async def startup_timer(timer: func.TimerRequest, client: df.DurableOrchestrationClient) -> None:
    key = "timer-past-due" if timer.past_due else "timer-on-time"
    await client.signal_entity(df.EntityId(TIMER_RUNS, key), "add", 1)
