"""writer_reviewer: a writer drafts, a critic reviews, and a switch-case edge loops back until approved.

Input `{"topic", "max_rounds"?}`; one output `{"topic", "draft", "approved", "rounds", "feedback"}`.
The round count lives in the workflow's shared state (`ctx.set_state`), so it survives a crash with
the rest of the checkpoint. The switch-case sends an approved review (or the last allowed round) to
the publisher and anything else back to the writer.
"""

from dataclasses import dataclass, field
from typing import Any

from agent_framework import Case, Default, Executor, Workflow, WorkflowBuilder, WorkflowContext, handler
from pydantic import ConfigDict, Field

from agents.catalog import CriticVerdict
from api.workflow_input import Text, WorkflowInput
from graphs import GraphSpec, template_agent

ROUNDS_KEY = "rounds"


class WriterReviewerInput(WorkflowInput):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"topic": "durable agent graphs", "max_rounds": 3}]}
    )

    topic: Text = Field(description="Subject the writer drafts and the critic reviews.")
    max_rounds: int = Field(3, ge=1, le=10, description="Most reviews before the draft is published anyway.")


@dataclass
class Assignment:
    topic: str
    max_rounds: int


@dataclass
class Draft:
    topic: str
    text: str
    max_rounds: int
    feedback: list[str] = field(default_factory=list)


@dataclass
class Review:
    draft: Draft
    approved: bool
    rounds: int


class Writer(Executor):
    """Writes the first draft, and revises it against the critic's latest feedback."""

    def __init__(self) -> None:
        super().__init__(id="writer")
        self.agent = template_agent("writer")

    @handler
    async def first_draft(self, assignment: Assignment, ctx: WorkflowContext[Draft]) -> None:
        reply = await self.agent.run(f"Topic: {assignment.topic}\n\nWrite a first draft.")
        await ctx.send_message(Draft(assignment.topic, reply.text, assignment.max_rounds))

    @handler
    async def revise(self, review: Review, ctx: WorkflowContext[Draft]) -> None:
        draft = review.draft
        prompt = (
            f"Topic: {draft.topic}\n\nYour draft:\n{draft.text}\n\n"
            f"Revise it to address this feedback:\n{draft.feedback[-1]}"
        )
        reply = await self.agent.run(prompt)
        await ctx.send_message(Draft(draft.topic, reply.text, draft.max_rounds, draft.feedback))


class Critic(Executor):
    """Reviews a draft with the critic agent's structured verdict and counts the rounds."""

    def __init__(self) -> None:
        super().__init__(id="critic")
        self.agent = template_agent("critic")

    @handler
    async def review(self, draft: Draft, ctx: WorkflowContext[Review]) -> None:
        reply = await self.agent.run(f"Topic: {draft.topic}\n\nDraft:\n{draft.text}")
        verdict = CriticVerdict.model_validate(reply.value)
        rounds = int(ctx.get_state(ROUNDS_KEY) or 0) + 1
        ctx.set_state(ROUNDS_KEY, rounds)
        reviewed = Draft(draft.topic, draft.text, draft.max_rounds, [*draft.feedback, verdict.feedback])
        await ctx.send_message(Review(reviewed, bool(verdict.approved), rounds))


class Publisher(Executor):
    """Yields the final draft with the verdict and the feedback of every round."""

    def __init__(self) -> None:
        super().__init__(id="publisher")

    @handler
    async def publish(self, review: Review, ctx: WorkflowContext[None, dict[str, Any]]) -> None:
        draft = review.draft
        await ctx.yield_output(
            {
                "topic": draft.topic,
                "draft": draft.text,
                "approved": review.approved,
                "rounds": review.rounds,
                "feedback": draft.feedback,
            }
        )


def _done(review: Review) -> bool:
    return review.approved or review.rounds >= review.draft.max_rounds


def build() -> Workflow:
    """writer → critic → (done? publisher : writer)."""
    writer, critic, publisher = Writer(), Critic(), Publisher()
    return (
        WorkflowBuilder(name="writer_reviewer", start_executor=writer, max_iterations=30)
        .add_edge(writer, critic)
        .add_switch_case_edge_group(critic, [Case(condition=_done, target=publisher), Default(target=writer)])
        .build()
    )


GRAPH = GraphSpec(
    name="writer_reviewer",
    description="Graph: a writer and a critic loop through a switch-case edge until the draft is approved.",
    input_model=WriterReviewerInput,
    build=build,
    start=lambda given: Assignment(given.topic, given.max_rounds),
)
