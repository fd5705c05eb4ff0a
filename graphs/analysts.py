"""analysts: three analyst agents in parallel (fan-out), one aggregator over their opinions (fan-in).

Input `{"topic"}`; one output `{"topic", "opinions": {analyst: text}, "summary"}`. Each analyst is
an `AgentExecutor` around a template agent, so each of their calls is its own durable `run_agent`
activity, run in parallel; only the aggregator's result is a workflow output.
"""

from typing import Any

from agent_framework import (
    AgentExecutor,
    AgentExecutorRequest,
    AgentExecutorResponse,
    Executor,
    Message,
    Workflow,
    WorkflowBuilder,
    WorkflowContext,
    handler,
)
from pydantic import ConfigDict, Field

from api.workflow_input import Text, WorkflowInput
from graphs import GraphSpec, template_agent

ANALYSTS = ("market_analyst", "tech_analyst", "risk_analyst")


class AnalystsInput(WorkflowInput):
    model_config = ConfigDict(json_schema_extra={"examples": [{"topic": "a four-day work week"}]})

    topic: Text = Field(description="Subject every analyst gives an opinion on.")


class Brief(Executor):
    """Hands the topic to every analyst."""

    def __init__(self) -> None:
        super().__init__(id="brief")

    @handler
    async def brief(self, topic: str, ctx: WorkflowContext[AgentExecutorRequest]) -> None:
        ctx.set_state("topic", topic)
        await ctx.send_message(AgentExecutorRequest(messages=[Message("user", [f"Topic: {topic}"])]))


class Aggregator(Executor):
    """Summarises the analysts' opinions once all of them have arrived."""

    def __init__(self) -> None:
        super().__init__(id="aggregator")
        self.agent = template_agent("aggregator")

    @handler
    async def combine(
        self, replies: list[AgentExecutorResponse], ctx: WorkflowContext[None, dict[str, Any]]
    ) -> None:
        opinions = {reply.executor_id: reply.agent_response.text for reply in replies}
        topic = str(ctx.get_state("topic"))
        listing = "\n\n".join(f"{name}: {text}" for name, text in sorted(opinions.items()))
        summary = await self.agent.run(f"Topic: {topic}\n\nOpinions:\n{listing}")
        opinions = dict(sorted(opinions.items()))
        await ctx.yield_output({"topic": topic, "opinions": opinions, "summary": summary.text})


def build() -> Workflow:
    """brief → the analysts in parallel → aggregator."""
    brief, aggregator = Brief(), Aggregator()
    analysts = [AgentExecutor(template_agent(name), id=name) for name in ANALYSTS]
    return (
        WorkflowBuilder(name="analysts", start_executor=brief, output_from=[aggregator])
        .add_fan_out_edges(brief, analysts)
        .add_fan_in_edges(analysts, aggregator)
        .build()
    )


GRAPH = GraphSpec(
    name="analysts",
    description="Graph: three analysts in parallel, then an aggregator (fan-out/fan-in).",
    input_model=AnalystsInput,
    build=build,
    start=lambda given: given.topic,
)
