"""`GET`/`DELETE /runs/{id}`, `POST /runs/{id}/terminate`: the run document, purge and stop."""

from datetime import timedelta

import pytest

from api import runs
from tests.api.api_calls import assert_documented, assert_error, call, make_request
from tests.api.durable_fake import T0, FakeDurableClient
from tests.api.histories import fanout_story, folded


def get_run(client: FakeDurableClient, run_id: str):
    return call(runs.run_item, make_request("GET", f"runs/{run_id}", route={"key": run_id}), client)


def test_document_of_a_running_run_shows_progress_and_usage_so_far() -> None:
    client = FakeDurableClient()
    usage = {"input_tokens": 3, "output_tokens": 4}
    progress = {"step": "analysing", "index": 1, "of": 3, "last": "tech done", "usage": usage}
    story = fanout_story()
    client.add_run(
        "r1", "fanout", status="Running", custom_status=progress, history=folded(story.snapshots[1])
    )
    reply = get_run(client, "r1")
    assert reply.status == 200
    assert reply.json == {
        "id": "r1",
        "workflow": "fanout",
        "status": "Running",
        "createdAt": "2024-05-01T12:00:00Z",
        "updatedAt": "2024-05-01T12:00:00Z",
        "progress": progress,
        "usage": usage,
        "output": None,
        "error": None,
        "pendingInput": [],
    }
    assert_documented(reply.json, "RunDocument")


def test_usage_is_the_count_the_orchestrator_published_and_the_history_is_not_read() -> None:
    story = fanout_story()
    client = FakeDurableClient()
    progress = {"step": "done", "usage": {"input_tokens": 16, "output_tokens": 20}}
    client.add_run(
        "r1", "fanout", status="Completed", output={"summary": "ok"}, custom_status=progress,
        history=folded(story.events),
    )  # fmt: skip
    reply = get_run(client, "r1")
    assert reply.json["usage"] == {"input_tokens": 16, "output_tokens": 20}
    assert reply.json["output"] == {"summary": "ok"}
    assert client.history_reads == 0


@pytest.mark.parametrize("progress", [None, "drafting", {"step": "x"}, {"usage": {"input_tokens": "3"}}])
def test_a_run_without_a_usage_count_shows_zero_tokens(progress: object) -> None:
    client = FakeDurableClient()
    client.add_run("r1", "single", status="Completed", custom_status=progress)
    assert get_run(client, "r1").json["usage"] == {"input_tokens": 0, "output_tokens": 0}


@pytest.mark.parametrize(
    ("runtime", "public"),
    [
        ("Pending", "Pending"),
        ("Running", "Running"),
        ("ContinuedAsNew", "Running"),
        ("Suspended", "Suspended"),
        ("Completed", "Completed"),
        ("Failed", "Failed"),
        ("Terminated", "Terminated"),
        ("Canceled", "Terminated"),
    ],
)
def test_runtime_statuses_map_to_six_public_ones(runtime: str, public: str) -> None:
    client = FakeDurableClient()
    client.add_run("r1", status=runtime)
    assert get_run(client, "r1").json["status"] == public


def test_failed_run_has_error_and_no_output() -> None:
    client = FakeDurableClient()
    client.add_run("r1", status="Failed", output="Orchestrator function 'single' failed: boom")
    reply = get_run(client, "r1")
    assert reply.json["output"] is None
    assert reply.json["error"] == "Orchestrator function 'single' failed: boom"


@pytest.mark.parametrize(
    "details",
    ["None", '{"$type": "System.Exception", "ClassName": "System.Exception", "StackTraceString": "at ..."}'],
)
def test_a_failed_runs_error_leaves_out_the_hosts_details(details: str) -> None:
    """The SDK words a failed activity as "<reason> \n <details>": None locally, a .NET exception in Azure."""
    reason = "Orchestrator function 'single' failed: Activity function 'run_agent' failed: ValueError: boom"
    client = FakeDurableClient()
    client.add_run("r1", status="Failed", output=f"{reason} \n {details}")
    assert get_run(client, "r1").json["error"] == reason


def test_terminated_run_reports_the_reason() -> None:
    client = FakeDurableClient()
    client.add_run("r1", status="Terminated", output="changed my mind")
    reply = get_run(client, "r1")
    assert (reply.json["output"], reply.json["error"]) == (None, "changed my mind")


def test_unknown_run_is_404() -> None:
    assert_error(get_run(FakeDurableClient(), "nope"), 404, "run_not_found", "nope")


@pytest.mark.parametrize("bad_id", ["..", "a..b", "a/b", "a\\b", "a\x00b", "a\nb", "x" * 101, "a b", "é"])
def test_odd_run_ids_are_400(bad_id: str) -> None:
    client = FakeDurableClient()
    assert_error(get_run(client, bad_id), 400, "invalid_parameter", "run id")
    reply = call(runs.run_terminate, make_request("POST", "t", route={"id": bad_id}), client)
    assert_error(reply, 400, "invalid_parameter", "run id")
    assert client.status_reads == 0


# --- DELETE ----------------------------------------------------------------------------------------
def delete_run(client: FakeDurableClient, run_id: str):
    return call(runs.run_item, make_request("DELETE", f"runs/{run_id}", route={"key": run_id}), client)


@pytest.mark.parametrize("status", ["Completed", "Failed", "Terminated"])
def test_delete_purges_an_ended_run(status: str) -> None:
    client = FakeDurableClient()
    client.add_run("r1", status=status)
    reply = delete_run(client, "r1")
    assert (reply.status, reply.text) == (204, "")
    assert "r1" not in client.runs
    assert_error(get_run(client, "r1"), 404, "run_not_found")


@pytest.mark.parametrize("status", ["Running", "Pending", "Suspended"])
def test_delete_refuses_a_run_that_has_not_ended(status: str) -> None:
    client = FakeDurableClient()
    client.add_run("r1", status=status)
    assert_error(delete_run(client, "r1"), 409, "conflict", status)
    assert "r1" in client.runs


def test_delete_unknown_run_is_404() -> None:
    assert_error(delete_run(FakeDurableClient(), "r9"), 404, "run_not_found")


# --- terminate --------------------------------------------------------------------------------------
def terminate(client: FakeDurableClient, run_id: str, body: object = None):
    req = make_request("POST", f"runs/{run_id}/terminate", body=body, route={"id": run_id})
    return call(runs.run_terminate, req, client)


def test_terminate_a_running_run_records_the_reason() -> None:
    client = FakeDurableClient()
    client.add_run("r1", "chain", status="Running")
    reply = terminate(client, "r1", {"reason": "wrong topic"})
    assert reply.status == 202
    assert reply.json["id"] == "r1" and reply.json["workflow"] == "chain"
    assert client.terminated == [("r1", "wrong topic")]
    assert get_run(client, "r1").json["status"] == "Terminated"


def test_terminate_without_a_body_uses_a_default_reason() -> None:
    client = FakeDurableClient()
    client.add_run("r1", status="Suspended")
    assert terminate(client, "r1").status == 202
    assert client.terminated[0][1]


@pytest.mark.parametrize("status", ["Completed", "Failed", "Terminated", "Canceled"])
def test_terminate_an_ended_run_is_409(status: str) -> None:
    client = FakeDurableClient()
    client.add_run("r1", status=status)
    assert_error(terminate(client, "r1", {}), 409, "conflict", "already ended")
    assert client.terminated == []


def test_terminate_unknown_run_is_404_and_bad_body_is_422() -> None:
    client = FakeDurableClient()
    assert_error(terminate(client, "r9", {}), 404, "run_not_found")
    client.add_run("r1", status="Running")
    assert_error(terminate(client, "r1", {"reason": 5}), 422, "validation_error", "reason")
    assert_error(terminate(client, "r1", {"why": "x"}), 422, "validation_error", "why")


def test_created_and_updated_times_are_iso_utc() -> None:
    client = FakeDurableClient()
    client.add_run("r1", created=T0, updated=T0 + timedelta(minutes=5))
    reply = get_run(client, "r1")
    assert (reply.json["createdAt"], reply.json["updatedAt"]) == (
        "2024-05-01T12:00:00Z",
        "2024-05-01T12:05:00Z",
    )
