"""`POST /sessions/{id}/messages` and `GET /sessions/{id}`."""

import pytest

from api import sessions
from orchestrators.contract import SESSION_BUSY
from tests.api.api_calls import BASE, assert_documented, assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient


def send(client: FakeDurableClient, body: object, session_id: str = "s1", **params: str):
    req = make_request(
        "POST", f"sessions/{session_id}/messages", body=body, params=params, route={"id": session_id}
    )
    return call(sessions.session_messages, req, client)


def read(client: FakeDurableClient, session_id: str = "s1"):
    req = make_request("GET", f"sessions/{session_id}", route={"id": session_id})
    return call(sessions.session_item, req, client)


def test_message_starts_one_session_run_and_returns_the_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SESSION_MAX_MESSAGES", raising=False)
    client = FakeDurableClient()
    client.on_start = {
        "reads": 2,
        "status": "Completed",
        "output": {"session_id": "s1", "reply": "hi!", "turns": 3},
    }
    reply = send(client, {"message": "hello"})
    assert reply.status == 200
    run_id = reply.json["runId"]
    assert reply.json == {"sessionId": "s1", "runId": run_id, "reply": "hi!", "turns": 3}
    assert client.started == [("session", {"session_id": "s1", "message": "hello", "max_messages": 40})]
    assert_documented(reply.json, "SessionReply")


def test_max_messages_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_MAX_MESSAGES", "12")
    client = FakeDurableClient()
    assert send(client, {"message": "m"}, wait="0").status == 202
    assert client.started[0][1]["max_messages"] == 12


def test_invalid_setting_is_a_500_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SESSION_MAX_MESSAGES", "lots")
    error = assert_error(
        send(FakeDurableClient(), {"message": "m"}), 500, "configuration", "SESSION_MAX_MESSAGES"
    )
    assert error["correlationId"]


def test_202_with_links_when_the_reply_is_not_ready() -> None:
    client = FakeDurableClient()
    reply = send(client, {"message": "m"}, wait="0")
    assert reply.status == 202
    run_id = reply.json["runId"]
    assert reply.json["links"] == {
        "run": f"{BASE}/runs/{run_id}",
        "events": f"{BASE}/runs/{run_id}/events",
        "session": f"{BASE}/sessions/s1",
    }
    assert reply.headers["location"] == f"{BASE}/runs/{run_id}"
    assert_documented(reply.json, "SessionAccepted")


def test_failed_turn_is_502_naming_the_run() -> None:
    client = FakeDurableClient()
    client.on_start = {
        "reads": 1,
        "status": "Failed",
        "output": "Orchestrator function 'session' failed: boom",
    }
    error = assert_error(send(client, {"message": "m"}, wait="5"), 502, "run_failed", "boom")
    assert next(iter(client.runs)) in error["message"]


def test_a_turn_that_gave_up_to_other_messages_is_429_with_retry_after() -> None:
    """It was not saved, so sending it again is safe: a client retry, not a server failure (502)."""
    client = FakeDurableClient()
    client.on_start = {
        "reads": 1,
        "status": "Failed",
        "output": f"Orchestrator function 'session' failed: session 's1': {SESSION_BUSY} 20 times",
    }
    reply = send(client, {"message": "m"}, wait="5")
    assert_error(reply, 429, "session_busy", "send it again")
    assert reply.headers["retry-after"] == "1"


@pytest.mark.parametrize(
    ("body", "params", "status", "name"),
    [
        ({}, {}, 422, "message"),
        ({"message": ""}, {}, 422, "message"),
        ({"message": " \n\t "}, {}, 422, "message: must not be blank"),
        ({"message": "m", "extra": 1}, {}, 422, "extra"),
        ({"message": "m"}, {"wait": "61"}, 400, "wait"),
    ],
)
def test_bad_messages_are_refused(body: dict, params: dict, status: int, name: str) -> None:
    client = FakeDurableClient()
    code = "validation_error" if status == 422 else "invalid_parameter"
    assert_error(send(client, body, **params), status, code, name)
    assert client.started == []


@pytest.mark.parametrize("session_id", ["..", "a/b", "s\x01", "s" * 101])
def test_odd_session_ids_are_400(session_id: str) -> None:
    assert_error(
        send(FakeDurableClient(), {"message": "m"}, session_id), 400, "invalid_parameter", "session id"
    )
    assert_error(read(FakeDurableClient(), session_id), 400, "invalid_parameter", "session id")


def test_session_state_reads_the_conversation_entity() -> None:
    client = FakeDurableClient()
    messages = [{"role": "user", "text": "hello"}, {"role": "assistant", "text": "hi!"}]
    client.entities[("conversation", "s1")] = {
        "summary": "earlier: greetings",
        "messages": messages,
        "turns": 2,
    }
    reply = read(client)
    assert reply.status == 200
    assert reply.json == {
        "sessionId": "s1",
        "summary": "earlier: greetings",
        "messages": messages,
        "turns": 2,
    }
    assert_documented(reply.json, "SessionState")


def test_session_state_accepts_state_stored_as_json_text() -> None:
    client = FakeDurableClient()
    client.entities[("conversation", "s1")] = '{"summary": null, "messages": [], "turns": 0}'
    assert read(client).json == {"sessionId": "s1", "summary": None, "messages": [], "turns": 0}


def test_unknown_session_is_404() -> None:
    assert_error(read(FakeDurableClient(), "s9"), 404, "session_not_found", "s9")
