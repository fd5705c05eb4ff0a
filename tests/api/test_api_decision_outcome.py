"""Decisions raised at the same moment: the one the run took gets 202, every other one a 409 saying
what the run did instead; read from the history, in the order the orchestrator received its events."""

import json
from typing import Any

import pytest

from api import approval, decision_outcome, graph_input
from tests.api.api_calls import assert_error, call, make_request
from tests.api.durable_fake import T0, FakeDurableClient, stamp

WAITING = {"step": "awaiting_approval", "index": 2, "of": 3, "last": "draft ready"}
REQUEST = {"requestId": "q1", "executor": "editor", "data": {}, "responseType": "bool", "responseSchema": {}}
WAITING_FOR_INPUT = {"step": "awaiting_input", "index": 1, "of": 5, "last": "", "pendingInput": [REQUEST]}


def event(kind: str, **fields: Any) -> dict[str, Any]:
    return {"EventType": kind, "Timestamp": stamp(T0), **fields}


def raised(name: str, data: dict[str, Any]) -> dict[str, Any]:
    return event("EventRaised", Name=name, Input=json.dumps(data))


def approve(client: FakeDurableClient, body: dict[str, Any]) -> Any:
    req = make_request("POST", "runs/r1/approval", body=body, route={"id": "r1"})
    return call(approval.run_approval, req, client)


def answer(client: FakeDurableClient, body: dict[str, Any]) -> Any:
    req = make_request("POST", "runs/r1/input", body=body, route={"id": "r1"})
    return call(graph_input.run_input, req, client)


def waiting_run(history: list[dict[str, Any]], progress: dict[str, Any] = WAITING) -> FakeDurableClient:
    client = FakeDurableClient()
    client.add_run("r1", "approval", status="Running", custom_status=progress, history=list(history))
    return client


def test_the_decision_the_run_received_first_wins_and_the_other_is_told_which_one() -> None:
    rival = raised("approval", {"approved": False, "approver": "bob", "decisionId": "b" * 32})
    client = waiting_run([rival])
    reply = approve(client, {"approved": True, "approver": "ann"})
    assert_error(reply, 409, "conflict", "took another decision first (rejected by bob)")


def test_a_decision_received_first_is_taken() -> None:
    client = waiting_run([event("TimerCreated", FireAt="2024-05-02T12:00:00Z")])
    assert approve(client, {"approved": True, "approver": "ann"}).status == 202


def test_a_decision_that_arrives_after_the_wait_timed_out_is_refused() -> None:
    retry = "2024-05-01T12:00:05Z"  # a backoff timer of an earlier step fired: not the wait's deadline
    deadline = "2024-05-02T12:00:00Z"
    history = [event("TimerCreated", FireAt=retry), event("TimerFired", FireAt=retry)]
    history.append(event("TimerCreated", FireAt=deadline))
    assert approve(waiting_run(history), {"approved": True}).status == 202
    history.append(event("TimerFired", FireAt=deadline))
    reply = approve(waiting_run(history), {"approved": True})
    assert_error(reply, 409, "conflict", "stopped waiting (its timeout fired)")


def test_a_graph_answer_loses_only_to_an_earlier_answer_to_the_same_request() -> None:
    other = raised("graph_input", {"requestId": "q0", "response": True, "decisionId": "c" * 32})
    client = waiting_run([other], WAITING_FOR_INPUT)
    assert answer(client, {"requestId": "q1", "response": True}).status == 202
    rival = raised("graph_input", {"requestId": "q1", "response": False, "answeredBy": "bob"})
    client = waiting_run([rival], WAITING_FOR_INPUT)
    reply = answer(client, {"requestId": "q1", "response": True})
    assert_error(reply, 409, "conflict", "took another decision first (an answer by bob)")


class SilentClient(FakeDurableClient):
    """A run that does not receive the event: it ends instead, or stays busy."""

    def __init__(self, ends: bool) -> None:
        super().__init__()
        self.ends = ends

    async def raise_event(self, instance_id: str, event_name: str, event_data: Any = None) -> None:
        self.raised.append((instance_id, event_name, event_data))
        if self.ends:
            self.runs[instance_id].status = "Terminated"


def test_a_run_that_ends_before_receiving_the_decision_refuses_it() -> None:
    client = SilentClient(ends=True)
    client.add_run("r1", "approval", status="Running", custom_status=WAITING)
    reply = approve(client, {"approved": True})
    assert_error(reply, 409, "conflict", "ended (Terminated) before it received")


def test_a_decision_not_received_in_time_is_accepted_with_its_outcome_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(decision_outcome, "CONFIRM_WAIT_S", 0.05)
    client = SilentClient(ends=False)
    client.add_run("r1", "approval", status="Running", custom_status=WAITING)
    assert approve(client, {"approved": True}).status == 202


def test_a_run_that_ended_between_the_check_and_the_event_is_409_not_500() -> None:
    class EndsFirst(FakeDurableClient):
        async def raise_event(self, instance_id: str, event_name: str, event_data: Any = None) -> None:
            self.runs[instance_id].status = "Completed"
            await super().raise_event(instance_id, event_name, event_data)

    client = EndsFirst()
    client.add_run("r1", "approval", status="Running", custom_status=WAITING)
    assert_error(approve(client, {"approved": True}), 409, "conflict", "ended before the decision arrived")
