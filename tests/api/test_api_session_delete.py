"""`DELETE /sessions/{id}`: the conversation entity and every turn's run are gone afterwards."""

import pytest

from api import session_delete, sessions
from api.params import checked_id
from api.session_turns import turn_prefix
from tests.api.api_calls import assert_documented, assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient

CONVERSATION = {"summary": None, "messages": [{"role": "user", "text": "my secret"}], "turns": 1}


def delete(client: FakeDurableClient, session_id: str = "s1"):
    req = make_request("DELETE", f"sessions/{session_id}", route={"id": session_id})
    return call(sessions.session_item, req, client)


def read(client: FakeDurableClient, session_id: str = "s1"):
    req = make_request("GET", f"sessions/{session_id}", route={"id": session_id})
    return call(sessions.session_item, req, client)


def chatted(session_id: str = "s1", turns: int = 2, status: str = "Completed") -> FakeDurableClient:
    """A task hub where `session_id` has its conversation and `turns` turn runs started by the API."""
    client = FakeDurableClient()
    client.entities[("conversation", session_id)] = CONVERSATION
    for n in range(turns):
        send = make_request(
            "POST",
            f"sessions/{session_id}/messages",
            body={"message": f"m{n}"},
            params={"wait": "0"},
            route={"id": session_id},
        )
        run_id = call(sessions.session_messages, send, client).json["runId"]
        client.runs[run_id].status = status
    return client


def test_turn_run_ids_share_their_session_prefix_and_no_other_session_s() -> None:
    client = chatted("s1", turns=2)
    assert all(run_id.startswith(turn_prefix("s1")) for run_id in client.runs)
    assert not turn_prefix("s10").startswith(turn_prefix("s1"))
    longest = "s" * 100
    assert checked_id(turn_prefix(longest) + "0" * 32, "run id")  # still a valid run id for /runs/{id}


def test_delete_removes_the_conversation_and_purges_every_turn() -> None:
    client = chatted("s1", turns=2)
    other = chatted("s2", turns=1)
    client.runs.update(other.runs)
    client.add_run("unrelated", "single", status="Completed")

    reply = delete(client)

    assert reply.status == 204 and reply.text == ""
    assert client.signals == [("conversation", "s1", "delete")]
    assert sorted(client.runs) == sorted([*other.runs, "unrelated"])
    assert_error(read(client), 404, "session_not_found", "s1")


def test_a_turn_still_running_is_409_naming_it_and_nothing_is_deleted() -> None:
    client = chatted("s1", turns=1, status="Running")
    [run_id] = client.runs

    error = assert_error(delete(client), 409, "conflict", f"run '{run_id}'")

    assert f"POST /api/runs/{run_id}/terminate" in error["message"]
    assert run_id in client.runs and client.signals == []
    assert read(client).status == 200


def test_unknown_session_is_404_and_nothing_is_signalled() -> None:
    client = FakeDurableClient()
    assert_error(delete(client, "nobody"), 404, "session_not_found", "nobody")
    assert client.signals == []


def test_turns_left_without_a_conversation_are_still_purged() -> None:
    """A delete interrupted after some purges, sent again, finishes instead of saying 404."""
    client = chatted("s1", turns=1)
    del client.entities[("conversation", "s1")]

    assert delete(client).status == 204
    assert client.runs == {} and client.signals == []


def test_more_turns_than_one_host_page_are_all_purged() -> None:
    client = chatted("s1", turns=1)
    prefix = turn_prefix("s1")
    for n in range(250):
        client.add_run(f"{prefix}{n:032x}", "session", status="Completed")

    assert delete(client).status == 204
    assert client.runs == {}


def test_202_when_the_conversation_is_not_deleted_within_the_wait(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(session_delete, "DELETE_WAIT_S", 0)
    client = chatted("s1", turns=1)
    client.delete_after_reads = 5

    reply = delete(client)

    assert reply.status == 202
    assert reply.json == {"sessionId": "s1", "status": "deleting"}
    assert_documented(reply.json, "SessionDeleting")
    assert client.runs == {}


@pytest.mark.parametrize("session_id", ["..", "a/b", "s" * 101])
def test_odd_session_ids_are_400(session_id: str) -> None:
    assert_error(delete(FakeDurableClient(), session_id), 400, "invalid_parameter", "session id")


def test_a_session_from_before_turn_prefixes_is_deleted_and_its_old_turns_are_left_to_retention() -> None:
    """Turns started by an earlier version have plain ids, which no query can tie to the session."""
    client = FakeDurableClient()
    client.entities[("conversation", "old")] = CONVERSATION
    client.add_run("0" * 32, "session", status="Completed", input='{"session_id": "old"}')

    assert delete(client, "old").status == 204
    assert_error(read(client, "old"), 404, "session_not_found", "old")
    assert list(client.runs) == ["0" * 32]
