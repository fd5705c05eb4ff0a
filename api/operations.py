"""The run API's operations without a transport: start, wait for, read and list runs.

HTTP handlers (`api/runs.py`) and MCP tools (`mcp_tools/`) both call these, so validation, error
codes and the run document are defined once: a bad input is the same `ApiError` whichever way it
came in, and an MCP tool's structured result is byte for byte what `GET /api/runs/{id}` returns.
Approvals and session turns have their transport-free halves next to their handlers
(`api.approval.decide`, `api.sessions.start_turn` / `api.sessions.turn_reply`).
"""

from collections.abc import Callable, Mapping

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api import run_list
from api.body import validate
from api.catalog import Workflow
from api.models import RunDocument, RunList
from api.params import checked_id
from api.run_document import run_document
from api.run_status import ENDED, existing_run, public_status
from api.waiting import poll_until


async def start_run(client: DurableOrchestrationClient, workflow: Workflow, arguments: object) -> str:
    """Validate `arguments` against the workflow's input model (422 naming each field) and start it."""
    payload = validate(arguments, workflow.input_model)
    return await client.start_new(workflow.name, client_input=payload.model_dump(mode="json"))


async def get_run(client: DurableOrchestrationClient, run_id: str) -> RunDocument:
    """The run document of `GET /api/runs/{id}` (400 for a malformed id, 404 for an unknown one)."""
    return run_document(await existing_run(client, checked_id(run_id, "run id")))


async def wait_for_run(
    client: DurableOrchestrationClient,
    run_id: str,
    timeout_s: float,
    stop_early: Callable[[DurableOrchestrationStatus], bool] | None = None,
    *,
    just_started: bool = False,
) -> RunDocument:
    """The run's document once it has ended, `stop_early(status)` holds, or `timeout_s` has passed.

    `stop_early` lets a caller stop waiting for a run that now waits for someone else (a person's
    approval): there is no point holding a request open for that. `just_started`: the caller has
    just started the run (see `api.waiting.poll_until`).
    """

    def settled(status: DurableOrchestrationStatus | None) -> bool:
        if not status:
            return False
        return public_status(status) in ENDED or (stop_early is not None and stop_early(status))

    status, _ = await poll_until(
        lambda: client.get_status(run_id), settled, timeout_s, just_started=just_started
    )
    if not status:  # unknown, or purged while we waited: 404
        return await get_run(client, run_id)
    return run_document(status)


async def list_runs(client: DurableOrchestrationClient, query: Mapping[str, str]) -> RunList:
    """One page of `GET /api/runs` for these query parameters (`workflow`, `status`, `limit`, paging).

    The parameters are handed to the HTTP listing unchanged, so any paging parameter it accepts is
    accepted here too, with the same checks and messages.
    """
    request = func.HttpRequest("GET", "http://localhost/api/runs", params=dict(query), body=b"")
    return await run_list.list_runs(request, client)
