"""`/runs`, `/runs/{key}` and `/runs/{id}/terminate`: list, start, read, purge and stop runs."""

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient

from api.body import parse_body
from api.catalog import startable_workflow
from api.errors import conflict, json_errors, require_method
from api.links import run_links, run_url
from api.models import RunAccepted, TerminateRequest
from api.params import checked_id, int_param, route_id
from api.responses import empty_response, json_response
from api.run_document import run_document
from api.run_list import list_runs
from api.run_status import ENDED, existing_run, public_status
from api.waiting import poll_until

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
        return json_response(run_document(await existing_run(client, run_id, with_history=True)))
    return await _purge(client, run_id)


@json_errors
async def run_terminate(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """`POST /runs/{id}/terminate`: stop a run that has not ended (202), recording the reason."""
    require_method(req, ("POST",))
    run_id = route_id(req, "id", "run id")
    body = parse_body(req, TerminateRequest)
    status = await existing_run(client, run_id)
    current = public_status(status)
    if current in ENDED:
        raise conflict(f"run '{run_id}' has already ended ({current})")
    await client.terminate(run_id, body.reason or "terminated through the run API")
    accepted = RunAccepted(
        id=run_id, workflow=status.name or "", status=current, links=run_links(req, run_id)
    )
    return json_response(accepted, status=202)


async def _start(req: func.HttpRequest, client: DurableOrchestrationClient, name: str) -> func.HttpResponse:
    workflow = startable_workflow(name)
    wait_s = int_param(req, "wait", 0, 0, MAX_START_WAIT_S)
    payload = parse_body(req, workflow.input_model)
    run_id = await client.start_new(workflow.name, client_input=payload.model_dump(mode="json"))
    headers = {"Location": run_url(req, run_id)}
    if wait_s and await _ends_within(client, run_id, wait_s):
        document = run_document(await existing_run(client, run_id, with_history=True))
        return json_response(document, status=200, headers=headers)
    accepted = RunAccepted(id=run_id, workflow=workflow.name, status="Pending", links=run_links(req, run_id))
    return json_response(accepted, status=202, headers=headers)


async def _ends_within(client: DurableOrchestrationClient, run_id: str, timeout_s: float) -> bool:
    """Whether the run reaches Completed, Failed or Terminated within `timeout_s`."""
    _, ended = await poll_until(
        lambda: client.get_status(run_id),
        lambda status: bool(status) and public_status(status) in ENDED,
        timeout_s,
    )
    return ended


async def _purge(client: DurableOrchestrationClient, run_id: str) -> func.HttpResponse:
    current = public_status(await existing_run(client, run_id))
    if current not in ENDED:
        raise conflict(f"run '{run_id}' is {current}; terminate it before deleting it")
    await client.purge_instance_history(run_id)
    return empty_response(204)
