"""agentctl against the real embedded host, as a user runs it in a terminal (no TTY: plain output)."""

import json
import socket
import subprocess
import sys
from typing import Any

from bench.run_api import ApiClient
from devhost.testing import DevHost


def agentctl(host: DevHost, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "agentctl", "--url", host.base_url, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    )


def last_json(result: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_run_follow_prints_the_final_document_last(template_host: DevHost) -> None:
    result = agentctl(template_host, "run", "chain", "-i", '{"topic": "otters"}', "--follow", "--json")

    assert result.returncode == 0, result.stderr
    document = last_json(result)
    assert document["status"] == "Completed" and "otters" in document["output"]["review"].lower()


def test_approve_a_waiting_run_then_follow_its_events(template_host: DevHost, api: ApiClient) -> None:
    started = agentctl(
        template_host, "run", "approval", "-i", '{"topic": "launch", "timeout_s": 600}', "--json"
    )
    run_id = last_json(started)["id"]
    api.wait_for(run_id, step="awaiting_approval")

    approved = agentctl(template_host, "approve", run_id, "--comment", "ship it", "--approver", "kim")
    assert approved.returncode == 0, approved.stderr
    events = agentctl(template_host, "events", run_id, "--follow", "--json")
    assert events.returncode == 0
    kinds = [json.loads(line)["type"] for line in events.stdout.splitlines() if line.startswith("{")]
    assert "event_received" in kinds and kinds[-1] == "run_completed"
    assert api.run(run_id)["output"]["approver"] == "kim"


def test_listing_status_and_workflows(template_host: DevHost) -> None:
    assert "chain" in agentctl(template_host, "workflows").stdout
    assert agentctl(template_host, "list", "--workflow", "chain").returncode == 0
    missing = agentctl(template_host, "status", "0123456789abcdef")
    assert missing.returncode == 4 and "not found" in missing.stderr.lower()
    assert "Traceback" not in missing.stderr


def test_chat_keeps_the_conversation(template_host: DevHost) -> None:
    result = agentctl(template_host, "chat", "cli-chat", stdin="My name is Ada.\nWho am I?\n")
    assert result.returncode == 0, result.stderr
    assert "Ada" in result.stdout.splitlines()[-1]


def test_unreachable_api_names_the_url(template_host: DevHost) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}"
    result = subprocess.run(
        [sys.executable, "-m", "agentctl", "--url", dead, "health"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 3 and dead in result.stderr


def test_steps_shows_each_agent_and_tool_step(template_host: DevHost, api: ApiClient) -> None:
    run_id = api.run_to_end("tools", {"question": "What is 17*23?"})["id"]

    shown = agentctl(template_host, "steps", run_id)
    assert shown.returncode == 0, shown.stderr
    assert "1. agent tool_agent  completed" in shown.stdout
    assert "tool call calculator" in shown.stdout and '"17*23"' in shown.stdout
    assert "2. tool calculator  completed" in shown.stdout and "391" in shown.stdout
    assert "message (user): What is 17*23?" in shown.stdout

    as_json = last_json(agentctl(template_host, "steps", run_id, "--json"))
    assert [step["kind"] for step in as_json["steps"]] == ["agent", "tool", "agent"]
    assert agentctl(template_host, "steps", "no-such-run").returncode == 4


def test_status_shows_a_graphs_pending_request_and_answer_delivers_it(
    template_host: DevHost, api: ApiClient
) -> None:
    run_id = api.start("editor", {"topic": "launch"}).json()["id"]
    [request] = api.wait_for(run_id, step="awaiting_input")["pendingInput"]

    shown = agentctl(template_host, "status", run_id)
    assert f"request {request['requestId']} from editor" in shown.stdout
    assert f"agentctl answer {run_id} --response" in shown.stdout
    wrong = agentctl(template_host, "answer", run_id, "--response", '{"approved": "maybe"}')
    assert wrong.returncode != 0 and "response.approved" in wrong.stderr
    answered = agentctl(
        template_host, "answer", run_id, "-r", '{"approved": true, "comment": "go"}', "--json"
    )
    assert answered.returncode == 0, answered.stderr
    assert last_json(answered)["requestId"] == request["requestId"]
    assert api.wait_for(run_id)["output"]["outputs"][0]["decision"] == "approved"
    again = agentctl(template_host, "answer", run_id, "-r", "true")
    assert again.returncode == 1 and "not waiting for input" in again.stderr  # as approve's 409
