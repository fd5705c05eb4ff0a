"""`/runs`, `/runs/{key}` and `/runs/{id}/terminate`: list, start, read, purge and stop runs."""

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient

from api.body import parse_body, read_json
from api.catalog import startable_workflow
from api.errors import conflict, json_errors, require_method
from api.links import run_links, run_url
from api.models import RunAccepted, RunStatus, TerminateRequest
from api.operations import get_run, start_run, wait_for_run
from api.params import checked_id, int_param, route_id
from api.responses import empty_response, json_response
from api.roles import decision_maker, signed_in_principal
from api.run_list import list_runs
from api.run_status import ENDED, existing_run, public_status, waits_for_person

MAX_START_WAIT_S = 60


@json_errors
async def runs_collection(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """`GET /runs`: one page of runs, newest first."""
    require_method(req, ("GET",))
    return json_response(await list_runs(req, client))


@json_errors
async def run_item(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """`POST /runs/{workflow}` starts a run; `GET`/`DELETE /runs/{id}` read or purge one."""
    method = require_method(req, ("GET", "POST", "DELETE"))
    key = req.route_params.get("key", "")
    if method == "POST":
        return await _start(req, client, key)
    run_id = checked_id(key, "run id")
    if method == "GET":
        return json_response(await get_run(client, run_id))
    return await _purge(client, run_id)


@json_errors
async def run_terminate(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """`POST /runs/{id}/terminate`: stop a run that has not ended (202), recording the reason.

    Ending a run that waits for a person decides it as surely as a rejection, so with Entra ID on
    that needs the approver role too; and the signed-in caller is recorded with the reason.
    """
    require_method(req, ("POST",))
    run_id = route_id(req, "id", "run id")
    body = parse_body(req, TerminateRequest)
    status = await existing_run(client, run_id)
    current = public_status(status)
    if current in ENDED:
        raise conflict(f"run '{run_id}' has already ended ({current})")
    if waits_for_person(status):
        decision_maker(req.headers, None)  # 403 without the role when Entra ID is on
    reason = body.reason or "terminated through the run API"
    principal = signed_in_principal(req.headers)
    await client.terminate(run_id, reason if principal is None else f"{reason} (by {principal.name})")
    accepted = RunAccepted(
        id=run_id, workflow=status.name or "", status=current, links=run_links(req, run_id)
    )
    return json_response(accepted, status=202)


async def _start(req: func.HttpRequest, client: DurableOrchestrationClient, name: str) -> func.HttpResponse:
    workflow = startable_workflow(name)
    wait_s = int_param(req, "wait", 0, 0, MAX_START_WAIT_S)
    run_id = await start_run(client, workflow, read_json(req))
    headers = {"Location": run_url(req, run_id)}
    status: RunStatus = "Pending"
    if wait_s:
        # A run that now waits for a person answers at once: holding the request would change nothing.
        document = await wait_for_run(client, run_id, wait_s, stop_early=waits_for_person, just_started=True)
        if document.status in ENDED:
            return json_response(document, status=200, headers=headers)
        status = document.status
    accepted = RunAccepted(id=run_id, workflow=workflow.name, status=status, links=run_links(req, run_id))
    return json_response(accepted, status=202, headers=headers)


async def _purge(client: DurableOrchestrationClient, run_id: str) -> func.HttpResponse:
    current = public_status(await existing_run(client, run_id))
    if current not in ENDED:
        raise conflict(f"run '{run_id}' is {current}; terminate it before deleting it")
    await client.purge_instance_history(run_id)
    return empty_response(204)
