"""`POST /runs/{id}/approval`: deliver a person's decision to a run waiting for it.

`deliver_decision` is the one path every person's decision takes into a run (approvals here and
through MCP's `approve_run`, a graph's pending input in api/graph_input.py), and `verified_principal`
the one place that says who decides, so the rules for who may decide apply to all of them alike.

With App Service authentication (Entra ID) on, only a principal holding the `Runs.Approver` app role
may decide, and that principal is recorded as the approver (api/roles.py). Without it the body's
`approver` is used, which is only as trustworthy as the caller.
"""

import uuid
from collections.abc import Callable, Mapping
from typing import Any

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.body import parse_body
from api.decision_outcome import refusal
from api.errors import conflict, json_errors, require_method
from api.models import ApprovalAccepted, ApprovalRequest
from api.params import route_id
from api.responses import json_response
from api.roles import decision_maker
from api.run_status import existing_run, public_status, waiting_step
from orchestrators.contract import APPROVAL_EVENT, AWAITING_APPROVAL, DECISION_ID

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
    decision = ApprovalAccepted(
        id=run_id, approved=body.approved, comment=body.comment, approver=principal or body.approver
    )
    data = decision.model_dump(exclude={"id"})
    await deliver_decision(client, run_id, _require_awaiting_approval, APPROVAL_EVENT, data, APPROVAL_EVENT)
    return decision


async def deliver_decision(
    client: DurableOrchestrationClient,
    run_id: str,
    check: Callable[[str, DurableOrchestrationStatus], None],
    event: str,
    data: dict[str, Any],
    wait: str,
) -> None:
    """Raise `event` with `data` on the run once `check(run_id, status)` (which raises the 4xx) accepts it,
    and return once the run took it (or has taken no decision for `wait` after a while: accepted).

    404 when the run does not exist; 409 when `check` finds it not waiting for this decision, when it
    ended meanwhile, or when it took another decision sent at the same moment (api/decision_outcome.py).
    """
    status = await existing_run(client, run_id)
    check(run_id, status)
    decision_id = uuid.uuid4().hex
    try:
        await client.raise_event(run_id, event, {**data, DECISION_ID: decision_id})
    except Exception as error:  # the SDK raises a bare Exception for the API's 410 (and 404)
        if "is gone" in str(error) or "No instance" in str(error):
            raise conflict(f"run '{run_id}' ended before the decision arrived") from error
        raise
    refused = await refusal(client, run_id, wait, decision_id)
    if refused is not None:
        raise conflict(f"run '{run_id}' {refused}")


def awaiting_approval(status: DurableOrchestrationStatus) -> bool:
    """Whether the run is waiting for a person's decision right now."""
    return waiting_step(public_status(status), status.custom_status) == AWAITING_APPROVAL


def _require_awaiting_approval(run_id: str, status: DurableOrchestrationStatus) -> None:
    if not awaiting_approval(status):
        raise conflict(f"run '{run_id}' is not waiting for approval ({describe(status)})")


def describe(status: DurableOrchestrationStatus) -> str:
    """The run's status and current step, for 409 messages."""
    return f"status {public_status(status)}, step {_step(status.custom_status) or 'none'}"


def _step(progress: object) -> str | None:
    """The workflow's current step from its progress (`{"step": ...}`), if it reported one."""
    return progress.get("step") if isinstance(progress, dict) else None


def verified_principal(headers: Mapping[str, str]) -> str | None:
    """Who decides: with Entra ID on, the signed-in principal holding Runs.Approver (else 403); else None.

    `headers` is the HTTP request's headers, or the headers an MCP call's transport carries.
    """
    return decision_maker(headers, None)
