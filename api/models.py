"""Pydantic models of the run API's request bodies and replies.

Request models forbid unknown fields so a typo is a 422, not a silently ignored option. Reply models
are what handlers serialise and what `openapi.json` documents, so the document cannot drift from
the behaviour.
"""

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from api.workflow_input import Text

RunStatus = Literal["Pending", "Running", "Completed", "Failed", "Terminated", "Suspended"]
EventType = Literal[
    "run_started",
    "step_scheduled",
    "step_completed",
    "step_failed",
    "timer_started",
    "timer_fired",
    "event_received",
    "run_completed",
    "run_failed",
    "run_terminated",
    "input_requested",
    "output",
    "token",
]


class RequestBody(BaseModel):
    """Base of request bodies: strict types, unknown fields refused."""

    model_config = ConfigDict(extra="forbid", strict=True)


class ApprovalRequest(RequestBody):
    approved: bool = Field(description="The decision.")
    comment: str | None = Field(None, max_length=4000, description="Why, recorded with the decision.")
    approver: str | None = Field(
        None,
        max_length=200,
        description="Who decided; the signed-in principal (X-MS-CLIENT-PRINCIPAL-NAME) takes precedence.",
    )


class TerminateRequest(RequestBody):
    reason: str | None = Field(None, max_length=1000, description="Recorded as the run's termination reason.")


class SessionMessageRequest(RequestBody):
    message: Text = Field(max_length=32000, description="The user's next message.")


class ErrorDetail(BaseModel):
    code: str
    message: str
    correlationId: str | None = Field(None, description="Only on 500 replies; also in the server log.")


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    provider: str


class WorkflowInfo(BaseModel):
    name: str
    description: str
    input_schema: dict[str, Any]
    startable: bool = Field(True, description="False when started another way (session: POST /sessions).")


class RunLinks(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    self_: str = Field(alias="self")
    events: str
    approval: str
    input: str
    terminate: str


class RunAccepted(BaseModel):
    id: str
    workflow: str
    status: RunStatus
    links: RunLinks


class Usage(BaseModel):
    input_tokens: int = 0
    output_tokens: int = 0

    @classmethod
    def counted(cls, counts: Any) -> "Usage":
        """A `{"input_tokens", "output_tokens"}` object as read from a result or the progress: anything
        that is not a positive whole number counts as 0, and so does a missing object."""
        if not isinstance(counts, dict):
            return cls()
        return cls(
            input_tokens=_tokens(counts.get("input_tokens")),
            output_tokens=_tokens(counts.get("output_tokens")),
        )


def _tokens(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else 0


class RunSummary(BaseModel):
    id: str
    workflow: str
    status: RunStatus
    createdAt: str | None
    updatedAt: str | None
    progress: Any = Field(None, description="The workflow's latest progress: {step, index, of, last}.")


class PendingInput(BaseModel):
    requestId: str = Field(description="Answer with POST /runs/{id}/input {requestId, response}.")
    executor: str = Field(description="The graph executor that asked.")
    data: Any = Field(description="What the executor asked about.")
    responseType: str
    responseSchema: dict[str, Any] = Field(description="JSON schema the response must match.")


class RunDocument(RunSummary):
    usage: Usage = Field(description="Tokens summed over every run_agent step so far.")
    output: Any = Field(None, description="The workflow's result once Completed.")
    error: str | None = Field(None, description="Why the run Failed, or the reason it was Terminated.")
    pendingInput: list[PendingInput] = Field(
        default_factory=list, description="A graph's requests waiting for a person's answer."
    )


class RunList(BaseModel):
    runs: list[RunSummary] = Field(description="Newest first.")
    next: str | None = Field(description="Pass as `cursor` for the next page; null on the last page.")


class RunEvent(BaseModel):
    id: str = Field(
        default="",
        description="Opaque; echo it as `after` (JSON) or `Last-Event-ID` (SSE) to resume exactly after it.",
    )
    seq: int | None = Field(
        ge=1,
        description="Position of a step event in the run's timeline, stable across calls; null on tokens.",
    )
    at: str
    type: EventType
    name: str
    detail: dict[str, Any]


class EventPage(BaseModel):
    events: list[RunEvent]
    next: str = Field(
        "0", description="Pass as `after` for what comes next: the last event's id, else `after`."
    )
    status: RunStatus
    done: bool = Field(
        description="True once the run has ended and this page holds its last events (none will follow)."
    )


class SessionReply(BaseModel):
    sessionId: str
    runId: str
    reply: str
    turns: int


class SessionLinks(BaseModel):
    run: str
    events: str
    session: str


class SessionAccepted(BaseModel):
    sessionId: str
    runId: str
    links: SessionLinks


class SessionState(BaseModel):
    sessionId: str
    summary: str | None
    messages: list[dict[str, Any]]
    turns: int


class SessionDeleting(BaseModel):
    sessionId: str
    status: Literal["deleting"] = Field(
        description="The turns' runs are purged; the conversation is queued for deletion (then GET is 404)."
    )


class InputRequest(RequestBody):
    requestId: str = Field(min_length=1, max_length=100, description="The pending request answered.")
    response: Any = Field(description="The answer; must match the request's responseSchema.")


class InputAccepted(BaseModel):
    id: str
    requestId: str
    response: Any
    answeredBy: str | None = Field(None, description="The signed-in principal, when authentication is on.")


class ApprovalAccepted(BaseModel):
    id: str
    approved: bool
    comment: str | None
    approver: str | None
