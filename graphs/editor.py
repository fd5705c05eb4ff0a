"""editor: the writer drafts, and an editor asks a person through `request_info` before publishing.

Input `{"topic"}`; one output `{"topic", "draft", "decision": "approved" | "rejected", "comment"}`.
The run waits with `pendingInput` showing the draft; answer with
`POST /api/runs/{id}/input {"requestId": ..., "response": {"approved": true, "comment": "..."}}`.
With no answer within `input_timeout_s` (default one day) the run fails naming the request.
"""

from dataclasses import dataclass
from typing import Any

from agent_framework import Executor, Workflow, WorkflowBuilder, WorkflowContext, handler, response_handler
from pydantic import BaseModel, ConfigDict, Field

from api.workflow_input import Text, WorkflowInput
from graphs import GraphSpec, template_agent


class EditorInput(WorkflowInput):
    model_config = ConfigDict(json_schema_extra={"examples": [{"topic": "our launch announcement"}]})

    topic: Text = Field(description="Subject of the draft a person approves or rejects.")


@dataclass
class DraftForReview:
    topic: str
    draft: str


class EditorDecision(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"approved": True, "comment": "ship it"}]})

    approved: bool = Field(description="Publish the draft?")
    comment: str = Field("", max_length=4000, description="Why, recorded with the decision.")


class Writer(Executor):
    """Drafts the piece the person reviews."""

    def __init__(self) -> None:
        super().__init__(id="writer")
        self.agent = template_agent("writer")

    @handler
    async def draft(self, topic: str, ctx: WorkflowContext[DraftForReview]) -> None:
        reply = await self.agent.run(f"Topic: {topic}\n\nWrite a draft for publication.")
        await ctx.send_message(DraftForReview(topic, reply.text))


class Editor(Executor):
    """Asks a person to approve the draft, then yields their decision with it."""

    def __init__(self) -> None:
        super().__init__(id="editor")

    @handler
    async def ask(self, review: DraftForReview, ctx: WorkflowContext) -> None:
        await ctx.request_info(review, EditorDecision)

    @response_handler
    async def decided(
        self, review: DraftForReview, decision: EditorDecision, ctx: WorkflowContext[None, dict[str, Any]]
    ) -> None:
        await ctx.yield_output(
            {
                "topic": review.topic,
                "draft": review.draft,
                "decision": "approved" if decision.approved else "rejected",
                "comment": decision.comment,
            }
        )


def build() -> Workflow:
    """writer → editor (asks a person)."""
    writer, editor = Writer(), Editor()
    return WorkflowBuilder(name="editor", start_executor=writer).add_edge(writer, editor).build()


GRAPH = GraphSpec(
    name="editor",
    description="Graph: a writer drafts and an editor asks a person to approve it (request_info).",
    input_model=EditorInput,
    build=build,
    start=lambda given: given.topic,
)
