"""The `run_graph_step` activity: the next superstep of a graph (graphs/_step.py).

Input `{"graph", "input"?, "checkpoint"?, "responses"?, "calls"}` from the graph orchestrator;
output one of the outcomes in graphs/_step.py. A graph name no module declares is a permanent
error; an executor that raises fails the step (the graph's retry policy decides what follows).
"""

from typing import Any

from activities.payload import Payload
from agents.errors import PermanentModelError


async def run_graph_step(payload: Payload) -> dict[str, Any]:
    """Run one superstep of the named graph and return its outcome."""
    # Imported here: agent_framework is heavy, and function_app.py must load fast.
    from graphs._discovery import graph_named
    from graphs._step import run_superstep

    if not isinstance(payload, dict) or not isinstance(payload.get("graph"), str):
        raise PermanentModelError("run_graph_step payload needs the field 'graph'")
    try:
        spec = graph_named(payload["graph"])
    except KeyError as error:
        raise PermanentModelError(str(error)) from error
    result: dict[str, Any] = await run_superstep(spec, payload)
    return result
