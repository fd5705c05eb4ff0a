"""`DELETE /sessions/{id}`: forget a conversation, its stored messages and every turn's run.

A turn still running would append to the conversation after it was deleted, so the delete is
refused (409, naming the run) until it ends; it can be stopped with `POST /runs/{id}/terminate`.
Otherwise the turns' runs are purged first, then the `conversation` entity is told to `delete`
itself; the reply waits until the entity is gone, so a `GET` afterwards is a 404. The runs go first
so that a delete that fails half way can be sent again: the session is unknown (404) only once
neither its conversation nor any of its runs is left.
"""

import azure.durable_functions as df
import azure.functions as func
from azure.durable_functions import DurableOrchestrationClient

from api.errors import conflict, not_found
from api.models import SessionDeleting
from api.responses import empty_response, json_response
from api.session_turns import purge_turns, unended_turns
from api.waiting import poll_until
from orchestrators.contract import CONVERSATION_ENTITY, ENTITY_DELETE

# How long the reply waits for the entity to run its `delete` before answering 202 instead of 204.
DELETE_WAIT_S = 10


async def delete_session(client: DurableOrchestrationClient, session_id: str) -> func.HttpResponse:
    """204 once the session is gone, 202 if its conversation is still queued to be deleted."""
    if await forget_session(client, session_id):
        return empty_response(204)
    return json_response(SessionDeleting(sessionId=session_id, status="deleting"), status=202)


async def forget_session(client: DurableOrchestrationClient, session_id: str) -> bool:
    """Delete the session's turns and conversation; False if the conversation is still queued to go.

    Raises the API's 409 while a turn has not ended and 404 when nothing of the session exists.
    """
    running = await unended_turns(client, session_id)
    if running:
        run_id = running[0].instance_id
        raise conflict(
            f"session '{session_id}' has a turn still running (run '{run_id}'); wait for it to end or "
            f"stop it with POST /api/runs/{run_id}/terminate, then delete the session again"
        )
    purged = await purge_turns(client, session_id)
    entity = df.EntityId(CONVERSATION_ENTITY, session_id)
    if not (await client.read_entity_state(entity)).entity_exists:
        if not purged:
            raise not_found("session", session_id)
        return True
    await client.signal_entity(entity, ENTITY_DELETE)
    _, gone = await poll_until(
        lambda: client.read_entity_state(entity), lambda state: not state.entity_exists, DELETE_WAIT_S
    )
    return gone
