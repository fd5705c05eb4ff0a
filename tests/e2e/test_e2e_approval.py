"""The human-approval workflow: waits with progress, then approve, reject or time out."""

from bench.run_api import ApiClient

AWAITING = "awaiting_approval"


def start_approval(api: ApiClient, timeout_s: int = 3600) -> str:
    response = api.start("approval", {"topic": "the spring launch", "timeout_s": timeout_s})
    assert response.status_code == 202, response.text
    assert response.headers["Location"].endswith(f"/api/runs/{response.json()['id']}")
    return response.json()["id"]


def test_approved_run_publishes_and_records_the_approver(api: ApiClient) -> None:
    run_id = start_approval(api)
    waiting = api.wait_for(run_id, step=AWAITING)
    assert waiting["status"] == "Running"
    assert waiting["progress"]["step"] == AWAITING

    reply = api.http.post(
        f"/api/runs/{run_id}/approval",
        json={"approved": True, "comment": "ship it", "approver": "alex@example.com"},
    )
    assert reply.status_code == 202, reply.text
    document = api.wait_for(run_id)

    assert document["status"] == "Completed"
    assert document["output"]["decision"] == "approved"
    assert document["output"]["published"]
    received = [e for e in api.events(run_id)["events"] if e["type"] == "event_received"]
    assert "alex@example.com" in str(received[0]["detail"])


def test_rejected_run_says_so(api: ApiClient) -> None:
    run_id = start_approval(api)
    api.wait_for(run_id, step=AWAITING)

    reply = api.http.post(f"/api/runs/{run_id}/approval", json={"approved": False, "approver": "sam"})
    assert reply.status_code == 202
    output = api.wait_for(run_id)["output"]
    assert output["decision"] == "rejected" and not output["published"]


def test_timeout_ends_the_wait(api: ApiClient) -> None:
    run_id = start_approval(api, timeout_s=1)
    document = api.wait_for(run_id, deadline_s=20)
    assert document["output"]["decision"] == "timed_out"


def test_approving_an_ended_run_is_a_conflict(api: ApiClient) -> None:
    run_id = start_approval(api, timeout_s=1)
    api.wait_for(run_id, deadline_s=20)

    reply = api.http.post(f"/api/runs/{run_id}/approval", json={"approved": True})
    assert reply.status_code == 409
    assert reply.json()["error"]["code"]


def test_terminate_then_terminate_again(api: ApiClient) -> None:
    run_id = start_approval(api)
    api.wait_for(run_id, step=AWAITING)

    assert api.http.post(f"/api/runs/{run_id}/terminate", json={"reason": "changed plans"}).status_code == 202
    assert api.wait_for(run_id)["status"] == "Terminated"
    assert api.http.post(f"/api/runs/{run_id}/terminate", json={}).status_code == 409
