"""Server-sent-event framing of one batch of run events.

Delivery is one batch per reply, answered as soon as anything new exists (long poll), not a held-open
stream. Holding the response open needs HTTP streams (azurefunctions-extensions-http-fastapi), which
turn every HTTP function of the app into FastAPI types, hold an instance's HTTP slot per reader and
meet the 230 s front-end limit; a batch is an ordinary reply that works alike on Flex Consumption,
under `func start` and on the embedded host. `retry` is near 0, so an `EventSource` reconnects at
once with `Last-Event-ID` and resumes exactly after the last event it saw: a token costs one
reconnect, not one second.
"""

import json

import azure.functions as func

from api.models import EventPage

EVENT_STREAM = "text/event-stream"
RETRY_MS = 10


def wants_event_stream(req: func.HttpRequest) -> bool:
    """Whether the client asked for SSE (`Accept: text/event-stream`)."""
    return EVENT_STREAM in (req.headers.get("Accept") or "").lower()


def frame(event: str, data: object, event_id: str | None = None) -> str:
    """One SSE frame: optional `id`, `event`, one `data` line of compact JSON, blank line."""
    lines = [f"id: {event_id}"] if event_id is not None else []
    lines += [f"event: {event}", f"data: {json.dumps(data, separators=(',', ':'), ensure_ascii=False)}"]
    return "\n".join(lines) + "\n\n"


def event_stream(page: EventPage) -> str:
    """The batch as SSE text; ends with `event: end` once the run can produce no more events."""
    parts = [f"retry: {RETRY_MS}\n\n"]
    parts += [frame(e.type, e.model_dump(mode="json"), e.id) for e in page.events]
    if page.done:
        parts.append(frame("end", {"status": page.status}))
    return "".join(parts)


def event_stream_response(page: EventPage) -> func.HttpResponse:
    """The events page as an SSE reply; 204 once the run has ended and the reader has every event.

    An `EventSource` reconnects after every reply, the one that carried `event: end` included, unless
    its page closes it on `end`. A 204 is what makes the browser stop for good (the HTML spec's
    "fail the connection"), so a plain `new EventSource(url)` does not poll an ended run forever.
    """
    if page.done and not page.events:
        return func.HttpResponse(status_code=204, headers={"Cache-Control": "no-cache"})
    return sse_response(event_stream(page))


def sse_response(text: str) -> func.HttpResponse:
    """An SSE reply: not cached, not buffered by proxies."""
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return func.HttpResponse(text, status_code=200, headers=headers, mimetype=EVENT_STREAM)
