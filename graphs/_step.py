"""One superstep of a graph, run by agent-framework's own runner (design (b) in docs/graphs.md).

The step restores the checkpoint the orchestrator holds (or seeds the start message on the first
step), delivers any answers, runs exactly one Pregel superstep through the workflow's runner and
stops at `superstep_completed`, right after the runner saved the superstep's checkpoint. Routing,
edge conditions, fan-in buffers, shared-state commits, `max_iterations` and request handling are
therefore the in-process runner's own, not a re-implementation.

Agent calls go through `graphs._calls`: when the superstep reaches a call that is not
recorded yet, it is abandoned (after every parallel branch has had the chance to reach its own
call) and the orchestrator runs the missing calls as activities before running the superstep again.

Outcomes (JSON, the `run_graph_step` activity's result):
- `{"kind": "calls", "calls": [{"key", "payload"}]}`: run these, then this step again;
- `{"kind": "step", "superstep", "limit", "executors", "outputs", "checkpoint", "pending",
  "newRequests", "more"}`: the superstep finished;
- `{"kind": "failed", "error"}`: the graph cannot go on (e.g. `max_iterations` exhausted).
"""

import asyncio
import json
from collections.abc import AsyncIterable, Mapping, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

from agent_framework import Workflow, WorkflowCheckpoint, WorkflowConvergenceException

from graphs._calls import JsonObject, StepCalls, recording
from graphs._checkpoints import StepStorage, decode, encode
from graphs._json import describe_request, to_json
from graphs._quiet import quiet_superstep
from graphs._spec import AnyGraph

# Event-loop turns without a new missing call before an abandoned superstep is cut short. Only cost
# depends on it: a call reached later is simply recorded in the next round.
SETTLE_TURNS = 50


class GraphStepError(RuntimeError):
    """The superstep raised: an executor failed (the orchestrator's retry policy applies)."""


@dataclass
class _Observed:
    superstep: int = 0
    executors: list[str] = field(default_factory=list)
    outputs: list[Any] = field(default_factory=list)


async def run_superstep(spec: AnyGraph, request: JsonObject) -> JsonObject:
    """Run the next superstep of `spec` for the orchestrator's `request` (see the module docstring)."""
    with quiet_superstep():
        return await _run_superstep(spec, request)


async def _run_superstep(spec: AnyGraph, request: JsonObject) -> JsonObject:
    workflow = spec.build()
    storage = StepStorage()
    previous = decode(request["checkpoint"]) if request.get("checkpoint") else None
    if previous is not None:
        await storage.save(previous)
    calls = StepCalls(request.get("calls") or {})
    try:
        observed = await _drive(_events(spec, workflow, storage, previous, request), calls)
    except WorkflowConvergenceException:
        return {
            "kind": "failed",
            "error": f"graph '{spec.name}' did not converge: messages were still in flight after "
            f"{workflow.max_iterations} supersteps (max_iterations)",
        }
    if observed is None:
        return {"kind": "calls", "calls": calls.missing}
    return _step_result(storage, previous, observed, workflow.max_iterations)


def _events(
    spec: AnyGraph,
    workflow: Workflow,
    storage: StepStorage,
    previous: WorkflowCheckpoint | None,
    request: JsonObject,
) -> AsyncIterable[Any]:
    """The runner's events for this superstep (non-streaming mode, as `await workflow.run(...)` uses)."""
    responses: Mapping[str, Any] | None = request.get("responses") or None
    if previous is None:
        given = spec.input_model.model_validate_json(json.dumps(request["input"]))
        message = spec.start(given)
        # `_run_core` is the generator both `run()` modes consume; iterating it with streaming off keeps
        # executors in the same mode as an in-process `await workflow.run(...)`.
        return workflow._run_core(message, checkpoint_storage=storage, streaming=False)
    return workflow._run_core(
        responses=responses, checkpoint_id=previous.checkpoint_id, checkpoint_storage=storage, streaming=False
    )


async def _drive(events: AsyncIterable[Any], calls: StepCalls) -> _Observed | None:
    """The superstep's observations, or None when it was abandoned for missing calls."""
    with recording(calls):
        consume = asyncio.create_task(_consume(events))
    missed = asyncio.create_task(calls.missed.wait())
    try:
        await asyncio.wait({consume, missed}, return_when=asyncio.FIRST_COMPLETED)
        if consume.done():
            return consume.result()
        await _settle(calls, consume)
        if consume.done() and not calls.missing:
            return consume.result()
        return None
    finally:
        for task in (consume, missed):
            task.cancel()
        await asyncio.gather(consume, missed, return_exceptions=True)


async def _settle(calls: StepCalls, consume: "asyncio.Task[_Observed]") -> None:
    """Let every branch of the superstep reach its own call before abandoning it."""
    seen, quiet = len(calls.missing), 0
    while quiet < SETTLE_TURNS and not consume.done():
        await asyncio.sleep(0)
        quiet = quiet + 1 if len(calls.missing) == seen else 0
        seen = len(calls.missing)


async def _consume(events: AsyncIterable[Any]) -> _Observed:
    observed = _Observed()
    try:
        async with aclosing(events):  # type: ignore[type-var]
            async for event in events:
                if event.type == "executor_invoked" and event.executor_id not in observed.executors:
                    observed.executors.append(event.executor_id)
                elif event.type == "output":
                    observed.outputs.append(to_json(event.data))
                elif event.type == "superstep_completed":
                    observed.superstep = event.iteration
                    return observed
    except (WorkflowConvergenceException, asyncio.CancelledError):
        raise
    except Exception as error:
        raise GraphStepError(f"{type(error).__name__}: {error}") from error
    return observed


def _step_result(
    storage: StepStorage, previous: WorkflowCheckpoint | None, observed: _Observed, limit: int
) -> JsonObject:
    checkpoint = storage.latest
    if checkpoint is None:
        raise GraphStepError("the superstep saved no checkpoint")
    before: Sequence[str] = list(previous.pending_request_info_events) if previous is not None else []
    pending = checkpoint.pending_request_info_events
    return {
        "kind": "step",
        "superstep": observed.superstep,
        "limit": limit,
        "executors": observed.executors,
        "outputs": observed.outputs,
        "checkpoint": encode(checkpoint),
        "pending": [describe_request(request_id, event) for request_id, event in pending.items()],
        "newRequests": [request_id for request_id in pending if request_id not in before],
        "more": any(checkpoint.messages.values()),
    }
