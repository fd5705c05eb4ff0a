"""A graph's supersteps in the public timeline: one `run_graph_step` record → the events a user sees.

A finished superstep shows `step_scheduled` / `step_completed` for each executor that ran, an
`input_requested` event for each new `request_info`, and an `output` event for each yielded output.
The step activity's own scheduling, and superstep attempts abandoned to run agent calls (each of
those calls is a `run_agent` step of its own), are plumbing and left out.
"""

from typing import Any

from api.history import Record
from api.models import EventType
from orchestrators.contract import RUN_GRAPH_STEP

Mapped = tuple[EventType, str, dict[str, Any]]


def graph_step_events(record: Record) -> list[Mapped] | None:
    """The public events of a `run_graph_step` record; None for any other record."""
    if record.name != RUN_GRAPH_STEP or record.kind not in ("TaskScheduled", "TaskCompleted"):
        return None
    outcome = record.result
    if record.kind == "TaskScheduled" or not isinstance(outcome, dict) or outcome.get("kind") != "step":
        return []
    superstep = {"superstep": outcome.get("superstep")}
    executors = [str(name) for name in outcome.get("executors") or []]
    events: list[Mapped] = [("step_scheduled", name, dict(superstep)) for name in executors]
    events += [("step_completed", name, dict(superstep)) for name in executors]
    new = set(outcome.get("newRequests") or [])
    events += [
        ("input_requested", str(request.get("executor") or ""), request)
        for request in outcome.get("pending") or []
        if isinstance(request, dict) and request.get("requestId") in new
    ]
    events += [("output", "output", {"value": value} | superstep) for value in outcome.get("outputs") or []]
    return events
