"""countdown: a loop of plain executors around shared state, one superstep per lap.

Input `{"laps"}`; one output `{"total"}` (laps + ... + 1). `Lap` adds the count left to a running total
kept in the workflow's shared state and passes the rest of the count on to itself, so `laps` laps are
`laps` supersteps; `make bench` times this graph (no model at all) to show what a durable superstep
costs.
"""

from agent_framework import Executor, Workflow, WorkflowBuilder, WorkflowContext, handler
from pydantic import ConfigDict, Field

from api.workflow_input import WorkflowInput
from graphs import GraphSpec

TOTAL_KEY = "total"


class CountdownInput(WorkflowInput):
    model_config = ConfigDict(json_schema_extra={"examples": [{"laps": 7}]})

    laps: int = Field(7, ge=1, le=50, description="Supersteps to run.")


class Lap(Executor):
    """Adds this lap to the total in shared state; sends the remaining count, or yields the result."""

    def __init__(self) -> None:
        super().__init__(id="lap")

    @handler
    async def lap(self, left: int, ctx: WorkflowContext[int, dict[str, int]]) -> None:
        total = int(ctx.get_state(TOTAL_KEY) or 0) + left
        ctx.set_state(TOTAL_KEY, total)
        if left > 1:
            await ctx.send_message(left - 1)
        else:
            await ctx.yield_output({"total": total})


def build() -> Workflow:
    """lap ⟲ (the self-loop ends on the last lap)."""
    lap = Lap()
    return WorkflowBuilder(name="countdown", start_executor=lap).add_edge(lap, lap).build()


GRAPH = GraphSpec(
    name="countdown",
    description="Graph: a plain executor loops around shared state, one superstep per lap (no model).",
    input_model=CountdownInput,
    build=build,
    start=lambda given: given.laps,
)
