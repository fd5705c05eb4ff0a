"""Multi-turn sessions: context kept across messages, state bounded however long the chat runs."""

from bench.run_api import ApiClient


def say(api: ApiClient, session_id: str, message: str) -> dict:
    response = api.http.post(f"/api/sessions/{session_id}/messages", json={"message": message})
    assert response.status_code == 200, response.text
    return response.json()


def test_three_messages_keep_their_context(api: ApiClient) -> None:
    say(api, "trip-planning", "Hello, my name is Sam and I am planning a trip to Lisbon.")
    say(api, "trip-planning", "I would like to see old trams.")
    third = say(api, "trip-planning", "What did I tell you about my trip?")

    assert third["turns"] == 3 and third["sessionId"] == "trip-planning"
    # The reply to the third message draws on the first one: the name and the destination.
    assert "Sam" in third["reply"] and "Lisbon" in third["reply"]
    state = api.http.get("/api/sessions/trip-planning").json()
    users = [m["text"] for m in state["messages"] if m["role"] == "user"]
    assert len(users) == 3 and "Lisbon" in users[0]
    assert [m["role"] for m in state["messages"]] == ["user", "assistant"] * 3


def test_a_long_session_stays_bounded(api: ApiClient) -> None:
    for n in range(200):
        last = say(api, "marathon", f"message number {n} about gardening")

    state = api.http.get("/api/sessions/marathon").json()
    assert last["turns"] == 200
    assert len(state["messages"]) <= 40
    assert state["summary"]


def test_runs_session_points_to_sessions_route(api: ApiClient) -> None:
    response = api.start("session", {"message": "hi"})
    assert response.status_code == 400
    assert "/sessions/" in response.json()["error"]["message"]


def test_unknown_session_is_404(api: ApiClient) -> None:
    response = api.http.get("/api/sessions/never-seen")
    assert response.status_code == 404
    assert response.json()["error"]["code"]


def test_deleting_a_session_forgets_its_conversation_and_its_turns(api: ApiClient) -> None:
    first = say(api, "forget-me", "Hello, my name is Ada and my card ends in 4242.")
    second = say(api, "forget-me", "What is my name?")
    kept = say(api, "keep-me", "Hello, I stay.")
    assert api.http.get(f"/api/runs/{first['runId']}").status_code == 200

    deleted = api.http.delete("/api/sessions/forget-me")

    assert deleted.status_code == 204, deleted.text
    assert api.http.get("/api/sessions/forget-me").json()["error"]["code"] == "session_not_found"
    for turn in (first, second):
        assert api.http.get(f"/api/runs/{turn['runId']}").status_code == 404
    listed = [run["id"] for run in api.http.get("/api/runs", params={"workflow": "session"}).json()["runs"]]
    assert first["runId"] not in listed and second["runId"] not in listed and kept["runId"] in listed
    assert api.http.get("/api/sessions/keep-me").json()["turns"] == 1
    assert api.http.delete("/api/sessions/forget-me").status_code == 404
    # The id can be used again: a new conversation that knows nothing of the old one.
    again = say(api, "forget-me", "Do you know me?")
    assert again["turns"] == 1 and "Ada" not in again["reply"]
