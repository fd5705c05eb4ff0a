"""Durable runtime statuses as the API shows them, and looking a run up by id.

The durable extension has eight statuses; users get six. ContinuedAsNew is a run still going and
Canceled is a run that was stopped, so they read as Running and Terminated.
"""

from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus
from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus as Runtime

from api.errors import not_found
from api.models import RunStatus

_PUBLIC: dict[Runtime, RunStatus] = {
    Runtime.Pending: "Pending",
    Runtime.Running: "Running",
    Runtime.ContinuedAsNew: "Running",
    Runtime.Completed: "Completed",
    Runtime.Failed: "Failed",
    Runtime.Terminated: "Terminated",
    Runtime.Canceled: "Terminated",
    Runtime.Suspended: "Suspended",
}
ENDED: frozenset[RunStatus] = frozenset({"Completed", "Failed", "Terminated"})
WAITING_FOR_INPUT: frozenset[RunStatus] = frozenset({"Pending", "Running"})
# A workflow waiting for a person reports a progress step named `awaiting_<what>`
# (`awaiting_approval`, a graph's `awaiting_input`): a caller's wait stops there, nothing will change.
AWAITING_PREFIX = "awaiting_"


def public_status(status: DurableOrchestrationStatus) -> RunStatus:
    """The API's name for the run's runtime status (a run the host has not started yet is Pending)."""
    runtime = status.runtime_status
    return _PUBLIC[runtime] if runtime is not None else "Pending"


def waiting_step(status: RunStatus, progress: object) -> str | None:
    """The `awaiting_...` step the run is in, if it is waiting for a person."""
    step = progress.get("step") if isinstance(progress, dict) else None
    if status in WAITING_FOR_INPUT and isinstance(step, str) and step.startswith(AWAITING_PREFIX):
        return step
    return None


def waits_for_person(status: DurableOrchestrationStatus) -> bool:
    """Whether the run now waits for a person (an approval, a graph's input)."""
    return waiting_step(public_status(status), status.custom_status) is not None


def runtime_statuses(public: RunStatus) -> list[Runtime]:
    """Every runtime status shown as `public`, for filtering queries."""
    return [runtime for runtime, name in _PUBLIC.items() if name == public]


async def existing_run(
    client: DurableOrchestrationClient, run_id: str, with_history: bool = False
) -> DurableOrchestrationStatus:
    """The run's status (with its history and step outputs when asked), or 404 when unknown."""
    status = await client.get_status(run_id, show_history=with_history, show_history_output=with_history)
    if not status:
        raise not_found("run", run_id)
    return status
