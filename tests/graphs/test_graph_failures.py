"""Graphs that cannot finish fail their run with a message that says why.

A loop that never converges stops at `max_iterations`; an executor that raises has its superstep
retried by the graph's retry policy and then fails the run naming the error. Plain executors keep
their shared state and in-flight messages across supersteps (the checkpoint travels as JSON).
"""

import uuid
from collections.abc import Callable

import pytest
from agent_framework import Executor, Workflow, WorkflowBuilder, WorkflowContext, handler
from pydantic import BaseModel

from graphs import GraphRetry, GraphSpec, template_agent
from orchestrators import graph as graph_orchestrator
from tests.graphs.durable_sim import GraphActivities, durable_run, in_process


class Laps(BaseModel):
    laps: int


class Runner(Executor):
    """Goes round `laps` times, counting in shared state, then yields the count."""

    def __init__(self) -> None:
        super().__init__(id="runner")

    @handler
    async def lap(self, left: int, ctx: WorkflowContext[int, dict]) -> None:
        done = int(ctx.get_state("done") or 0) + 1
        ctx.set_state("done", done)
        if left > 1:
            await ctx.send_message(left - 1)
        else:
            await ctx.yield_output({"laps": done})


class Broken(Executor):
    def __init__(self) -> None:
        super().__init__(id="broken")

    @handler
    async def fail(self, laps: int, ctx: WorkflowContext[int]) -> None:
        raise ValueError(f"cannot run {laps} laps")


def loop(max_iterations: int) -> Workflow:
    runner = Runner()
    builder = WorkflowBuilder(start_executor=runner, max_iterations=max_iterations)
    return builder.add_edge(runner, runner).build()


def broken() -> Workflow:
    return WorkflowBuilder(start_executor=Broken()).build()


def spec(build: Callable[[], Workflow]) -> GraphSpec[Laps]:
    return GraphSpec(
        name="laps",
        description="Laps in a loop.",
        input_model=Laps,
        build=build,
        start=lambda given: given.laps,
        retry=GraphRetry(attempts=2, interval_s=1),
    )


def test_a_loop_with_shared_state_gives_the_in_process_output() -> None:
    graph = spec(lambda: loop(20))
    run, activities = durable_run(graph, {"laps": 7}), GraphActivities(graph)

    run.drive(activities)

    assert run.last.output == {"outputs": in_process(graph, {"laps": 7})} == {"outputs": [{"laps": 7}]}
    assert activities.count("run_graph_step") == 7
    assert run.last.custom_status["superstep"] == 7


def test_exhausting_max_iterations_fails_the_run_clearly() -> None:
    graph = spec(lambda: loop(3))
    run, activities = durable_run(graph, {"laps": 7}), GraphActivities(graph)

    run.drive(activities)

    assert run.done and run.last.output is None
    assert "graph 'laps' did not converge" in run.last.error
    assert "after 3 supersteps (max_iterations)" in run.last.error


def test_a_failing_executor_is_retried_then_fails_the_run_with_its_error() -> None:
    graph = spec(broken)
    run, activities = durable_run(graph, {"laps": 2}), GraphActivities(graph)

    run.drive(activities)

    assert run.done and "cannot run 2 laps" in run.last.error
    assert activities.count("run_graph_step") == 2


class Forgetful(Executor):
    """Asks an agent with a prompt that differs on every run of the superstep."""

    def __init__(self) -> None:
        super().__init__(id="forgetful")
        self.agent = template_agent("assistant")

    @handler
    async def ask(self, laps: int, ctx: WorkflowContext[None, str]) -> None:
        reply = await self.agent.run(f"Request {uuid.uuid4()}: how are you?")
        await ctx.yield_output(reply.text)


def test_a_superstep_whose_agent_calls_change_every_run_fails_instead_of_looping(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Fewer rounds than the real limit: each round replays a longer history, so 100 take seconds.
    rounds = 5
    monkeypatch.setattr(graph_orchestrator, "MAX_CALL_ROUNDS", rounds)
    graph = spec(lambda: WorkflowBuilder(start_executor=Forgetful()).build())
    run, activities = durable_run(graph, {"laps": 1}), GraphActivities(graph)

    run.drive(activities, max_episodes=1000)

    assert run.done and f"after {rounds} rounds" in run.last.error
    assert "deterministic" in run.last.error
    assert activities.count("run_agent") == rounds
