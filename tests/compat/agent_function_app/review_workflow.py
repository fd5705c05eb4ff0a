"""A workflow with a human in the loop, hosted by AgentFunctionApp as the package's samples host one.

The agent drafts, `Review` asks a person (`request_info`) and yields the verdict once they answer
through the package's `workflow/review/respond/...` route.
"""

from dataclasses import dataclass
from typing import Never

from agent_framework import (
    Agent,
    AgentExecutorResponse,
    Executor,
    Workflow,
    WorkflowBuilder,
    WorkflowContext,
    handler,
    response_handler,
)
from pydantic import BaseModel

WORKFLOW_NAME = "review"


@dataclass
class ApprovalRequest:
    """What the reviewer is shown."""

    draft: str


class ApprovalResponse(BaseModel):
    """What the reviewer sends back."""

    approved: bool


class Review(Executor):
    """Waits for a person to approve the agent's draft."""

    @handler
    async def ask_reviewer(self, drafted: AgentExecutorResponse, ctx: WorkflowContext) -> None:
        draft = drafted.agent_response.text
        await ctx.request_info(request_data=ApprovalRequest(draft=draft), response_type=ApprovalResponse)

    @response_handler
    async def reviewed(
        self, request: ApprovalRequest, answer: ApprovalResponse, ctx: WorkflowContext[Never, str]
    ) -> None:
        await ctx.yield_output(f"{request.draft} -> {'approved' if answer.approved else 'rejected'}")


def build_review_workflow(drafter: Agent) -> Workflow:
    return (
        WorkflowBuilder(start_executor=drafter, name=WORKFLOW_NAME)
        .add_edge(drafter, Review(id="review"))
        .build()
    )
