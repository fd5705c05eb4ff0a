"""`GET /runs/{id}/steps`: the agent and tool steps of a run, with prompts, replies and tool calls.

A page at a time: `after` (a step `seq`, 0 for the start) and `limit`. A long-running loop has
thousands of steps, each up to several 16 KB texts, and a viewer refreshes while the run goes on:
one reply of everything would grow with the run and so would the host's time building it. `next`
is the `after` of the following page; `total` says how many steps the run has scheduled so far,
so a reader can start from the newest ones.
"""

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient

from api.errors import json_errors, require_method
from api.event_cursor import MAX_SEQ
from api.history import records
from api.params import int_param, route_id
from api.responses import json_response
from api.run_status import existing_run, public_status
from api.step_models import StepList
from api.steps import step_page

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


@json_errors
async def run_steps(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """Up to `limit` steps after the step numbered `after`, in the order they were scheduled (404 for
    an unknown run)."""
    require_method(req, ("GET",))
    run_id = route_id(req, "id", "run id")
    after = int_param(req, "after", 0, 0, MAX_SEQ)
    limit = int_param(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    status = await existing_run(client, run_id, with_history=True)
    page, total = step_page(records(status), after, limit)
    reached = after + len(page)
    return json_response(
        StepList(
            id=run_id,
            status=public_status(status),
            steps=page,
            total=total,
            next=reached if reached < total else None,
        )
    )
