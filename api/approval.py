"""`POST /runs/{id}/approval`: deliver a person's decision to a run waiting for it.

With App Service authentication (Entra ID) on, only a principal holding the `Runs.Approver` app role
may decide, and that principal is recorded as the approver (api/roles.py). Without it the body's
`approver` is used, which is only as trustworthy as the caller.
"""

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.body import parse_body
from api.errors import conflict, json_errors, require_method
from api.models import ApprovalAccepted, ApprovalRequest
from api.params import route_id
from api.responses import json_response
from api.roles import decision_maker
from api.run_status import WAITING_FOR_INPUT, existing_run, public_status

APPROVAL_EVENT = "approval"
AWAITING_STEP = "awaiting_approval"


@json_errors
async def run_approval(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """Raise the `approval` event (202), or 409 when the run is not waiting for one."""
    require_method(req, ("POST",))
    run_id = route_id(req, "id", "run id")
    body = parse_body(req, ApprovalRequest)
    approver = decision_maker(req.headers, body.approver)
    status = await existing_run(client, run_id)
    if not _awaiting_approval(status):
        raise conflict(f"run '{run_id}' is not waiting for approval ({_describe(status)})")
    decision = ApprovalAccepted(id=run_id, approved=body.approved, comment=body.comment, approver=approver)
    await client.raise_event(run_id, APPROVAL_EVENT, decision.model_dump(exclude={"id"}))
    return json_response(decision, status=202)


def _awaiting_approval(status: DurableOrchestrationStatus) -> bool:
    return public_status(status) in WAITING_FOR_INPUT and _step(status) == AWAITING_STEP


def _describe(status: DurableOrchestrationStatus) -> str:
    return f"status {public_status(status)}, step {_step(status) or 'none'}"


def _step(status: DurableOrchestrationStatus) -> str | None:
    """The workflow's current step from its progress (`{"step": ...}`), if it reported one."""
    progress = status.custom_status
    return progress.get("step") if isinstance(progress, dict) else None
