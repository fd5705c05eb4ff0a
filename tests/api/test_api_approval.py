"""`POST /runs/{id}/approval`: 202 only while the run waits for approval; who approved is recorded."""

import pytest

from api import approval
from tests.api.api_calls import assert_documented, assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient, decisions_raised
from tests.support.principal import principal_headers as principal

WAITING = {"step": "awaiting_approval", "index": 2, "of": 3, "last": "draft ready"}


def approve(client: FakeDurableClient, body: object, run_id: str = "r1", headers: dict | None = None):
    req = make_request("POST", f"runs/{run_id}/approval", body=body, headers=headers, route={"id": run_id})
    return call(approval.run_approval, req, client)


def waiting_client(status: str = "Running", progress: object = WAITING) -> FakeDurableClient:
    client = FakeDurableClient()
    client.add_run("r1", "approval", status=status, custom_status=progress)
    return client


def test_decision_is_raised_as_the_approval_event() -> None:
    client = waiting_client()
    reply = approve(client, {"approved": True, "comment": "ship it", "approver": "bob"})
    assert reply.status == 202
    assert reply.json == {"id": "r1", "approved": True, "comment": "ship it", "approver": "bob"}
    assert decisions_raised(client) == [
        ("r1", "approval", {"approved": True, "comment": "ship it", "approver": "bob"})
    ]
    assert_documented(reply.json, "ApprovalAccepted")


def test_signed_in_approver_wins_over_the_body_approver(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "True")
    client = waiting_client()
    headers = principal("ann@contoso.com", "Runs.Approver")
    reply = approve(client, {"approved": False, "approver": "mallory"}, headers=headers)
    assert reply.status == 202
    assert decisions_raised(client) == [
        ("r1", "approval", {"approved": False, "comment": None, "approver": "ann@contoso.com"})
    ]


@pytest.mark.parametrize(
    ("headers", "says"),
    [
        (principal("eve@contoso.com"), "'eve@contoso.com' lacks the app role Runs.Approver"),
        (principal("eve@contoso.com", "Runs.Reader"), "lacks the app role Runs.Approver"),
        ({}, "sign in with a principal holding the app role Runs.Approver"),
        ({"X-MS-CLIENT-PRINCIPAL": "not base64 json!"}, "sign in"),
    ],
)
def test_with_entra_id_on_deciding_needs_the_approver_role(
    monkeypatch: pytest.MonkeyPatch, headers: dict[str, str], says: str
) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    client = waiting_client()
    assert_error(approve(client, {"approved": True}, headers=headers), 403, "forbidden", says)
    assert client.raised == []


def test_the_role_is_read_from_the_principal_document_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """Service principals and some token flows send no -NAME header; the claims still name them."""
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "True")
    client = waiting_client()
    headers = {"x-ms-client-principal": principal("ops-bot", "Runs.Approver")["X-MS-CLIENT-PRINCIPAL"]}
    assert approve(client, {"approved": True}, headers=headers).status == 202
    assert client.raised[0][2]["approver"] == "ops-bot"


def test_principal_header_is_ignored_without_platform_authentication(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEBSITE_AUTH_ENABLED", raising=False)
    client = waiting_client()
    headers = {"X-MS-CLIENT-PRINCIPAL-NAME": "spoofed@contoso.com"}
    assert approve(client, {"approved": True, "approver": "bob"}, headers=headers).status == 202
    assert client.raised[0][2]["approver"] == "bob"


def test_minimal_body_sends_nulls() -> None:
    client = waiting_client()
    assert approve(client, {"approved": True}).status == 202
    assert decisions_raised(client)[0][2] == {"approved": True, "comment": None, "approver": None}


@pytest.mark.parametrize(
    ("status", "progress"),
    [
        ("Running", {"step": "drafting", "index": 1, "of": 3, "last": ""}),
        ("Running", None),
        ("Pending", None),
        ("Completed", WAITING),
        ("Failed", WAITING),
        ("Terminated", WAITING),
        ("Suspended", WAITING),
    ],
)
def test_409_when_the_run_is_not_waiting_for_approval(status: str, progress: object) -> None:
    client = waiting_client(status, progress)
    assert_error(approve(client, {"approved": True}), 409, "conflict", "not waiting for approval")
    assert client.raised == []


def test_unknown_run_is_404() -> None:
    assert_error(approve(FakeDurableClient(), {"approved": True}, run_id="r9"), 404, "run_not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "approved"), ({"approved": "yes"}, "approved"), ({"approved": True, "by": "x"}, "by")],
)
def test_bad_decisions_are_422(body: dict, field: str) -> None:
    client = waiting_client()
    assert_error(approve(client, body), 422, "validation_error", field)
    assert client.raised == []


def test_malformed_json_is_400() -> None:
    req = make_request("POST", "runs/r1/approval", raw=b"{approved", route={"id": "r1"})
    assert_error(call(approval.run_approval, req, waiting_client()), 400, "invalid_json")
