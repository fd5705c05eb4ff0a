"""The reply of a finished session turn, as both the JSON and the SSE answers give it."""

from typing import Any

from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.errors import ApiError
from api.models import SessionReply
from api.run_document import run_document
from orchestrators.contract import SESSION_BUSY

BUSY_RETRY_AFTER_S = 1


def ended_turn_reply(session_id: str, run_id: str, status: DurableOrchestrationStatus) -> SessionReply:
    """The turn's reply; 429 when it gave up because other messages kept being saved first (it was
    not saved: sending it again is safe), else 502 naming the run when it failed or was terminated."""
    document = run_document(status)
    output: Any = document.output
    if document.status == "Failed" and SESSION_BUSY in (document.error or ""):
        raise ApiError(
            429,
            "session_busy",
            f"session '{session_id}': too many messages at once; this one was not saved, send it again",
            headers={"Retry-After": str(BUSY_RETRY_AFTER_S)},
        )
    if document.status != "Completed" or not isinstance(output, dict):
        raise ApiError(
            502, "run_failed", f"session turn run '{run_id}' ended {document.status}: {document.error}"
        )
    return SessionReply(
        sessionId=session_id,
        runId=run_id,
        reply=str(output.get("reply", "")),
        turns=int(output.get("turns", 0)),
    )
