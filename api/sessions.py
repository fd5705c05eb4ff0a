"""`/sessions/{id}/messages` and `/sessions/{id}`: multi-turn conversations.

Each message is one short `session` run (the conversation itself lives in the `conversation`
entity), so a turn is as durable as any other run and can be followed through `/runs/{id}`. Its run
id starts with the session's prefix (`api/session_turns.py`), which is how `DELETE /sessions/{id}`
finds every turn to purge (`api/session_delete.py`).
"""

import azure.durable_functions as df
import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient

from api.body import parse_body
from api.catalog import SessionInput
from api.errors import json_errors, not_found, require_method
from api.links import run_url, session_links
from api.models import SessionAccepted, SessionMessageRequest, SessionReply, SessionState
from api.params import int_param, route_id
from api.responses import json_response
from api.run_status import ENDED, public_status
from api.session_delete import delete_session
from api.session_reply import ended_turn_reply
from api.session_stream import streamed_turn
from api.session_turns import new_turn_id
from api.settings import int_setting
from api.sse import wants_event_stream
from api.waiting import poll_until
from orchestrators.contract import CONVERSATION_ENTITY, DEFAULT_SESSION_MAX_MESSAGES
from orchestrators.payloads import json_value

SESSION_WORKFLOW = "session"
DEFAULT_WAIT_S = 30
# (setting, default, lowest, highest), read per turn and checked at start-up (api/startup_settings.py).
MAX_MESSAGES_SETTING = ("SESSION_MAX_MESSAGES", DEFAULT_SESSION_MAX_MESSAGES, 2, 1000)
MAX_WAIT_S = 60


@json_errors
async def session_messages(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """Start one turn; 200 with the reply if it is ready within `wait` seconds, else 202 with links."""
    require_method(req, ("POST",))
    session_id = route_id(req, "id", "session id")
    wait_s = int_param(req, "wait", DEFAULT_WAIT_S, 0, MAX_WAIT_S)
    body = parse_body(req, SessionMessageRequest)
    run_id = await start_turn(client, session_id, body.message)
    headers = {"Location": run_url(req, run_id)}
    if wants_event_stream(req):
        return await streamed_turn(req, client, session_id, run_id, wait_s)
    reply = await turn_reply(client, session_id, run_id, wait_s)
    if reply is not None:
        return json_response(reply, headers=headers)
    accepted = SessionAccepted(
        sessionId=session_id, runId=run_id, links=session_links(req, session_id, run_id)
    )
    return json_response(accepted, status=202, headers=headers)


def max_messages() -> int:
    """`SESSION_MAX_MESSAGES`: messages a session keeps before older turns are summarised."""
    return int_setting(*MAX_MESSAGES_SETTING)


async def start_turn(client: DurableOrchestrationClient, session_id: str, message: str) -> str:
    """Start one turn of the session (a `session` run) and return its run id, whatever the transport."""
    turn = SessionInput(
        session_id=session_id,
        message=message,
        max_messages=max_messages(),
    )
    return await client.start_new(
        SESSION_WORKFLOW, instance_id=new_turn_id(session_id), client_input=turn.model_dump()
    )


async def turn_reply(
    client: DurableOrchestrationClient, session_id: str, run_id: str, wait_s: float
) -> SessionReply | None:
    """The turn's reply once its run ends within `wait_s` (None if it has not; 502 if it failed)."""
    if not wait_s:
        return None
    status, ended = await poll_until(
        lambda: client.get_status(run_id),
        lambda s: bool(s) and public_status(s) in ENDED,
        wait_s,
        just_started=True,  # every caller has just started the turn
    )
    return ended_turn_reply(session_id, run_id, status) if ended else None


@json_errors
async def session_item(req: func.HttpRequest, client: DurableOrchestrationClient) -> func.HttpResponse:
    """`GET` the session's conversation, or `DELETE` the session with every turn's run."""
    method = require_method(req, ("GET", "DELETE"))
    session_id = route_id(req, "id", "session id")
    if method == "DELETE":
        return await delete_session(client, session_id)
    return await session_state(client, session_id)


async def session_state(client: DurableOrchestrationClient, session_id: str) -> func.HttpResponse:
    """The bounded conversation kept in the session's `conversation` entity (404 if none yet)."""
    response = await client.read_entity_state(df.EntityId(CONVERSATION_ENTITY, session_id))
    state = json_value(response.entity_state) if response.entity_exists else None
    if not isinstance(state, dict):
        raise not_found("session", session_id)
    return json_response(
        SessionState(
            sessionId=session_id,
            summary=state.get("summary"),
            messages=[m for m in state.get("messages") or [] if isinstance(m, dict)],
            turns=int(state.get("turns") or 0),
        )
    )
