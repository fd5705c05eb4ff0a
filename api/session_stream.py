"""A session turn answered as server-sent events: the reply's words, then the reply itself.

`POST /sessions/{id}/messages` with `Accept: text/event-stream` waits like `?wait` for the turn's
run to end and answers with the `chat` agent's `token` events (each with its event id), then one
`message` event holding the SessionReply. A turn that replied again (another message of the
session was saved first) streams only its last reply's words. Like every SSE reply of this API it
is one batch (see `api.sse`): a client that wants the words while they are written follows the
turn's events link, as `agentctl chat` does. If the turn has not ended within the wait, the batch
ends with a `pending` event carrying the links and the id to resume the events after.
"""

import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient

from api.event_cursor import Cursor
from api.event_feed import next_events
from api.links import session_links
from api.models import SessionAccepted
from api.run_status import existing_run
from api.session_reply import ended_turn_reply
from api.sse import frame, sse_response

CHAT_AGENT = "chat"


async def streamed_turn(
    req: func.HttpRequest, client: DurableOrchestrationClient, session_id: str, run_id: str, wait_s: int
) -> func.HttpResponse:
    """The turn's words and its reply (or `pending`) as one SSE batch."""
    page = await next_events(client, run_id, Cursor(), tokens=True, wait_s=wait_s, until_done=True)
    words = [e for e in page.events if e.type == "token" and e.name == CHAT_AGENT]
    # A turn that found another turn saved first replied again in a new step; only the last counts.
    reply_step = words[-1].detail.get("step") if words else None
    words = [e for e in words if e.detail.get("step") == reply_step]
    frames = [frame(e.type, e.model_dump(mode="json"), e.id) for e in words]
    if page.done:
        reply = ended_turn_reply(session_id, run_id, await existing_run(client, run_id))
        frames.append(frame("message", reply.model_dump(mode="json"), page.next))
    else:
        links = session_links(req, session_id, run_id)
        pending = SessionAccepted(sessionId=session_id, runId=run_id, links=links).model_dump(mode="json")
        frames.append(frame("pending", pending | {"after": page.next}))
    return sse_response("".join(frames))
