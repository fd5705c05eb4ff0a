"""Every command against the fake API: what it prints, what it sends, how it exits."""

import json
import os
import pwd

from tests.agentctl.conftest import Agentctl
from tests.agentctl.fake_run_api import FakeRun, FakeRunApi


def last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_health_names_the_api_and_its_provider(agentctl: Agentctl) -> None:
    result = agentctl("health")
    assert result.code == 0
    assert "/api: ok" in result.out
    assert "provider  offline" in result.out


def test_workflows_table_lists_inputs_with_required_marked(agentctl: Agentctl) -> None:
    result = agentctl("workflows")
    assert result.code == 0
    header, *rows = result.lines
    assert header.split() == ["NAME", "INPUT", "DESCRIPTION"]
    assert any(row.startswith("fanout") and "topic*, specialists" in row for row in rows)
    assert "\x1b" not in result.out


def test_workflows_json_is_the_api_list(agentctl: Agentctl) -> None:
    result = agentctl("workflows", "--json")
    assert [item["name"] for item in json.loads(result.out)] == ["single", "fanout", "approval", "session"]


def test_the_session_workflow_points_at_agentctl_chat(agentctl: Agentctl) -> None:
    # Listed with its inputs, it looked startable with `agentctl run`; it is one run per chat message.
    [row] = [line for line in agentctl("workflows").lines if line.startswith("session")]
    assert "agentctl chat <session>" in row and "message*" not in row

    result = agentctl("run", "session", "-i", '{"message": "hi"}')
    assert result.code == 2
    assert result.err.strip().endswith("from the terminal: agentctl chat <session>")


def test_run_without_follow_prints_the_id_and_how_to_follow(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("run", "single", "--input", '{"question": "hi"}')
    assert result.code == 0
    assert "Started run run1" in result.out
    assert "agentctl events run1 --follow" in result.out
    assert api.requests[-1]["body"] == {"question": "hi"}


def test_run_with_wait_prints_the_finished_run(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("run", "single", "-i", '{"question": "hi", "instant": true}', "--wait", "5")
    assert result.code == 0
    assert "Completed" in result.out
    assert '"question": "hi"' in result.out
    assert api.requests[-1]["query"] == {"wait": "5"}


def test_run_reads_input_from_a_file(agentctl: Agentctl, api: FakeRunApi, tmp_path) -> None:
    path = tmp_path / "input.json"
    path.write_text('{"topic": "tides"}', encoding="utf-8")
    result = agentctl("run", "fanout", "--input", f"@{path}", "--json")
    assert result.code == 0
    assert last_json(result.out)["workflow"] == "fanout"
    assert api.requests[-1]["body"] == {"topic": "tides"}


def test_run_reads_input_from_stdin(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("run", "fanout", "--input", "@-", stdin='{"topic": "waves"}')
    assert result.code == 0
    assert api.requests[-1]["body"] == {"topic": "waves"}


def test_bad_input_json_is_a_usage_error_without_a_request(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("run", "single", "--input", '{"question": ')
    assert result.code == 2
    assert "--input is not valid JSON" in result.err
    assert "Traceback" not in result.err
    assert api.requests == []


def test_input_must_be_an_object(agentctl: Agentctl) -> None:
    result = agentctl("run", "single", "--input", "[1, 2]")
    assert result.code == 2
    assert "must be a JSON object, got list" in result.err


def test_missing_input_file_names_the_file(agentctl: Agentctl, tmp_path) -> None:
    result = agentctl("run", "single", "--input", f"@{tmp_path}/nope.json")
    assert result.code == 2
    assert "nope.json cannot be read" in result.err


def test_api_validation_error_prints_its_message_and_exits_2(agentctl: Agentctl) -> None:
    result = agentctl("run", "single", "--input", '{"topic": "x"}')
    assert result.code == 2
    assert result.err.strip() == "agentctl: field 'question' is required"


def test_unknown_workflow_is_not_found(agentctl: Agentctl) -> None:
    result = agentctl("run", "nope", "--input", "{}")
    assert result.code == 4
    assert "workflow 'nope' does not exist" in result.err


def test_status_of_unknown_run_exits_4(agentctl: Agentctl) -> None:
    result = agentctl("status", "missing")
    assert result.code == 4
    assert result.err.strip() == "agentctl: run 'missing' not found"


def test_status_of_a_failed_run_shows_the_error_and_exits_1(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(
        FakeRun(
            id="r9", workflow="single", final_status="Failed", error="boom: PermanentModelError", revealed=4
        )
    )
    result = agentctl("status", "r9")
    assert result.code == 1
    assert "Failed" in result.out
    assert "Error     boom: PermanentModelError" in result.out


def test_status_json_is_the_run_document(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="r1", workflow="single", output={"answer": "42"}, revealed=4))
    result = agentctl("status", "r1", "--json")
    assert result.code == 0
    document = last_json(result.out)
    assert document["output"] == {"answer": "42"}
    assert document["usage"] == {"input_tokens": 40, "output_tokens": 80}


def test_status_shows_progress_and_usage(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="r2", workflow="fanout", revealed=2))
    result = agentctl("status", "r2")
    assert result.code == 0
    assert "Progress  step2 2/4" in result.out
    assert "Usage     20 input + 40 output tokens" in result.out


def test_list_filters_and_points_to_the_next_page(agentctl: Agentctl, api: FakeRunApi) -> None:
    for number in range(3):
        api.add_run(FakeRun(id=f"r{number}", workflow="single"))
    api.add_run(FakeRun(id="other", workflow="fanout"))
    result = agentctl("list", "--workflow", "single", "--status", "running", "--limit", "2")
    assert result.code == 0
    assert api.requests[-1]["query"] == {"workflow": "single", "status": "Running", "limit": "2"}
    assert [line.split()[0] for line in result.lines] == ["ID", "r0", "r1"]
    assert "agentctl list --workflow single --status Running --limit 2 --cursor cursor-2" in result.err
    rest = agentctl(
        "list", "--workflow", "single", "--status", "running", "--limit", "2", "--cursor", "cursor-2"
    )
    assert api.requests[-1]["query"]["cursor"] == "cursor-2"
    assert [line.split()[0] for line in rest.lines] == ["ID", "r2"] and "More:" not in rest.err


def test_list_rejects_an_unknown_status_before_calling(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("list", "--status", "Exploded")
    assert result.code == 2
    assert api.requests == []


def test_list_json_and_empty_list(agentctl: Agentctl) -> None:
    assert last_json(agentctl("list", "--json").out) == {"runs": [], "next": None}
    assert "No runs found." in agentctl("list").err


def test_approve_sends_the_decision(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="a1", workflow="approval"))
    result = agentctl("approve", "a1", "--comment", "ship it", env={"USER": "sam"})
    assert result.code == 0
    assert "Approved run a1" in result.out
    assert api.approvals == [{"approved": True, "comment": "ship it", "approver": "sam"}]


def test_with_no_login_variable_the_approver_is_the_accounts_name(
    agentctl: Agentctl, api: FakeRunApi
) -> None:
    """Containers often set no $USER; the account's name still says who decided."""
    api.add_run(FakeRun(id="a3", workflow="approval"))
    assert agentctl("approve", "a3").code == 0
    assert api.approvals == [{"approved": True, "approver": pwd.getpwuid(os.getuid()).pw_name}]


def test_reject_with_explicit_approver(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="a2", workflow="approval"))
    result = agentctl("approve", "a2", "--reject", "--approver", "alex@example.com")
    assert result.code == 0
    assert "Rejected run a2" in result.out
    assert api.approvals == [{"approved": False, "approver": "alex@example.com"}]


def test_approve_an_ended_run_prints_the_conflict_and_exits_1(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="done", workflow="approval", revealed=4))
    result = agentctl("approve", "done")
    assert result.code == 1
    assert result.err.strip() == "agentctl: run 'done' is Completed"


def test_terminate_sends_the_reason(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="t1", workflow="single"))
    result = agentctl("terminate", "t1", "--reason", "no longer needed")
    assert result.code == 0
    assert "Termination requested for run t1" in result.out
    assert api.requests[-1]["body"] == {"reason": "no longer needed"}
    assert agentctl("status", "t1").code == 1


def test_events_prints_every_event_once(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="e1", workflow="single", revealed=3, batch=0))
    result = agentctl("events", "e1")
    assert result.code == 0
    assert [line.split()[0] for line in result.lines] == ["#1", "#2", "#3"]
    assert result.lines[0] == '#1  12:00:01  step_completed  step1  {"n": 1}'


def test_events_json_after(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.add_run(FakeRun(id="e2", workflow="single", revealed=3, batch=0))
    result = agentctl("events", "e2", "--after", "1", "--json")
    assert [json.loads(line)["seq"] for line in result.lines] == [2, 3]


def test_run_ids_are_sent_as_one_path_segment(agentctl: Agentctl, api: FakeRunApi) -> None:
    result = agentctl("status", "a/b?c")
    assert result.code == 4
    assert api.requests[-1]["path"] == "/api/runs/a%2Fb%3Fc"


def test_no_arguments_is_a_usage_error_that_shows_the_commands(agentctl: Agentctl) -> None:
    result = agentctl()
    assert result.code == 2
    assert "approve" in result.err


def test_steps_shows_every_step_of_a_run_the_api_pages(agentctl: Agentctl, api: FakeRunApi) -> None:
    api.steps_page = 2
    api.add_run(FakeRun("long", "single", event_count=6, revealed=5))
    result = agentctl("steps", "long", "--json")
    assert result.code == 0
    listing = last_json(result.out)
    assert [step["seq"] for step in listing["steps"]] == [1, 2, 3, 4, 5]
    assert (listing["total"], listing["next"]) == (5, None)
    asked = [request["query"] for request in api.requests if request["path"].endswith("/steps")]
    assert [query.get("after") for query in asked] == [None, "2", "4"]
    assert agentctl("steps", "long").out.count("reply ") == 5
