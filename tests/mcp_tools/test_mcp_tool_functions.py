"""The MCP tool functions on their own: what a client gets back for each tool, good and bad calls.

Run against the in-memory durable client; the same tools over the real endpoint are in
test_mcp_endpoint.py.
"""

import asyncio
import json

import pytest

from api import runs
from api.catalog import WORKFLOWS
from mcp_tools.register import call_tool
from tests.api.api_calls import call, make_request
from tests.api.durable_fake import FakeDurableClient, decisions_raised
from tests.mcp_tools.tool_calls import call_mcp, text_of, tool
from tests.support.principal import principal_headers

STARTABLE = [name for name, workflow in WORKFLOWS.items() if workflow.started_by_runs_api]
WAITING = {"step": "awaiting_approval", "index": 2, "of": 3, "last": "Draft: launch plan"}
CHAIN_OUTPUT = {"topic": "t", "research": "notes", "draft": "the draft", "review": "Looks good."}


def http_get_run(client: FakeDurableClient, run_id: str) -> dict:
    reply = call(runs.run_item, make_request("GET", f"runs/{run_id}", route={"key": run_id}), client)
    assert reply.status == 200, reply.text
    return reply.json


def http_start(client: FakeDurableClient, workflow: str, body: object) -> dict:
    req = make_request("POST", f"runs/{workflow}", body=body, route={"key": workflow})
    return call(runs.run_item, req, client).json


def test_finished_run_is_the_http_run_document_plus_its_main_text() -> None:
    client = FakeDurableClient()
    client.on_start = {"reads": 2, "status": "Completed", "output": json.dumps(CHAIN_OUTPUT)}
    outcome = call_mcp(client, "chain", {"topic": "durable agents"})
    assert "isError" not in outcome or outcome["isError"] is False
    assert client.started == [("chain", {"topic": "durable agents"})]
    document = outcome["structuredContent"]
    assert document == http_get_run(client, document["id"])
    assert document["status"] == "Completed" and document["output"] == CHAIN_OUTPUT
    assert text_of(outcome) == "the draft"


@pytest.mark.parametrize("workflow", STARTABLE)
def test_unknown_argument_is_an_error_result_with_the_rest_message(workflow: str) -> None:
    client = FakeDurableClient()
    outcome = call_mcp(client, workflow, {"colour": "blue"})
    rest = http_start(FakeDurableClient(), workflow, {"colour": "blue"})
    assert outcome["isError"] is True
    assert text_of(outcome) == rest["error"]["message"]
    assert "colour" in text_of(outcome)
    assert outcome["structuredContent"] == rest
    assert client.started == []


@pytest.mark.parametrize("workflow", STARTABLE)
def test_each_required_field_of_the_wrong_type_is_named(workflow: str) -> None:
    model = WORKFLOWS[workflow].input_model
    for name, field in model.model_fields.items():
        if not field.is_required():
            continue
        outcome = call_mcp(FakeDurableClient(), workflow, {name: 12345})
        assert outcome["isError"] is True
        assert f"{name}:" in text_of(outcome)


def test_out_of_range_and_duplicate_values_are_refused_like_the_rest_edge() -> None:
    for workflow, arguments in (
        ("critic", {"topic": "t", "max_rounds": 99}),
        ("fanout", {"topic": "t", "specialists": ["risk_analyst", "risk_analyst"]}),
        ("chain", {"topic": ""}),
    ):
        outcome = call_mcp(FakeDurableClient(), workflow, arguments)
        rest = http_start(FakeDurableClient(), workflow, arguments)
        assert outcome["isError"] is True, workflow
        assert text_of(outcome) == rest["error"]["message"]


def test_arguments_over_the_run_apis_body_limit_are_refused_like_the_rest_edge() -> None:
    arguments = {"question": "q" * (1024 * 1024)}
    client = FakeDurableClient()
    outcome = call_mcp(client, "single", arguments)
    rest = call(
        runs.run_item, make_request("POST", "runs/single", body=arguments, route={"key": "single"}), client
    )
    assert rest.status == 413 and outcome["isError"] is True
    assert outcome["structuredContent"]["error"]["code"] == "payload_too_large"
    assert client.started == []


def test_run_waiting_for_a_person_returns_at_once_with_how_to_approve() -> None:
    client = FakeDurableClient()
    client.on_start = {"reads": 1, "status": "Running", "custom_status": WAITING}
    outcome = call_mcp(client, "approval", {"topic": "launch plan"})
    document = outcome["structuredContent"]
    assert document["status"] == "Running" and document["progress"] == WAITING
    text = text_of(outcome)
    assert "approve_run" in text and document["id"] in text and "Draft: launch plan" in text
    # It stopped polling as soon as the run reported that it waits: no 25 s wait.
    assert client.status_reads <= 4


def test_approve_run_delivers_the_decision_and_reports_the_ended_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    client = FakeDurableClient()
    client.add_run("r1", "approval", status="Running", custom_status=WAITING)
    client.finish_after(
        "r1", 3, status="Completed", output=json.dumps({"decision": "approved", "draft": "D"})
    )
    headers = principal_headers("ann@contoso.com", "Runs.Approver")
    outcome = call_mcp(
        client, "approve_run", {"run_id": "r1", "approved": True, "comment": "ok"}, headers=headers
    )
    assert decisions_raised(client) == [
        ("r1", "approval", {"approved": True, "comment": "ok", "approver": "ann@contoso.com"})
    ]
    assert outcome["structuredContent"]["status"] == "Completed"
    assert text_of(outcome).startswith("Decision delivered: approved by ann@contoso.com.")
    assert outcome["structuredContent"] == http_get_run(client, "r1")


EDITOR_REQUEST = {
    "requestId": "q1",
    "executor": "editor",
    "data": {"draft": "# Launch"},
    "responseType": "EditorDecision",
    "responseSchema": {
        "type": "object",
        "properties": {"approved": {"type": "boolean"}},
        "required": ["approved"],
    },
}
ASKING = {"step": "awaiting_input", "index": 2, "of": 5, "last": "editor", "pendingInput": [EDITOR_REQUEST]}


def test_a_graph_waiting_for_a_person_says_what_it_asks_and_answer_run_answers_it() -> None:
    """An MCP-only client (no run API) can finish a graph that asks a person, e.g. `editor`."""
    client = FakeDurableClient()
    client.add_run("r1", "editor", status="Running", custom_status=ASKING)
    asked = text_of(call_mcp(client, "get_run", {"run_id": "r1"}))
    assert "answer_run" in asked and "request_id q1" in asked and "# Launch" in asked

    client.finish_after("r1", 2, status="Completed", output=json.dumps({"outputs": ["published"]}))
    outcome = call_mcp(
        client, "answer_run", {"run_id": "r1", "requestId": "q1", "response": {"approved": False}}
    )
    assert decisions_raised(client) == [
        ("r1", "graph_input", {"requestId": "q1", "response": {"approved": False}, "answeredBy": None})
    ]
    assert text_of(outcome).startswith("Answer delivered to request q1.")
    assert outcome["structuredContent"] == http_get_run(client, "r1")


@pytest.mark.parametrize(
    ("arguments", "code"),
    [
        ({"requestId": "q9", "response": {"approved": True}}, "request_not_found"),
        ({"requestId": "q1", "response": {"approved": "yes"}}, "validation_error"),
    ],
)
def test_answer_run_refuses_what_the_run_api_refuses(arguments: dict, code: str) -> None:
    client = FakeDurableClient()
    client.add_run("r1", "editor", status="Running", custom_status=ASKING)
    outcome = call_mcp(client, "answer_run", {"run_id": "r1", **arguments})
    assert outcome["isError"] is True and outcome["structuredContent"]["error"]["code"] == code
    assert client.raised == []


def test_approve_run_without_the_approver_role_is_an_error_result(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WEBSITE_AUTH_ENABLED", "true")
    client = FakeDurableClient()
    client.add_run("r1", "approval", status="Running", custom_status=WAITING)
    headers = principal_headers("eve@contoso.com")
    outcome = call_mcp(client, "approve_run", {"run_id": "r1", "approved": True}, headers=headers)
    assert outcome["isError"] is True
    assert outcome["structuredContent"]["error"]["code"] == "forbidden"
    assert "lacks the app role Runs.Approver" in text_of(outcome) and client.raised == []


def test_approve_run_on_a_run_not_waiting_is_an_error_result() -> None:
    client = FakeDurableClient()
    client.add_run("r2", "chain", status="Completed", output="{}")
    outcome = call_mcp(client, "approve_run", {"run_id": "r2", "approved": True})
    assert outcome["isError"] is True
    assert outcome["structuredContent"]["error"]["code"] == "conflict"
    assert "r2" in text_of(outcome) and client.raised == []


@pytest.mark.parametrize(("tool_name", "extra"), [("get_run", {}), ("approve_run", {"approved": False})])
def test_unknown_run_is_an_error_result_naming_the_id(tool_name: str, extra: dict) -> None:
    outcome = call_mcp(FakeDurableClient(), tool_name, {"run_id": "no-such-run", **extra})
    assert outcome["isError"] is True
    assert text_of(outcome) == "run 'no-such-run' not found"


def test_run_still_going_says_where_it_is_and_to_call_get_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_TOOL_WAIT_S", "0")
    client = FakeDurableClient()
    client.on_start = {
        "reads": 1,
        "status": "Running",
        "custom_status": {"step": "writing", "index": 2, "of": 3},
    }
    outcome = call_mcp(client, "chain", {"topic": "t"})
    run_id = outcome["structuredContent"]["id"]
    expected = f"run {run_id} (chain) is Running at step writing (2/3). Call get_run with run_id {run_id}"
    assert text_of(outcome) == f"{expected} for the result."
    later = call_mcp(client, "get_run", {"run_id": run_id})
    assert later["structuredContent"] == http_get_run(client, run_id)


def test_failed_run_reads_as_its_error() -> None:
    client = FakeDurableClient()
    client.on_start = {"reads": 1, "status": "Failed", "output": "model unavailable"}
    outcome = call_mcp(client, "single", {"question": "q"})
    run_id = outcome["structuredContent"]["id"]
    assert text_of(outcome) == f"run {run_id} (single) Failed: model unavailable"


def test_list_runs_pages_with_the_run_api_cursor() -> None:
    client = FakeDurableClient()
    for index in range(3):
        client.add_run(f"r{index}", "chain", status="Completed")
        client.runs[f"r{index}"].created = client.runs[f"r{index}"].created.replace(minute=index)
    first = call_mcp(client, "list_runs", {"workflow": "chain", "limit": 2})
    assert [run["id"] for run in first["structuredContent"]["runs"]] == ["r2", "r1"]
    cursor = first["structuredContent"]["next"]
    assert cursor and f"cursor {cursor}" in text_of(first)


def test_list_runs_refuses_a_bad_filter_by_name() -> None:
    outcome = call_mcp(FakeDurableClient(), "list_runs", {"status": "Sleeping"})
    assert outcome["isError"] is True and text_of(outcome).startswith("status: unknown status 'Sleeping'")


def test_send_message_returns_the_reply() -> None:
    client = FakeDurableClient()
    output = json.dumps({"session_id": "s1", "reply": "Hello there", "turns": 1})
    client.on_start = {"reads": 1, "status": "Completed", "output": output}
    outcome = call_mcp(client, "send_message", {"session_id": "s1", "message": "hi"})
    assert text_of(outcome) == "Hello there"
    assert outcome["structuredContent"]["sessionId"] == "s1"
    assert outcome["structuredContent"]["turns"] == 1
    assert client.started[0][0] == "session" and client.started[0][1]["message"] == "hi"


def test_send_message_without_a_reply_in_time_says_it_is_pending(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_TOOL_WAIT_S", "0")
    outcome = call_mcp(FakeDurableClient(), "send_message", {"session_id": "s1", "message": "hi"})
    assert "s1" in text_of(outcome)
    assert "do not send it again: call get_run with run_id" in text_of(outcome)
    assert outcome["structuredContent"]["status"] == "pending"


def test_delete_session_forgets_the_conversation_and_its_turns() -> None:
    client = FakeDurableClient()
    client.on_start = {"reads": 1, "status": "Completed", "output": json.dumps({"reply": "hi", "turns": 1})}
    call_mcp(client, "send_message", {"session_id": "s1", "message": "my secret"})
    client.entities[("conversation", "s1")] = {"summary": None, "messages": [], "turns": 1}

    outcome = call_mcp(client, "delete_session", {"session_id": "s1"})

    assert outcome["isError"] is False and text_of(outcome) == "session s1 deleted"
    assert outcome["structuredContent"] == {"sessionId": "s1", "status": "deleted"}
    assert client.runs == {} and ("conversation", "s1") not in client.entities
    again = call_mcp(client, "delete_session", {"session_id": "s1"})
    assert again["isError"] is True and text_of(again) == "session 's1' not found"


def test_malformed_context_is_an_error_result_not_a_crash() -> None:
    wire = asyncio.run(call_tool(tool("chain"), "not json", FakeDurableClient()))  # type: ignore[arg-type]
    outcome = json.loads(json.loads(wire)["content"])
    assert outcome["isError"] is True and "not valid JSON" in outcome["content"][0]["text"]
    outcome = call_mcp(FakeDurableClient(), "chain", ["topic"])
    assert outcome["isError"] is True and text_of(outcome).startswith("arguments:")


def test_unexpected_failure_is_an_error_result_with_a_correlation_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class BrokenClient(FakeDurableClient):
        async def start_new(self, *args: object, **kwargs: object) -> str:
            raise RuntimeError("storage is down")

    outcome = call_mcp(BrokenClient(), "chain", {"topic": "t"})
    assert outcome["isError"] is True
    correlation = text_of(outcome).split("correlationId ")[1].split()[0]
    assert correlation in caplog.text and "storage is down" in caplog.text
    assert "storage is down" not in text_of(outcome)


def test_bad_wait_setting_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MCP_TOOL_WAIT_S", "soon")
    outcome = call_mcp(FakeDurableClient(), "get_run", {"run_id": "r1"})
    assert outcome["isError"] is True
    client = FakeDurableClient()
    client.add_run("r1", "chain", status="Running")
    outcome = call_mcp(client, "chain", {"topic": "t"})
    assert outcome["isError"] is True and "MCP_TOOL_WAIT_S" in text_of(outcome)


def test_any_run_waiting_for_a_person_returns_at_once() -> None:
    # A graph that asks a person a question reports `awaiting_input`, not `awaiting_approval`.
    client = FakeDurableClient()
    asking = {"step": "awaiting_input", "index": 2, "of": 4, "last": "Which region?"}
    client.on_start = {"reads": 1, "status": "Running", "custom_status": asking}
    outcome = call_mcp(client, "chain", {"topic": "t"})
    run_id = outcome["structuredContent"]["id"]
    text = text_of(outcome)
    assert "waiting for a person (awaiting_input" in text and f"get_run with run_id {run_id}" in text
    assert "Which region?" in text and "approve_run" not in text
    assert client.status_reads <= 4


@pytest.mark.parametrize(
    ("tool_name", "arguments", "label"),
    [
        ("get_run", {"run_id": "../etc"}, "run id"),
        ("approve_run", {"run_id": "a/b", "approved": True}, "run id"),
        ("send_message", {"session_id": "a b", "message": "hi"}, "session id"),
        ("delete_session", {"session_id": "a b"}, "session id"),
    ],
)
def test_ids_are_checked_as_the_rest_edge_checks_them(tool_name: str, arguments: dict, label: str) -> None:
    client = FakeDurableClient()
    outcome = call_mcp(client, tool_name, arguments)
    assert outcome["isError"] is True and text_of(outcome).startswith(f"{label}: may contain only")
    assert client.started == [] and client.raised == []
