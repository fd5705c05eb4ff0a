"""Reply models of `GET /runs/{id}/steps`: every agent and tool step of a run, readable by a person.

Kept apart from `api/models.py` because only the steps route and its OpenAPI entry use them.
"""

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.models import RunStatus, Usage

StepKind = Literal["agent", "tool", "activity", "workflow"]
StepStatus = Literal["running", "completed", "failed"]


class MessageExcerpt(BaseModel):
    role: str
    text: str = Field(description="The message text (a tool message: its result as JSON text), capped.")
    name: str | None = Field(default=None, description="The tool whose result this message carries.")
    tool_calls: list[str] = Field(default_factory=list, description="Tools this message asked for.")


class StepToolCall(BaseModel):
    call_id: str
    name: str
    arguments: Any = None
    result: Any = Field(default=None, description="The tool step's result, once that step has completed.")


class Step(BaseModel):
    seq: int = Field(ge=1, description="Position among the run's steps, in the order they were scheduled.")
    kind: StepKind
    name: str = Field(description="The agent, tool, activity or sub-workflow the step ran.")
    activity: str = Field(description="The durable function that ran it (run_agent, run_tool, ...).")
    status: StepStatus
    startedAt: str | None
    endedAt: str | None
    elapsed_ms: float | None = Field(
        default=None, description="As measured by the step, else end minus start."
    )
    prompt: str | None = Field(default=None, description="An agent step's prompt, when it was given one.")
    messages: list[MessageExcerpt] | None = Field(
        default=None, description="An agent step's conversation (newest kept when long)."
    )
    omitted_messages: int = Field(default=0, description="Older messages left out of `messages`.")
    reply: str | None = Field(default=None, description="An agent step's reply text.")
    value: Any = Field(default=None, description="An agent step's structured output.")
    tool_calls: list[StepToolCall] = Field(
        default_factory=list, description="Tools the agent asked for, with arguments and results."
    )
    call_id: str | None = Field(default=None, description="A tool step's call id.")
    arguments: Any = Field(
        default=None, description="A tool step's arguments (from the agent step that asked)."
    )
    result: Any = Field(default=None, description="A tool, activity or sub-workflow step's result.")
    usage: Usage | None = None
    model: str | None = None
    error: str | None = None
    truncated: list[str] = Field(
        default_factory=list, description="Fields cut to 16 KB (a cut JSON value becomes its JSON text)."
    )


class StepList(BaseModel):
    id: str
    status: RunStatus
    steps: list[Step] = Field(description="At most `limit` steps after `after`, in `seq` order.")
    total: int = Field(ge=0, description="Steps the run has scheduled so far (the highest `seq`).")
    next: int | None = Field(
        description="Pass as `after` for the following page; null when this page ends at the newest step."
    )
