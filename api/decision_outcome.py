"""Which of several decisions sent at the same moment a run took.

Two people deciding at the same moment both find the run waiting and both raise their event. The
orchestrator takes the first one it receives and ignores the rest, so answering both with 202 would
tell one of them a decision was applied that never was. Every decision therefore carries a fresh
id (`decisionId` in the event), the orchestrator publishes the id of each decision it takes in its
progress (`decided`, `{<wait>: <decision id>}`, orchestrators/progress.py), and after raising its
event the API reads the status until the run has taken a decision for that wait: ours → taken;
another → refused; the run ended without taking one (its wait timed out, it was terminated) →
refused. A plain status read is enough (the history, which grows with the run, is never read).
"""

from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.run_status import ENDED, public_status
from api.waiting import poll_until
from orchestrators.contract import DECIDED

# How long to wait for the run to take a decision before answering 202 without knowing the outcome
# (the Azure Storage backend delivers an event within a second or two; the embedded host at once).
CONFIRM_WAIT_S = 10.0
_NOT_TAKEN = object()


async def refusal(client: DurableOrchestrationClient, run_id: str, wait: str, decision_id: str) -> str | None:
    """None when the run took our decision (or has taken none for `wait` within CONFIRM_WAIT_S);
    else what the run did instead, worded to follow "run '<id>' "."""

    async def fetch() -> DurableOrchestrationStatus:
        return await client.get_status(run_id)

    def settled(status: DurableOrchestrationStatus) -> bool:
        return public_status(status) in ENDED or _taken(status, wait) is not _NOT_TAKEN

    status, known = await poll_until(fetch, settled, CONFIRM_WAIT_S, just_started=True)
    taken = _taken(status, wait)
    if not known or taken == decision_id:
        return None
    if taken is _NOT_TAKEN:
        return f"ended ({public_status(status)}) before it took the decision"
    return "took another decision, sent at the same moment, first"


def _taken(status: DurableOrchestrationStatus, wait: str) -> object:
    """The id of the decision the run took for `wait` (None: one without an id), or _NOT_TAKEN."""
    progress = status.custom_status
    decided = progress.get(DECIDED) if isinstance(progress, dict) else None
    return decided.get(wait, _NOT_TAKEN) if isinstance(decided, dict) else _NOT_TAKEN
