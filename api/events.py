"""`GET /runs/{id}/events`: the run's timeline, long-polled, as JSON or server-sent events."""

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.errors import json_errors, require_method
from api.models import EventPage, RunEvent
from api.params import bounded_int, int_param, route_id
from api.responses import json_response
from api.run_status import ENDED, existing_run, public_status
from api.sse import event_stream_response, wants_event_stream
from api.timeline import timeline
from api.waiting import poll_until

MAX_WAIT_S = 25
MAX_SEQ = 10**9

Snapshot = tuple[DurableOrchestrationStatus, list[RunEvent]]


@json_errors
async def run_events(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """Events after `after` (or `Last-Event-ID`), waiting up to `wait` seconds for at least one."""
    require_method(req, ("GET",))
    run_id = route_id(req, "id", "run id")
    after = _after(req)
    wait_s = int_param(req, "wait", 0, 0, MAX_WAIT_S)

    async def snapshot() -> Snapshot:
        status = await existing_run(client, run_id, with_history=True)
        return status, timeline(status)

    def has_news(value: Snapshot) -> bool:
        status, events = value
        return public_status(status) in ENDED or any(event.seq > after for event in events)

    (status, events), _ = await poll_until(snapshot, has_news, wait_s)
    current = public_status(status)
    page = EventPage(events=[e for e in events if e.seq > after], status=current, done=current in ENDED)
    return event_stream_response(page) if wants_event_stream(req) else json_response(page)


def _after(req: func.HttpRequest) -> int:
    """Resume point: `Last-Event-ID` (what `EventSource` sends on reconnect) wins over `after`."""
    last_id = req.headers.get("Last-Event-ID")
    if last_id:
        return bounded_int(last_id, "Last-Event-ID", 0, MAX_SEQ)
    return int_param(req, "after", 0, 0, MAX_SEQ)
