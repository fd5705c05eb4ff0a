"""Graphs driven the two ways a user runs them, for comparing: in-process, and durably on the harness.

`in_process` is `await build().run(start(input))` (answering each `request_info` with `answers`, then
`run(responses=...)`), JSON-encoded. `GraphActivities` plays the app's activities for the graph
orchestrator on the orchestration harness: `run_graph_step` runs the real superstep code,
`run_agent` the real activity on the offline model, and it counts every call.
"""

import asyncio
import json
from collections.abc import Callable
from typing import Any

from activities.run_agent import run_agent
from graphs import GraphSpec
from graphs._json import to_json
from graphs._registration import orchestrator_for
from graphs._step import run_superstep
from tests.orchestrators.harness import OrchestrationRun

Answer = Callable[[dict[str, Any]], Any]


def example_input(spec: GraphSpec) -> dict[str, Any]:
    """The first example of the graph's input schema (every graph documents one)."""
    examples = spec.input_model.model_json_schema().get("examples")
    assert examples, f"graph '{spec.name}': add json_schema_extra={{'examples': [...]}} to its input model"
    return dict(examples[0])


def example_answer(request: dict[str, Any]) -> Any:
    """The first example of a pending request's response schema."""
    examples = request["responseSchema"].get("examples")
    assert examples, f"request from '{request['executor']}': its response type documents no example"
    return examples[0]


def in_process(spec: GraphSpec, given: dict[str, Any], answer: Answer = example_answer) -> list[Any]:
    """The JSON-encoded outputs of an in-process run, answering every request with `answer`."""

    async def run() -> list[Any]:
        from graphs._json import describe_request

        workflow = spec.build()
        result = await workflow.run(spec.start(spec.input_model.model_validate(given)))
        outputs = list(result.get_outputs())
        while requests := result.get_request_info_events():
            responses = {e.request_id: answer(describe_request(e.request_id, e)) for e in requests}
            result = await workflow.run(responses=responses)
            outputs += result.get_outputs()
        return json.loads(json.dumps(to_json(outputs)))

    return asyncio.run(run())


class GraphActivities:
    """The activities a graph orchestration calls, run for real; `calls` counts them by name."""

    def __init__(self, spec: GraphSpec) -> None:
        self.spec = spec
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, name: str, payload: Any) -> Any:
        self.calls.append((name, payload))
        # JSON round trips, as the host persists inputs and results.
        payload = json.loads(json.dumps(payload))
        if name == "run_graph_step":
            return json.loads(json.dumps(asyncio.run(run_superstep(self.spec, payload))))
        if name == "run_agent":
            return asyncio.run(run_agent(payload))
        raise AssertionError(f"unexpected activity {name!r}")

    def count(self, name: str) -> int:
        return sum(1 for called, _ in self.calls if called == name)


def durable_run(spec: GraphSpec, given: dict[str, Any], instance_id: str = "graph-1") -> OrchestrationRun:
    """A started run of the graph's orchestrator on the harness."""
    run = OrchestrationRun(orchestrator_for(spec), given, instance_id=instance_id)
    run.start()
    return run
