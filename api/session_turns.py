"""The run ids of a session's turns: every turn of one session shares a prefix.

A turn's run holds the user's words in its input and history, so deleting a session must find every
one of its runs, on Azure with nothing but the durable client. The instance query takes an
`instanceIdPrefix`, so each turn is started under `session-<digest>-<random>`: the digest is the
first 20 hex digits of the session id's SHA-256, which keeps the id within the API's 100 characters
whatever the session id, and no session's prefix can be the start of another's (all are one length).
"""

import hashlib
import uuid

from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus as Runtime

from api.run_windows import HOST_PAGE_SIZE

TURN_ID_PREFIX = "session-"
DIGEST_LENGTH = 20
# A turn in one of these has not ended: it may still append to the conversation.
NOT_ENDED = [Runtime.Pending, Runtime.Running, Runtime.ContinuedAsNew, Runtime.Suspended]


def turn_prefix(session_id: str) -> str:
    """The start of the run id of every turn of `session_id`."""
    digest = hashlib.sha256(session_id.encode()).hexdigest()[:DIGEST_LENGTH]
    return f"{TURN_ID_PREFIX}{digest}-"


def new_turn_id(session_id: str) -> str:
    """A fresh run id for the next turn of `session_id`."""
    return turn_prefix(session_id) + uuid.uuid4().hex


async def unended_turns(
    client: DurableOrchestrationClient, session_id: str
) -> list[DurableOrchestrationStatus]:
    """The session's turns that have not ended (at most one host page: one is enough to refuse)."""
    return await client.get_status_by(runtime_status=NOT_ENDED, instance_id_prefix=turn_prefix(session_id))


async def purge_turns(client: DurableOrchestrationClient, session_id: str) -> int:
    """Purge every ended turn of the session; returns how many were purged.

    The host answers at most one page per query and the SDK drops the continuation token, so the
    query is repeated until a page comes back short; purged runs no longer match, so each page is new.
    A page holding only runs already purged (the host refused them) ends the loop instead of spinning.
    """
    purged: set[str] = set()
    while True:
        page = await client.get_status_by(instance_id_prefix=turn_prefix(session_id))
        fresh = [
            status.instance_id for status in page if status.instance_id and status.instance_id not in purged
        ]
        for run_id in fresh:
            await client.purge_instance_history(run_id)
            purged.add(run_id)
        if len(page) < HOST_PAGE_SIZE or not fresh:
            return len(purged)
