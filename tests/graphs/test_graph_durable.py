"""Every graph in graphs/, run durably on the orchestration harness, gives its in-process outputs.

The activities are real (the superstep code, run_agent on the offline model), so these tests also
show that each agent call runs exactly once, that people's answers reach the graph, and that a
request nobody answers fails the run naming it.
"""

import json
from typing import Any

import pytest
from agent_framework import Executor, Workflow, WorkflowBuilder, WorkflowContext, handler

from api.catalog import GRAPHS
from api.workflow_input import WorkflowInput
from devhost.episode import flatten
from graphs import GraphSpec
from tests.graphs.durable_sim import (
    GraphActivities,
    durable_run,
    example_answer,
    example_input,
    in_process,
)
from tests.orchestrators.harness import OrchestrationRun

GRAPH_NAMES = sorted(GRAPHS)


class LapsInput(WorkflowInput):
    pass


def answer_all(run: OrchestrationRun, activities: GraphActivities, answer: Any = example_answer) -> None:
    """Drive the run, answering every pending request through the `graph_input` event."""
    last = run.drive(activities, fire_timers=False)
    while not run.done:
        status = last.custom_status
        assert status["step"] == "awaiting_input", status
        for request in status["pendingInput"]:
            run.raise_event("graph_input", {"requestId": request["requestId"], "response": answer(request)})
        last = run.drive(activities, fire_timers=False)


@pytest.mark.parametrize("name", GRAPH_NAMES)
def test_durable_outputs_equal_the_in_process_run(name: str) -> None:
    spec = GRAPHS[name]
    given = example_input(spec)
    run, activities = durable_run(spec, given), GraphActivities(spec)

    answer_all(run, activities)

    assert run.last.output == {"outputs": in_process(spec, given)}
    assert run.last.custom_status["step"] == "done"


def agent_calls_in_process(spec: GraphSpec, given: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> int:
    import activities.run_agent as module

    calls: list[dict[str, Any]] = []
    real = module.run_agent

    async def counting(payload: dict[str, Any]) -> dict[str, Any]:
        calls.append(payload)
        return await real(payload)

    monkeypatch.setattr(module, "run_agent", counting)
    in_process(spec, given)
    monkeypatch.setattr(module, "run_agent", real)
    return len(calls)


@pytest.mark.parametrize("name", GRAPH_NAMES)
def test_each_agent_call_is_one_activity(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = GRAPHS[name]
    given = example_input(spec)
    run, activities = durable_run(spec, given), GraphActivities(spec)

    answer_all(run, activities)

    assert activities.count("run_agent") == agent_calls_in_process(spec, given, monkeypatch)


def test_parallel_agent_calls_of_a_superstep_are_scheduled_together() -> None:
    spec = GRAPHS["analysts"]
    run, activities = durable_run(spec, example_input(spec)), GraphActivities(spec)
    run.drive(activities)

    batches = [
        [a for a in flatten(episode.new_actions) if a.get("functionName") == "run_agent"]
        for episode in run.episodes
    ]
    assert [len(batch) for batch in batches if batch] == [3, 1]


def wait_for_editor() -> tuple[OrchestrationRun, GraphActivities]:
    spec = GRAPHS["editor"]
    run, activities = durable_run(spec, example_input(spec)), GraphActivities(spec)
    run.drive(activities, fire_timers=False)
    return run, activities


def test_a_request_shows_its_data_type_and_schema_while_the_run_waits() -> None:
    run, _ = wait_for_editor()

    status = run.last.custom_status
    assert status["step"] == "awaiting_input" and not run.done
    [request] = status["pendingInput"]
    assert request["executor"] == "editor"
    assert request["responseType"] == "EditorDecision"
    assert request["responseSchema"]["required"] == ["approved"]
    assert request["data"]["topic"] == "our launch announcement"
    assert request["data"]["draft"].startswith("# ")


@pytest.mark.parametrize("as_json_text", [False, True], ids=["object", "sdk-client-json-text"])
def test_a_rejection_reaches_the_graph(as_json_text: bool) -> None:
    """As the object a person posts, or as the string holding its JSON the SDK's client delivers in Azure."""
    run, activities = wait_for_editor()
    [request] = run.last.custom_status["pendingInput"]

    rejection = {"requestId": request["requestId"], "response": {"approved": False}, "decisionId": "d1"}
    run.raise_event("graph_input", json.dumps(rejection) if as_json_text else rejection)
    run.drive(activities, fire_timers=False)

    [output] = run.last.output["outputs"]
    assert output["decision"] == "rejected" and output["comment"] == ""
    assert run.last.custom_status["decided"] == {request["requestId"]: "d1"}  # the API's 202 (or 409)


def test_an_answer_to_an_unknown_request_is_ignored_and_the_run_keeps_waiting() -> None:
    run, activities = wait_for_editor()

    run.raise_event("graph_input", {"requestId": "someone-else", "response": {"approved": True}})
    run.drive(activities, fire_timers=False)

    assert not run.done and run.last.custom_status["step"] == "awaiting_input"


def test_no_answer_within_the_input_timeout_fails_the_run_naming_the_request() -> None:
    run, activities = wait_for_editor()
    [request] = run.last.custom_status["pendingInput"]
    [timer] = run.waiting("timer")
    assert (timer.fire_at - run.last.started_at).total_seconds() == GRAPHS["editor"].input_timeout_s

    run.drive(activities, fire_timers=True)

    assert run.done and run.last.output is None
    assert request["requestId"] in run.last.error and "editor" in run.last.error


class _Laps(Executor):
    """Yields `{"left": n}` every lap, so the progress of a running graph shows an object output."""

    def __init__(self) -> None:
        super().__init__(id="laps")

    @handler
    async def lap(self, left: int, ctx: WorkflowContext[int, dict[str, Any]]) -> None:
        await ctx.yield_output({"left": left, "note": "café"})
        if left > 1:
            await ctx.send_message(left - 1)


def test_an_object_output_shows_in_progress_as_json_not_python_repr() -> None:
    def build() -> Workflow:
        laps = _Laps()
        return WorkflowBuilder(name="laps", start_executor=laps).add_edge(laps, laps).build()

    spec = GraphSpec(name="laps", description="laps", input_model=LapsInput, build=build, start=lambda g: 2)
    run = durable_run(spec, {})

    run.drive(GraphActivities(spec), fire_timers=False)

    running = [status for status in run.statuses if status["step"] == "laps"]
    assert running and running[0]["last"] == '{"left": 2, "note": "café"}'
    assert json.loads(running[0]["last"]) == run.last.output["outputs"][0]
