"""Which of several decisions raised together a run took, read from its history.

Two people deciding at the same moment both find the run waiting and both raise their event. The
orchestrator takes the first matching event in its history (a `task_any` of the event and the wait's
deadline timer) and ignores the rest, so answering both with 202 would tell one of them a decision
was applied that never was. Every decision therefore carries an id (`decisionId` in the event), and
after raising it the API reads the history until the run has seen it: the first matching event is
ours → taken; another one came first, or the wait's deadline fired first, or the run ended before
seeing it → refused, saying what happened instead. The history is the orchestrator's own record of
what it received, in its order, on the embedded host and in Azure alike.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from azure.durable_functions import DurableOrchestrationClient
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus

from api.history import event_kind, history_events, parse_json_text
from api.run_status import ENDED, public_status
from api.waiting import poll_until

DECISION_ID = "decisionId"
# How long to wait for the run to receive a decision before answering 202 without knowing the outcome
# (the Azure Storage backend delivers an event within a second or two; the embedded host at once).
CONFIRM_WAIT_S = 10.0


@dataclass(frozen=True)
class Refusal:
    """Why a decision was not taken, for the 409: what the run did, as in "run 'x' <message>"."""

    message: str


async def outcome(
    client: DurableOrchestrationClient,
    run_id: str,
    event: str,
    decision_id: str,
    same_wait: Callable[[Any], bool],
    describe_rival: Callable[[Any], str],
) -> Refusal | None:
    """None when the run took our decision (or did not receive it within CONFIRM_WAIT_S); else why not.

    `same_wait(data)`: whether an event's data answers the same wait as ours (a graph's request id).
    `describe_rival(data)`: the decision taken instead, for the message.
    """

    async def fetch() -> DurableOrchestrationStatus:
        return await client.get_status(run_id, show_history=True, show_history_output=True)

    def settled(status: DurableOrchestrationStatus) -> bool:
        return public_status(status) in ENDED or _position(status, event, decision_id) is not None

    status, known = await poll_until(fetch, settled, CONFIRM_WAIT_S, just_started=True)
    if not known:
        return None
    history = history_events(status)
    ours = _position(status, event, decision_id)
    if ours is None:
        return Refusal(f"ended ({public_status(status)}) before it received the decision")
    rival = _first_answer(history, event, same_wait)
    if rival is not None and rival[0] < ours:
        return Refusal(f"took another decision first ({describe_rival(rival[1])})")
    if _deadline_fired_before(history, ours):
        return Refusal("stopped waiting (its timeout fired) before the decision arrived")
    return None


def _raised(history: list[dict[str, Any]], event: str) -> list[tuple[int, Any]]:
    """(position in the history, data) of every `event` the run received, in the order it received them."""
    return [
        (index, parse_json_text(entry.get("Input")))
        for index, entry in enumerate(history)
        if _kind(entry) == "EventRaised" and entry.get("Name") == event
    ]


def _position(status: DurableOrchestrationStatus, event: str, decision_id: str) -> int | None:
    found = (i for i, data in _raised(history_events(status), event) if _decision_id(data) == decision_id)
    return next(found, None)


def _first_answer(history: list[dict[str, Any]], event: str, same_wait: Callable[[Any], bool]) -> Any:
    return next(((i, data) for i, data in _raised(history, event) if same_wait(data)), None)


def _deadline_fired_before(history: list[dict[str, Any]], position: int) -> bool:
    """Whether the wait's deadline (the last timer created before the event) fired before it."""
    created = [e for e in history[:position] if _kind(e) == "TimerCreated"]
    if not created:
        return False
    fire_at = created[-1].get("FireAt")
    return any(_kind(e) == "TimerFired" and e.get("FireAt") == fire_at for e in history[:position])


def _decision_id(data: Any) -> Any:
    return data.get(DECISION_ID) if isinstance(data, dict) else None


def _kind(entry: dict[str, Any]) -> str:
    return event_kind(entry.get("EventType"))
