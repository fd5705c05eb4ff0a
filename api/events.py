"""`GET /runs/{id}/events`: the run's events (steps and live tokens), long-polled, as JSON or SSE.

`after` (JSON) or `Last-Event-ID` (SSE, what `EventSource` sends on reconnect) is the id of the
last event the reader has; the reply holds what came after it, at most `limit` events (a loop run
for hours has tens of thousands: a first read gets them a page at a time), waiting up to `wait`
seconds for something new. `tokens=false` leaves the agents' words out (ids are then the step
events' `seq`).
"""

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient

from api.errors import bad_parameter, json_errors, require_method
from api.event_cursor import Cursor, PastTheEnd, parse_cursor
from api.event_feed import next_events
from api.params import bool_param, int_param, route_id
from api.responses import json_response
from api.sse import event_stream_response, wants_event_stream

MAX_WAIT_S = 25
# An EventSource cannot easily add `wait`; without it a quiet run would be re-asked at once forever.
SSE_DEFAULT_WAIT_S = 20
DEFAULT_LIMIT = 500
MAX_LIMIT = 1000


@json_errors
async def run_events(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """Up to `limit` events after `after` (or `Last-Event-ID`), waiting up to `wait` seconds for one."""
    require_method(req, ("GET",))
    run_id = route_id(req, "id", "run id")
    source, cursor = _cursor(req)
    tokens = bool_param(req, "tokens", True)
    sse = wants_event_stream(req)
    wait_s = int_param(req, "wait", SSE_DEFAULT_WAIT_S if sse else 0, 0, MAX_WAIT_S)
    limit = int_param(req, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT)
    try:
        page = await next_events(client, run_id, cursor, tokens, wait_s, limit=limit)
    except PastTheEnd as past:
        raise bad_parameter(
            source, f"not an event id this run gave; its last event id is {past.last}"
        ) from None
    return event_stream_response(page) if sse else json_response(page)


def _cursor(req: func.HttpRequest) -> tuple[str, Cursor]:
    """Resume point and where it came from: `Last-Event-ID` (what `EventSource` sends on reconnect)
    wins over `after`."""
    last_id = req.headers.get("Last-Event-ID")
    if last_id:
        return "Last-Event-ID", parse_cursor(last_id, "Last-Event-ID")
    after = req.params.get("after")
    return "after", parse_cursor(after, "after") if after else Cursor()
