"""`POST /runs/{workflow}`: validation, 202 + Location, and `?wait` returning the ended run."""

import json

import pytest

from api import runs
from api.body import MAX_BODY_BYTES
from tests.api.api_calls import BASE, assert_documented, assert_error, call, make_request
from tests.api.durable_fake import FakeDurableClient
from tests.api.histories import Story, agent_result, complete, ended, folded, schedule


def start(client: FakeDurableClient, workflow: str, body: object = None, **kwargs: object):
    req = make_request("POST", f"runs/{workflow}", body=body, route={"key": workflow}, **kwargs)
    return call(runs.run_item, req, client)


def test_start_answers_202_with_location_and_links() -> None:
    client = FakeDurableClient()
    reply = start(client, "single", {"question": "What is durable?"})
    assert reply.status == 202
    run_id = reply.json["id"]
    assert reply.headers["location"] == f"{BASE}/runs/{run_id}"
    assert reply.json["workflow"] == "single" and reply.json["status"] == "Pending"
    assert reply.json["links"] == {
        "self": f"{BASE}/runs/{run_id}",
        "events": f"{BASE}/runs/{run_id}/events",
        "approval": f"{BASE}/runs/{run_id}/approval",
        "input": f"{BASE}/runs/{run_id}/input",
        "terminate": f"{BASE}/runs/{run_id}/terminate",
    }
    assert client.started == [("single", {"question": "What is durable?"})]
    assert_documented(reply.json, "RunAccepted")


def test_start_fills_input_defaults_before_the_orchestrator_sees_them() -> None:
    client = FakeDurableClient()
    assert start(client, "critic", {"topic": "t"}).status == 202
    assert start(client, "fanout", {"topic": "t", "specialists": ["risk_analyst"]}).status == 202
    assert client.started == [
        ("critic", {"topic": "t", "max_rounds": 3}),
        ("fanout", {"topic": "t", "specialists": ["risk_analyst"]}),
    ]


def _finish(client: FakeDurableClient, status: str, output: object, history: list) -> None:
    client.on_start = {"reads": 3, "status": status, "output": output, "history": history}


def test_wait_returns_200_with_the_document_of_a_completed_run() -> None:
    client = FakeDurableClient()
    story = Story("single").episode(schedule("run_agent", {"agent": "assistant", "prompt": "q"}))
    story.episode(complete(0, agent_result("assistant", 11, 22)), ended("Completed", {"answer": "a"}))
    _finish(client, "Completed", {"answer": "a", "agent": "assistant"}, folded(story.events))
    client.on_start["custom_status"] = {"step": "done", "usage": {"input_tokens": 11, "output_tokens": 22}}
    reply = start(client, "single", {"question": "q"}, params={"wait": "5"})
    assert reply.status == 200
    assert reply.json["status"] == "Completed"
    assert reply.json["output"] == {"answer": "a", "agent": "assistant"}
    assert reply.json["usage"] == {"input_tokens": 11, "output_tokens": 22}
    assert client.history_reads == 0  # the last status read is the document
    assert reply.headers["location"].endswith(f"/runs/{reply.json['id']}")
    assert_documented(reply.json, "RunDocument")


def test_wait_returns_200_not_500_for_a_failed_run() -> None:
    client = FakeDurableClient()
    message = (
        "Orchestrator function 'single' failed: Activity function 'run_agent' failed: PermanentModelError"
    )
    _finish(client, "Failed", message, [])
    reply = start(client, "single", {"question": "q"}, params={"wait": "5"})
    assert reply.status == 200
    assert reply.json["status"] == "Failed"
    assert reply.json["output"] is None
    assert reply.json["error"] == message


def test_wait_gives_202_when_the_run_is_still_going() -> None:
    client = FakeDurableClient()
    client.on_start = {"reads": 10_000, "status": "Completed"}
    reply = start(client, "single", {"question": "q"}, params={"wait": "1"})
    assert reply.status == 202
    # Polled with a short backoff, not once a second.
    assert client.status_reads >= 4


@pytest.mark.parametrize("step", ["awaiting_approval", "awaiting_input"])
def test_wait_answers_at_once_when_the_run_waits_for_a_person(step: str) -> None:
    client = FakeDurableClient()
    client.on_start = {"reads": 1, "status": "Running", "custom_status": {"step": step}}
    reply = start(client, "approval", {"topic": "t"}, params={"wait": "60"})
    assert reply.status == 202
    assert reply.json["status"] == "Running"
    # The one read that saw the person's step is the document: no polling for the rest of the wait.
    assert client.status_reads == 1


@pytest.mark.parametrize("wait", ["61", "-1", "abc", "1.5", "٣"])
def test_wait_outside_0_to_60_is_400_naming_it(wait: str) -> None:
    reply = start(FakeDurableClient(), "single", {"question": "q"}, params={"wait": wait})
    assert_error(reply, 400, "invalid_parameter", "wait")


def test_deeply_nested_json_is_400_not_a_crash() -> None:
    reply = start(FakeDurableClient(), "chain", raw=b"[" * 100_000 + b"]" * 100_000)
    assert_error(reply, 400, "invalid_json", "deeply")


def test_number_too_long_to_read_is_400_not_a_crash() -> None:
    reply = start(FakeDurableClient(), "single", raw=b'{"question": "q", "n": ' + b"9" * 5000 + b"}")
    assert_error(reply, 400, "invalid_json", "digits")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_numbers_json_has_no_words_for_are_400(constant: str) -> None:
    """Python's json reads them; a float field of yours would then hold a value no JSON reply can carry."""
    reply = start(FakeDurableClient(), "single", raw=b'{"question": "q", "n": ' + constant.encode() + b"}")
    assert_error(reply, 400, "invalid_json", f"{constant} is not a JSON number")


def test_unknown_workflow_is_404() -> None:
    assert_error(start(FakeDurableClient(), "nosuch", {}), 404, "workflow_not_found", "nosuch")


def test_session_is_started_through_the_sessions_api() -> None:
    reply = start(FakeDurableClient(), "session", {"session_id": "s", "message": "m", "max_messages": 4})
    assert_error(reply, 400, "use_sessions_api", "/api/sessions/{id}/messages")


def test_malformed_json_is_400() -> None:
    req = make_request("POST", "runs/single", raw=b'{"question": ', route={"key": "single"})
    assert_error(call(runs.run_item, req, FakeDurableClient()), 400, "invalid_json")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "question"),
        ({"question": 42}, "question"),
        ({"question": "q", "colour": "red"}, "colour"),
        ({"question": ""}, "question"),
        ({"question": "   "}, "question: must not be blank"),
    ],
)
def test_schema_violations_are_422_naming_the_field(body: dict, field: str) -> None:
    client = FakeDurableClient()
    assert_error(start(client, "single", body), 422, "validation_error", field)
    assert client.started == []


@pytest.mark.parametrize(
    ("workflow", "body", "field"),
    [
        ("critic", {"topic": "t", "max_rounds": 11}, "max_rounds"),
        ("critic", {"topic": "t", "max_rounds": "3"}, "max_rounds"),
        ("approval", {"topic": "t", "timeout_s": 0}, "timeout_s"),
        ("tools", {"question": "q", "max_iterations": True}, "max_iterations"),
        ("fanout", {"topic": "t", "specialists": ["poet"]}, "specialists"),
        ("fanout", {"topic": "t", "specialists": ["tech_analyst", "tech_analyst"]}, "specialists"),
    ],
)
def test_workflow_specific_limits_are_422(workflow: str, body: dict, field: str) -> None:
    assert_error(start(FakeDurableClient(), workflow, body), 422, "validation_error", field)


def test_non_object_body_is_422() -> None:
    assert_error(start(FakeDurableClient(), "single", ["q"]), 422, "validation_error", "object")


def test_body_over_one_mebibyte_is_413() -> None:
    raw = json.dumps({"question": "x" * MAX_BODY_BYTES}).encode()
    req = make_request("POST", "runs/single", raw=raw, route={"key": "single"})
    assert_error(call(runs.run_item, req, FakeDurableClient()), 413, "payload_too_large")
