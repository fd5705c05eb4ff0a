"""With Entra ID on, every way a person decides for a run needs the Runs.Approver app role,
ending a run that waits for a decision included."""

from collections.abc import Callable
from typing import Any

import pytest

from api import approval, graph_input, runs
from tests.api.api_calls import assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient
from tests.support.principal import principal_headers

PENDING = {"requestId": "q1", "executor": "editor", "data": {}, "responseType": "bool", "responseSchema": {}}
DECISIONS: dict[str, tuple[Callable[..., Any], str, dict[str, Any], Any]] = {
    "approval": (
        approval.run_approval,
        "approval",
        {"approved": True},
        {"step": "awaiting_approval", "index": 2, "of": 3, "last": ""},
    ),
    "graph input": (
        graph_input.run_input,
        "input",
        {"requestId": "q1", "response": True},
        {"step": "awaiting_input", "index": 1, "of": 2, "last": "", "pendingInput": [PENDING]},
    ),
}


def decide(way: str, headers: dict[str, str]) -> tuple[Any, FakeDurableClient]:
    handler, route, body, progress = DECISIONS[way]
    client = FakeDurableClient()
    client.add_run("r1", "approval", status="Running", custom_status=progress)
    req = make_request("POST", f"runs/r1/{route}", body=body, headers=headers, route={"id": "r1"})
    return call(handler, req, client), client


@pytest.mark.parametrize("way", DECISIONS)
def test_without_the_role_the_decision_is_refused(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    reply, client = decide(way, principal_headers("eve@contoso.com", "Runs.Reader"))
    assert_error(reply, 403, "forbidden", "lacks the app role Runs.Approver")
    assert client.raised == []


@pytest.mark.parametrize("way", DECISIONS)
def test_with_the_role_the_signed_in_principal_is_recorded(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    reply, client = decide(way, principal_headers("ann@contoso.com", "Runs.Approver"))
    assert reply.status == 202
    [(_, _, data)] = client.raised
    assert "ann@contoso.com" in (data.get("approver"), data.get("answeredBy"))


@pytest.mark.parametrize("way", DECISIONS)
def test_without_authentication_no_role_is_asked_for(monkeypatch: pytest.MonkeyPatch, way: str) -> None:
    monkeypatch.delenv("WEBSITE_AUTH_ENABLED", raising=False)
    reply, _ = decide(way, principal_headers("spoofed@contoso.com"))
    assert reply.status == 202


def terminate(progress: dict[str, Any], headers: dict[str, str]) -> tuple[Any, FakeDurableClient]:
    client = FakeDurableClient()
    client.add_run("r1", "approval", status="Running", custom_status=progress)
    body = {"reason": "not needed"}
    req = make_request("POST", "runs/r1/terminate", body=body, headers=headers, route={"id": "r1"})
    return call(runs.run_terminate, req, client), client


@pytest.mark.parametrize("way", DECISIONS)
def test_terminating_a_run_that_waits_for_a_person_needs_the_role(
    monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """Ending the wait decides it as surely as a rejection would, with nobody recorded."""
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    progress = DECISIONS[way][3]
    reply, client = terminate(progress, principal_headers("eve@contoso.com", "Runs.Reader"))
    assert_error(reply, 403, "forbidden", "lacks the app role Runs.Approver")
    assert client.terminated == []
    reply, client = terminate(progress, principal_headers("ann@contoso.com", "Runs.Approver"))
    assert reply.status == 202
    assert client.terminated == [("r1", "not needed (by ann@contoso.com)")]


def test_any_signed_in_caller_may_stop_a_working_run_and_is_recorded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    working = {"step": "writer", "index": 1, "of": 3, "last": ""}
    reply, client = terminate(working, principal_headers("eve@contoso.com", "Runs.Reader"))
    assert reply.status == 202
    assert client.terminated == [("r1", "not needed (by eve@contoso.com)")]
    monkeypatch.delenv("WEBSITE_AUTH_ENABLED")
    reply, client = terminate(DECISIONS["approval"][3], principal_headers("spoofed@contoso.com"))
    assert (reply.status, client.terminated) == (202, [("r1", "not needed")])
