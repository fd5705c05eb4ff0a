"""The reply of a finished session turn, as both the JSON and the SSE answers give it."""

from typing import Any

from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.errors import ApiError
from api.models import SessionReply
from api.run_document import run_document


def ended_turn_reply(session_id: str, run_id: str, status: DurableOrchestrationStatus) -> SessionReply:
    """The turn's reply, or 502 naming the run when the turn failed or was terminated."""
    document = run_document(status)
    output: Any = document.output
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
