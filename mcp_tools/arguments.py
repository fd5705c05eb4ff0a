"""Argument models of the run tools (`get_run`, `approve_run`, `answer_run`, `list_runs`, `send_message`,
`delete_session`).

They reuse the run API's request models, so a tool and its REST route accept the same values and
refuse the rest with the same messages; the models are also where `tools/list` reads the properties.
"""

from typing import Any

from pydantic import Field

from api.models import ApprovalRequest, InputRequest, RequestBody, SessionMessageRequest
from api.workflow_input import Text

RunId = Text


class GetRunArguments(RequestBody):
    run_id: RunId = Field(description="The run's id, as a workflow tool or list_runs returned it.")


class ApproveRunArguments(ApprovalRequest):
    run_id: RunId = Field(description="The run waiting for approval.")


class AnswerRunArguments(InputRequest):
    run_id: RunId = Field(description="The graph run waiting for input (its progress lists pendingInput).")
    # The extension checks no argument types; "object" tells an assistant that a JSON value goes here.
    response: Any = Field(
        json_schema_extra={"type": "object"},
        description="The answer: JSON matching the pending request's responseSchema (get_run shows it).",
    )


class ListRunsArguments(RequestBody):
    workflow: str | None = Field(None, description="Only runs of this workflow.")
    status: str | None = Field(
        None, description="Only runs in these statuses, comma-separated (e.g. Running,Completed)."
    )
    limit: int | None = Field(None, ge=1, le=100, description="Runs per page (default 20).")
    cursor: str | None = Field(None, description="The `next` value of the previous page.")


class SendMessageArguments(SessionMessageRequest):
    session_id: Text = Field(description="The conversation; a new id starts a new one.")


class DeleteSessionArguments(RequestBody):
    session_id: Text = Field(description="The conversation to forget, as given to send_message.")
