"""Decisions sent at the same moment: the one the run took gets 202, every other one a 409 saying
what the run did instead, read from the `decided` ids the orchestrators publish in their progress."""

from typing import Any

import pytest

from api import approval, decision_outcome, graph_input
from tests.api.api_calls import assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient

WAITING = {"step": "awaiting_approval", "index": 2, "of": 3, "last": "draft ready"}
REQUEST = {"requestId": "q1", "executor": "editor", "data": {}, "responseType": "bool", "responseSchema": {}}
WAITING_FOR_INPUT = {"step": "awaiting_input", "index": 1, "of": 5, "last": "", "pendingInput": [REQUEST]}


def approve(client: FakeDurableClient, body: dict[str, Any]) -> Any:
    req = make_request("POST", "runs/r1/approval", body=body, route={"id": "r1"})
    return call(approval.run_approval, req, client)


def answer(client: FakeDurableClient, body: dict[str, Any]) -> Any:
    req = make_request("POST", "runs/r1/input", body=body, route={"id": "r1"})
    return call(graph_input.run_input, req, client)


def waiting_run(progress: dict[str, Any], client: FakeDurableClient | None = None) -> FakeDurableClient:
    client = client or FakeDurableClient()
    client.add_run("r1", "approval", status="Running", custom_status=progress)
    return client


def test_the_decision_the_run_took_is_202_and_one_sent_with_it_is_409() -> None:
    """The fake takes the first decision per wait, as the orchestrators do, and lists it under `decided`."""
    client = waiting_run(WAITING)
    assert approve(client, {"approved": True, "approver": "ann"}).status == 202
    reply = approve(client, {"approved": False, "approver": "bob"})  # the check still sees it waiting
    assert_error(reply, 409, "conflict", "took another decision, sent at the same moment, first")
    [(_, _, taken), _] = client.raised
    assert client.runs["r1"].custom_status["decided"] == {"approval": taken["decisionId"]}


def test_a_decision_raised_without_an_id_that_was_taken_first_also_wins() -> None:
    client = waiting_run({**WAITING, "decided": {"approval": None}})
    assert_error(approve(client, {"approved": True}), 409, "conflict", "took another decision")


def test_a_graph_answer_loses_only_to_an_answer_to_the_same_request() -> None:
    client = waiting_run({**WAITING_FOR_INPUT, "decided": {"q0": "c" * 32}})
    assert answer(client, {"requestId": "q1", "response": True}).status == 202
    client = waiting_run({**WAITING_FOR_INPUT, "decided": {"q1": "d" * 32}})
    assert_error(answer(client, {"requestId": "q1", "response": True}), 409, "conflict", "took another")


class SilentClient(FakeDurableClient):
    """A run that takes no decision: it ends instead (its wait timed out), or stays busy."""

    def __init__(self, ends: bool) -> None:
        super().__init__()
        self.ends = ends

    async def raise_event(self, instance_id: str, event_name: str, event_data: Any = None) -> None:
        self.raised.append((instance_id, event_name, event_data))
        if self.ends:
            self.runs[instance_id].status = "Completed"


def test_a_run_that_ends_without_taking_the_decision_refuses_it() -> None:
    client = waiting_run(WAITING, SilentClient(ends=True))
    reply = approve(client, {"approved": True})
    assert_error(reply, 409, "conflict", "ended (Completed) before it took the decision")


def test_a_decision_not_taken_in_time_is_accepted_with_its_outcome_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(decision_outcome, "CONFIRM_WAIT_S", 0.05)
    client = waiting_run(WAITING, SilentClient(ends=False))
    assert approve(client, {"approved": True}).status == 202


def test_a_run_that_ended_between_the_check_and_the_event_is_409_not_500() -> None:
    class EndsFirst(FakeDurableClient):
        async def raise_event(self, instance_id: str, event_name: str, event_data: Any = None) -> None:
            self.runs[instance_id].status = "Completed"
            await super().raise_event(instance_id, event_name, event_data)

    client = waiting_run(WAITING, EndsFirst())
    assert_error(approve(client, {"approved": True}), 409, "conflict", "ended before the decision arrived")
