"""`GET /runs/{id}/steps`: every agent and tool step of a run, with prompts, replies and tool calls."""

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient

from api.errors import json_errors, require_method
from api.history import records
from api.params import route_id
from api.responses import json_response
from api.run_status import existing_run, public_status
from api.step_models import StepList
from api.steps import steps


@json_errors
async def run_steps(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """The run's steps in the order they were scheduled (404 for an unknown run)."""
    require_method(req, ("GET",))
    run_id = route_id(req, "id", "run id")
    status = await existing_run(client, run_id, with_history=True)
    return json_response(StepList(id=run_id, status=public_status(status), steps=steps(records(status))))
