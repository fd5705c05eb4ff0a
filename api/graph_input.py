"""`POST /runs/{id}/input`: a person's answer to a graph's pending `request_info`.

The answer goes through the approvals' `deliver_decision`, so the same rules decide who may answer.
409 when the run is not waiting for input, 404 for a request id it is not waiting for, 422 when
the response does not match the request's `responseSchema` (the JSON schema of the response type the
executor declared). Two answers sent at the same moment: the orchestrator takes the first it receives,
the other caller gets 409 (`api.decision_outcome`).
"""

from typing import Any

import azure.functions as func
import jsonschema_rs
from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.approval import deliver_decision, describe, verified_principal
from api.body import parse_body
from api.errors import ApiError, conflict, json_errors, not_found, require_method
from api.models import InputAccepted, InputRequest
from api.params import route_id
from api.responses import json_response
from api.run_status import WAITING_FOR_INPUT, public_status
from orchestrators.contract import AWAITING_INPUT, GRAPH_INPUT_EVENT


@json_errors
async def run_input(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """Deliver the answer (202) to a run waiting for it."""
    require_method(req, ("POST",))
    run_id = route_id(req, "id", "run id")
    body = parse_body(req, InputRequest)
    return json_response(await answer(client, run_id, body, verified_principal(req.headers)), status=202)


async def answer(
    client: DurableOrchestrationClient, run_id: str, body: InputRequest, principal: str | None
) -> InputAccepted:
    """Deliver an answer to a graph's pending request, whatever the transport (HTTP, MCP's answer_run)."""

    def check(run_id: str, status: DurableOrchestrationStatus) -> None:
        request = _pending_request(run_id, status, body.requestId)
        _check_response(request.get("responseSchema") or {}, body.response)

    accepted = InputAccepted(
        id=run_id, requestId=body.requestId, response=body.response, answeredBy=principal
    )
    data = accepted.model_dump(exclude={"id"})
    await deliver_decision(client, run_id, check, GRAPH_INPUT_EVENT, data, body.requestId)
    return accepted


def pending_input(status: DurableOrchestrationStatus) -> list[dict[str, Any]]:
    """The requests a graph run is waiting on (empty unless it is waiting for input)."""
    progress = status.custom_status
    if public_status(status) not in WAITING_FOR_INPUT or not isinstance(progress, dict):
        return []
    if progress.get("step") != AWAITING_INPUT:
        return []
    pending = progress.get("pendingInput")
    return [r for r in pending if isinstance(r, dict)] if isinstance(pending, list) else []


def _pending_request(run_id: str, status: DurableOrchestrationStatus, request_id: str) -> dict[str, Any]:
    pending = pending_input(status)
    if not pending:
        raise conflict(f"run '{run_id}' is not waiting for input ({describe(status)})")
    request = next((r for r in pending if r.get("requestId") == request_id), None)
    if request is None:
        raise not_found("request", request_id)
    return request


def _check_response(schema: dict[str, Any], response: Any) -> None:
    """422 naming the first place where `response` does not match `schema`."""
    error = next(iter(jsonschema_rs.validator_for(schema).iter_errors(response)), None)
    if error is None:
        return
    where = ".".join(str(part) for part in error.instance_path)
    field = f"response.{where}" if where else "response"
    raise ApiError(422, "validation_error", f"{field}: {error.message}")
