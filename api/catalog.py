"""The workflows a user can start: name → description and the pydantic model of its input.

The names are the orchestrator names registered in `function_app.py` (docs/contracts.md); the
models are the edge's promise that an orchestrator only ever reads a well-formed dict.
"""

from dataclasses import dataclass
from typing import Literal, cast

from pydantic import BaseModel, Field, field_validator

from api.errors import ApiError, not_found
from api.workflow_input import Text, WorkflowInput
from graphs._discovery import check_names, load_graphs
from orchestrators.contract import (
    DEFAULT_APPROVAL_TIMEOUT_S,
    DEFAULT_MAX_ITERATIONS,
    DEFAULT_MAX_ROUNDS,
    DEFAULT_SPECIALISTS,
)

Analyst = Literal["market_analyst", "tech_analyst", "risk_analyst"]


class SingleInput(WorkflowInput):
    question: Text = Field(description="What to ask the assistant agent.")


class ChainInput(WorkflowInput):
    topic: Text = Field(description="Subject for research → write → review.")


class FanoutInput(WorkflowInput):
    topic: Text = Field(description="Subject every specialist analyses in parallel.")
    specialists: list[Analyst] = Field(
        default_factory=lambda: cast(list[Analyst], list(DEFAULT_SPECIALISTS)),
        min_length=1,
        max_length=3,
        json_schema_extra={"uniqueItems": True},
        description="Analysts to consult (each at most once).",
    )

    @field_validator("specialists")
    @classmethod
    def _each_once(cls, names: list[str]) -> list[str]:
        if len(set(names)) != len(names):
            raise ValueError("must not name a specialist twice")
        return names


class RoutingInput(WorkflowInput):
    question: Text = Field(description="Question the triage agent routes to a specialist.")


class CriticInput(WorkflowInput):
    topic: Text = Field(description="Subject the writer drafts and the critic reviews.")
    max_rounds: int = Field(
        DEFAULT_MAX_ROUNDS, ge=1, le=10, description="Most write/critique rounds before stopping."
    )


class ApprovalInput(WorkflowInput):
    topic: Text = Field(description="Subject of the draft a person approves before it is published.")
    timeout_s: int = Field(
        DEFAULT_APPROVAL_TIMEOUT_S, ge=1, le=604800, description="Seconds to wait for the decision."
    )


class ToolsInput(WorkflowInput):
    question: Text = Field(description="Question the tool agent answers, calling tools as it needs.")
    max_iterations: int = Field(
        DEFAULT_MAX_ITERATIONS, ge=1, le=10, description="Most model calls in the tool loop."
    )


class SessionInput(WorkflowInput):
    session_id: Text = Field(description="Conversation the message belongs to.")
    message: Text = Field(description="The user's message.")
    max_messages: int = Field(ge=2, le=1000, description="Bound on the kept conversation.")


@dataclass(frozen=True)
class Workflow:
    """One startable workflow: its orchestrator name, what it does and the shape of its input."""

    name: str
    description: str
    input_model: type[BaseModel]
    started_by_runs_api: bool = True


WORKFLOWS: dict[str, Workflow] = {
    w.name: w
    for w in (
        Workflow("single", "One agent answers one question.", SingleInput),
        Workflow("chain", "Researcher, writer and reviewer run in sequence.", ChainInput),
        Workflow("fanout", "Specialists analyse in parallel; an aggregator summarises.", FanoutInput),
        Workflow("routing", "A triage agent routes the question to a specialist.", RoutingInput),
        Workflow("critic", "A writer revises until the critic approves or rounds run out.", CriticInput),
        Workflow(
            "approval",
            "A draft waits for a person's approval (or times out), then is published.",
            ApprovalInput,
        ),
        Workflow("tools", "An agent calls tools, each one a durable, retried step.", ToolsInput),
        Workflow(
            "session",
            "One turn of a multi-turn conversation; start it with POST /api/sessions/{id}/messages.",
            SessionInput,
            started_by_runs_api=False,
        ),
    )
}

# Graphs (graphs/): every module's GRAPH is a workflow too, found at start-up; a name already taken
# by a workflow stops start-up.
GRAPHS = load_graphs()
check_names(GRAPHS, {name: "workflow" for name in WORKFLOWS})
WORKFLOWS.update({g.name: Workflow(g.name, g.description, g.input_model) for g in GRAPHS.values()})


def startable_workflow(name: str) -> Workflow:
    """The workflow `POST /runs/{name}` may start: 404 when unknown, 400 for session turns."""
    workflow = WORKFLOWS.get(name)
    if workflow is None:
        raise not_found("workflow", name)
    if not workflow.started_by_runs_api:
        raise ApiError(
            400,
            "use_sessions_api",
            f"workflow '{name}' is started per message: POST /api/sessions/{{id}}/messages",
        )
    return workflow
