"""`panel`: a plain executor asks two agents in parallel (fan-out/fan-in), a plain tally keeps a count
in shared state, and a switch-case picks the executor that yields the output."""

from dataclasses import dataclass
from typing import Never

from agent_framework import (
    Agent,
    AgentExecutorResponse,
    Case,
    Default,
    Executor,
    Workflow,
    WorkflowBuilder,
    WorkflowContext,
    handler,
)

WORKFLOW_NAME = "panel"


@dataclass
class Tally:
    replies: list[str]
    words: int


class Ask(Executor):
    """Puts the question to every panellist."""

    @handler
    async def ask(self, question: str, ctx: WorkflowContext[str]) -> None:
        await ctx.send_message(f"Panel question: {question}")


class Collect(Executor):
    """Counts the words of both replies and remembers the count in shared state."""

    @handler
    async def collect(self, replies: list[AgentExecutorResponse], ctx: WorkflowContext[Tally]) -> None:
        texts = sorted(reply.agent_response.text for reply in replies)
        words = sum(len(text.split()) for text in texts)
        ctx.set_state("words", words)
        await ctx.send_message(Tally(texts, words))


class Long(Executor):
    @handler
    async def long(self, tally: Tally, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"long ({ctx.get_state('words')} words): {' | '.join(tally.replies)}")


class Short(Executor):
    @handler
    async def short(self, tally: Tally, ctx: WorkflowContext[Never, str]) -> None:
        await ctx.yield_output(f"short ({ctx.get_state('words')} words): {' | '.join(tally.replies)}")


def build_panel_workflow(optimist: Agent, skeptic: Agent) -> Workflow:
    ask, collect, long, short = Ask(id="ask"), Collect(id="collect"), Long(id="long"), Short(id="short")
    return (
        WorkflowBuilder(start_executor=ask, name=WORKFLOW_NAME, output_from=[long, short])
        .add_fan_out_edges(ask, [optimist, skeptic])
        .add_fan_in_edges([optimist, skeptic], collect)
        .add_switch_case_edge_group(collect, [Case(condition=_is_long, target=long), Default(target=short)])
        .build()
    )


def _is_long(tally: Tally) -> bool:
    return tally.words > 8
