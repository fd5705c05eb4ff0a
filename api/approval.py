"""`POST /runs/{id}/approval`: deliver a person's decision to a run waiting for it.

The approver recorded is the signed-in principal when App Service authentication (Entra ID) is on:
the platform then sets `WEBSITE_AUTH_ENABLED=True`, fills `X-MS-CLIENT-PRINCIPAL-NAME` and strips any
copy a client sends. Without it that header is just caller input, so it is ignored and the body's
`approver` is used, which is only as trustworthy as the caller.
"""

import os
from collections.abc import Mapping

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.body import parse_body
from api.errors import conflict, json_errors, require_method
from api.models import ApprovalAccepted, ApprovalRequest
from api.params import route_id
from api.responses import json_response
from api.run_status import WAITING_FOR_INPUT, existing_run, public_status
from orchestrators.contract import APPROVAL_EVENT, AWAITING_APPROVAL

PRINCIPAL_HEADER = "X-MS-CLIENT-PRINCIPAL-NAME"


@json_errors
async def run_approval(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """Raise the `approval` event (202), or 409 when the run is not waiting for one."""
    require_method(req, ("POST",))
    run_id = route_id(req, "id", "run id")
    body = parse_body(req, ApprovalRequest)
    return json_response(await decide(client, run_id, body, verified_principal(req.headers)), status=202)


async def decide(
    client: DurableOrchestrationClient, run_id: str, body: ApprovalRequest, principal: str | None
) -> ApprovalAccepted:
    """Deliver a decision to a run waiting for one (404 unknown run, 409 not waiting), whatever the transport.

    `principal` is the platform-verified caller (see `verified_principal`); it wins over `body.approver`.
    """
    status = await existing_run(client, run_id)
    if not awaiting_approval(status):
        raise conflict(f"run '{run_id}' is not waiting for approval ({_describe(status)})")
    decision = ApprovalAccepted(
        id=run_id, approved=body.approved, comment=body.comment, approver=principal or body.approver
    )
    await client.raise_event(run_id, APPROVAL_EVENT, decision.model_dump(exclude={"id"}))
    return decision


def awaiting_approval(status: DurableOrchestrationStatus) -> bool:
    """Whether the run is waiting for a person's decision right now."""
    return public_status(status) in WAITING_FOR_INPUT and _step(status.custom_status) == AWAITING_APPROVAL


def _describe(status: DurableOrchestrationStatus) -> str:
    return f"status {public_status(status)}, step {_step(status.custom_status) or 'none'}"


def _step(progress: object) -> str | None:
    """The workflow's current step from its progress (`{"step": ...}`), if it reported one."""
    return progress.get("step") if isinstance(progress, dict) else None


def verified_principal(headers: Mapping[str, str]) -> str | None:
    """The platform-verified principal, or None when authentication is off (the header is spoofable).

    `headers` is the HTTP request's headers, or the headers an MCP call's transport carries.
    """
    if os.environ.get("WEBSITE_AUTH_ENABLED", "").lower() != "true":
        return None
    wanted = PRINCIPAL_HEADER.lower()
    value = next((v for k, v in headers.items() if k.lower() == wanted), "")
    return (value or "").strip() or None
