"""graph: the one orchestrator every agent-framework graph in graphs/ runs on, a superstep per step.

Input: the graph's validated input; output `{"outputs": [...]}`, the outputs the graph yielded, in
order (what `get_outputs()` gives in-process). Each superstep is one `run_graph_step` activity run by
agent-framework's own runner (docs/graphs.md); its result carries the checkpoint the next superstep
restores, so shared state and in-flight messages live in this history. When a superstep reaches
agent calls not recorded yet, they run here as `run_agent` activities (in parallel, transient
failures retried with durable backoff) and the superstep runs again with their results.

When the graph converges with requests pending (`ctx.request_info`), the run waits for the event
`graph_input` (`{"requestId", "response"}`) or `input_timeout_s`, whichever comes first; a timeout
fails the run naming the request. `max_iterations` exhaustion fails the run too.
Progress: `{"step": <executors of the last superstep>, "index": superstep, "of": max_iterations,
"last", "superstep", "executors"}`; while waiting `step` is `awaiting_input` and `pendingInput` lists
the requests; an answer taken is listed under `decided` (`{<request id>: <decision id>}`); then `done`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

import azure.durable_functions as df
from azure.durable_functions.models.Task import TimerTask

from orchestrators.contract import AWAITING_INPUT, DONE, GRAPH_INPUT_EVENT, RUN_GRAPH_STEP
from orchestrators.payloads import json_value
from orchestrators.progress import report, take_decision
from orchestrators.retry import Steps, call_agents

# Rounds of agent calls one superstep may need. A superstep whose calls change every time it runs
# (a prompt built from the clock or a random id) would otherwise ask for new calls forever.
MAX_CALL_ROUNDS = 100


class GraphFailed(Exception):
    """The graph cannot finish: it did not converge, or nobody answered its request in time."""


@dataclass(frozen=True)
class GraphRun:
    """What the orchestrator needs to know about one graph (plain values: replay stays pure)."""

    name: str
    input_timeout_s: int
    retry: df.RetryOptions


def graph_orchestrator(graph: GraphRun) -> Callable[[df.DurableOrchestrationContext], Steps]:
    """The orchestrator function registered under the graph's name."""

    def orchestrate(context: df.DurableOrchestrationContext) -> Steps:
        return (yield from run_graph(context, graph))

    orchestrate.__name__ = orchestrate.__qualname__ = graph.name
    return orchestrate


def run_graph(context: df.DurableOrchestrationContext, graph: GraphRun) -> Steps:
    """Run supersteps until the graph converges, waiting for people in between when it asks."""
    request: dict[str, Any] = {"graph": graph.name, "input": context.get_input(), "calls": {}}
    outputs: list[Any] = []
    while True:
        step = yield from run_superstep(context, graph, request)
        outputs.extend(step["outputs"])
        request = {"graph": graph.name, "checkpoint": step["checkpoint"], "calls": {}}
        executors = step["executors"]
        progress = {"superstep": step["superstep"], "executors": executors}
        last = step["outputs"][-1] if step["outputs"] else ", ".join(executors)
        if step["more"]:
            report(context, ", ".join(executors), step["superstep"], step["limit"], last, **progress)
            continue
        if not step["pending"]:
            break
        report(context, AWAITING_INPUT, step["superstep"], step["limit"], last, **progress,
               pendingInput=step["pending"])  # fmt: skip
        request["responses"] = yield from wait_for_answer(context, graph, step["pending"])
    report(context, DONE, step["superstep"], step["limit"], f"{len(outputs)} output(s)", **progress)
    return {"outputs": outputs}


def run_superstep(context: df.DurableOrchestrationContext, graph: GraphRun, request: dict[str, Any]) -> Steps:
    """One finished superstep's outcome, after running the agent calls it needed."""
    for _ in range(MAX_CALL_ROUNDS):
        outcome = yield context.call_activity_with_retry(RUN_GRAPH_STEP, graph.retry, request)
        if outcome["kind"] == "failed":
            raise GraphFailed(outcome["error"])
        if outcome["kind"] == "step":
            return outcome
        calls = outcome["calls"]
        requests = [(call["payload"]["agent"], call["payload"]["messages"]) for call in calls]
        results = yield from call_agents(context, requests)
        for call, result in zip(calls, results, strict=True):
            request["calls"].setdefault(call["key"], []).append(result)
    raise GraphFailed(
        f"graph '{graph.name}': a superstep still asked for new agent calls after {MAX_CALL_ROUNDS} rounds; "
        "are its prompts deterministic (no clock, random ids or other run-to-run differences)?"
    )


def wait_for_answer(
    context: df.DurableOrchestrationContext, graph: GraphRun, pending: list[dict[str, Any]]
) -> Steps:
    """`{request id: response}` for the first answer to a pending request; fails on timeout."""
    waiting = {request["requestId"] for request in pending}
    # The SDK annotates create_timer as TaskBase; it returns a TimerTask, the one that can be cancelled.
    fire_at = context.current_utc_datetime + timedelta(seconds=graph.input_timeout_s)
    deadline = cast(TimerTask, context.create_timer(fire_at))
    while True:
        answer = context.wait_for_external_event(GRAPH_INPUT_EVENT)
        winner = yield context.task_any([answer, deadline])
        if winner == deadline:
            asked = ", ".join(f"'{r['requestId']}' (executor '{r['executor']}')" for r in pending)
            raise GraphFailed(
                f"graph '{graph.name}': no answer to request {asked} within {graph.input_timeout_s} s"
            )
        given = json_value(answer.result)
        if isinstance(given, dict) and given.get("requestId") in waiting:
            deadline.cancel()
            take_decision(context, given["requestId"], given)
            return {given["requestId"]: given.get("response")}
