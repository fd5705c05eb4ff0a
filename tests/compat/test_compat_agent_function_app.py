"""An app built on agent-framework-azurefunctions' `AgentFunctionApp` runs unchanged on devhost.

Everything goes through a devhost subprocess, as a user sees it: the package's generated
`POST /api/agents/{name}/run` route (wait for the reply, or 202 and read the entity later),
orchestrations that call agents (twice on one session; two agents at once), a hosted workflow that
waits for a person, the agent entities' state and operations through the management API, a kill -9
and restart on the same state, and a slow model that neither stalls the host nor serialises sessions.

The package pins dependencies our main venv cannot take, so these tests run in `.venv-compat`
(`make test-compat`) and skip anywhere the package is not installed.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from devhost.testing import DevHost

try:
    from agent_framework.azure import AgentFunctionApp  # noqa: F401  (the app imports it the same way)
except ImportError as missing:
    pytest.skip(
        f"agent-framework-azurefunctions is not installed ({missing}); run these tests in .venv-compat:"
        " .venv-compat/bin/python -m pytest tests/compat",
        allow_module_level=True,
    )

APP_SOURCE = Path(__file__).resolve().parent / "agent_function_app"
RUN = "/api/agents/Scribe/run"
WEBHOOKS = "/runtime/webhooks/durabletask"
ENTITIES = f"{WEBHOOKS}/entities/dafx-Scribe"
MODEL_DELAY_S = 2.0  # the slow model's latency (TRANSCRIPT_MODEL_DELAY_S) in the slow-model tests


def copy_app(target: Path) -> Path:
    """Host a copy, so importing the app leaves no bytecode in the repository."""
    return Path(shutil.copytree(APP_SOURCE, target, ignore=shutil.ignore_patterns("__pycache__")))


@pytest.fixture(scope="module")
def host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    """One host for the tests that need no restart or slow model."""
    app = copy_app(tmp_path_factory.mktemp("app") / "agent_function_app")
    with DevHost(app, tmp_path_factory.mktemp("state") / "state.db") as running:
        yield running


@pytest.fixture
def slow_host(tmp_path: Path) -> Iterator[DevHost]:
    """A host of its own whose model takes MODEL_DELAY_S to answer."""
    app = copy_app(tmp_path / "agent_function_app")
    env = {"TRANSCRIPT_MODEL_DELAY_S": str(MODEL_DELAY_S)}
    with DevHost(app, tmp_path / "state.db", env=env) as running:
        yield running


def ask(host: DevHost, session_id: str, message: str, **fields: Any) -> httpx.Response:
    return host.post(RUN, json={"message": message, "session_id": session_id, **fields})


def history(state: dict[str, Any]) -> list[dict[str, Any]]:
    """The agent entity's conversation: request and response entries, oldest first."""
    return list(state["data"]["conversationHistory"])


def texts(entry: dict[str, Any]) -> list[str]:
    return [content["text"] for message in entry["messages"] for content in message["contents"]]


def sessions_of(host: DevHost, agent: str, instance_id: str) -> list[dict[str, Any]]:
    """The agent's entities (id and state, from the management API) that this orchestration ran."""
    listed = host.get(f"{WEBHOOKS}/entities/dafx-{agent}", params={"fetchState": "true"})
    assert listed.status_code == 200, listed.text
    return [
        item
        for item in listed.json()
        if any(entry.get("orchestrationId") == instance_id for entry in history(item["state"]))
    ]


def test_run_route_waits_for_the_reply_and_keeps_the_session(host: DevHost) -> None:
    first = ask(host, "cats", "my cat is Tom")
    second = ask(host, "cats", "what is my cat called?")

    assert first.status_code == 200, first.text
    assert first.headers["content-type"].startswith("application/json")
    assert first.json()["status"] == "success"
    assert first.json()["response"] == "turn 1: my cat is Tom"
    assert (first.json()["session_id"], first.json()["message_count"]) == ("cats", 2)
    assert second.status_code == 200, second.text
    assert second.json()["response"] == "turn 2: what is my cat called? | earlier: my cat is Tom"
    assert second.json()["message_count"] == 4
    assert first.json()["correlation_id"] != second.json()["correlation_id"]


def test_plain_text_run_with_a_thread_id_answers_in_text(host: DevHost) -> None:
    headers = {"Content-Type": "text/plain"}
    first = host.post(RUN, params={"thread_id": "notes"}, content="buy milk", headers=headers)
    second = host.post(RUN, params={"thread_id": "notes"}, content="and bread", headers=headers)

    assert first.status_code == 200, first.text
    assert first.headers["content-type"].startswith("text/plain")
    assert first.headers["x-ms-session-id"] == "notes"
    assert first.text == "turn 1: buy milk"
    assert second.text == "turn 2: and bread | earlier: buy milk"


def test_run_without_waiting_is_accepted_and_lands_in_the_entity(host: DevHost) -> None:
    accepted = ask(host, "later", "remember the code 42", wait_for_response=False)

    assert accepted.status_code == 202, accepted.text
    assert accepted.json()["status"] == "accepted"
    correlation_id = accepted.json()["correlation_id"]
    state = host.poll(
        f"{ENTITIES}/later",
        lambda r: r.status_code == 200 and len(history(r.json())) == 2,
    ).json()
    response = history(state)[1]
    assert (response["$type"], response["correlationId"]) == ("response", correlation_id)
    assert texts(response) == ["turn 1: remember the code 42"]


def test_requests_the_package_rejects(host: DevHost) -> None:
    missing = host.post(RUN, json={"session_id": "x"})
    conflicting = host.post(RUN, params={"session_id": "a"}, json={"message": "hi", "session_id": "b"})

    assert (missing.status_code, missing.json()) == (400, {"error": "Message is required"})
    assert conflicting.status_code == 400
    assert "Conflicting session identifiers" in conflicting.json()["error"]


def test_orchestration_calls_the_agent_twice_on_one_session(host: DevHost) -> None:
    started = host.post("/api/chain/run", content="badgers")

    assert started.status_code == 202, started.text
    instance_id = started.json()["id"]
    assert started.headers["Location"] == started.json()["statusQueryGetUri"]
    status = host.wait(instance_id)
    assert status["runtimeStatus"] == "Completed", status
    assert status["output"] == {
        "first": "turn 1: note the topic badgers",
        "second": "turn 2: what was the topic? | earlier: note the topic badgers",
    }
    sessions = sessions_of(host, "Scribe", instance_id)
    assert len(sessions) == 1 and sessions[0]["entityId"]["name"] == "dafx-scribe"
    read = host.get(f"{ENTITIES}/{sessions[0]['entityId']['key']}")
    assert read.status_code == 200
    assert [entry["$type"] for entry in history(read.json())] == ["request", "response"] * 2


def test_orchestration_fans_out_to_two_agents(host: DevHost) -> None:
    instance_id = host.start("agent_panel", "is the plan complete?")

    status = host.wait(instance_id)

    assert status["runtimeStatus"] == "Completed", status
    assert status["output"] == {
        "scribe": "turn 1: is the plan complete?",
        "critic": "turn 1: is the plan complete?",
    }
    assert len(sessions_of(host, "Critic", instance_id)) == 1


def test_workflow_waits_for_a_person_and_completes(host: DevHost) -> None:
    started = host.post(
        "/api/workflow/review/run", content="draft this", headers={"Content-Type": "text/plain"}
    )
    assert started.status_code == 202, started.text
    status_path = f"/api/workflow/review/status/{started.json()['instanceId']}"

    waiting = host.poll(status_path, lambda r: bool(r.json().get("pendingHumanInputRequests"))).json()
    answered = host.post(waiting["pendingHumanInputRequests"][0]["respondUrl"], json={"approved": True})
    done = host.poll(status_path, lambda r: r.json()["runtimeStatus"] == "Completed").json()

    assert waiting["runtimeStatus"] == "Running"
    assert answered.status_code == 200, answered.text
    assert done["output"] == ["turn 1: draft this -> approved"]


def test_agent_without_http_endpoint_has_no_route(host: DevHost) -> None:
    assert host.post("/api/agents/Critic/run", json={"message": "hi"}).status_code == 404


def test_unknown_session_reads_as_404(host: DevHost) -> None:
    assert host.get(f"{ENTITIES}/never-used").status_code == 404


def test_reset_signalled_through_the_management_api(host: DevHost) -> None:
    assert ask(host, "to-reset", "forget me").status_code == 200

    signalled = host.post(f"{ENTITIES}/to-reset", params={"op": "reset"})

    assert signalled.status_code == 202
    host.poll(f"{ENTITIES}/to-reset", lambda r: r.status_code == 200 and history(r.json()) == [])
    assert ask(host, "to-reset", "hello again").json()["response"] == "turn 1: hello again"


def test_conversation_survives_kill_9(tmp_path: Path) -> None:
    app = copy_app(tmp_path / "agent_function_app")
    with DevHost(app, tmp_path / "state.db") as running:
        assert ask(running, "durable", "first words").status_code == 200
        running.restart()  # SIGKILL, then a new process on the same state

        after = ask(running, "durable", "second words")

    assert after.status_code == 200, after.text
    assert after.json()["response"] == "turn 2: second words | earlier: first words"
    assert after.json()["message_count"] == 4


def timed_get(host: DevHost, path: str) -> tuple[httpx.Response, float]:
    started = time.perf_counter()
    response = host.get(path)
    return response, time.perf_counter() - started


def test_slow_model_does_not_stall_the_host(slow_host: DevHost) -> None:
    """While an agent waits for its model the host keeps answering, and the session stays in order."""
    for message in ("one", "two"):
        accepted = ask(slow_host, "slow", message, wait_for_response=False)
        assert accepted.status_code == 202, accepted.text

    while_thinking, elapsed = timed_get(slow_host, f"{ENTITIES}/slow")
    health, health_elapsed = timed_get(slow_host, "/api/health")
    state = slow_host.poll(
        f"{ENTITIES}/slow",
        lambda r: r.status_code == 200 and len(history(r.json())) == 4,
        deadline=6 * MODEL_DELAY_S,
    ).json()

    assert while_thinking.status_code == 404  # the first reply is not there yet, and we were not kept waiting
    assert elapsed < MODEL_DELAY_S / 2 and health_elapsed < MODEL_DELAY_S / 2
    assert health.status_code == 200 and health.json()["status"] == "healthy"
    replies = [texts(entry) for entry in history(state) if entry["$type"] == "response"]
    assert replies == [["turn 1: one"], ["turn 2: two | earlier: one"]]


def test_slow_agents_on_different_sessions_think_at_the_same_time(slow_host: DevHost) -> None:
    """The panel's two agent calls overlap: their replies are stamped less than half a model delay apart."""
    instance_id = slow_host.start("agent_panel", "ready?")

    status = slow_host.wait(instance_id, deadline=6 * MODEL_DELAY_S)
    sessions = [sessions_of(slow_host, agent, instance_id) for agent in ("Scribe", "Critic")]

    assert status["runtimeStatus"] == "Completed", status
    replied_at = [
        datetime.fromisoformat(entry["createdAt"])
        for found in sessions
        for entry in history(found[0]["state"])
        if entry["$type"] == "response"
    ]
    assert len(replied_at) == 2
    assert abs((replied_at[0] - replied_at[1]).total_seconds()) < MODEL_DELAY_S / 2


def test_run_interrupted_by_kill_9_runs_again_after_restart(slow_host: DevHost) -> None:
    """A crash while the model thinks loses nothing: the queued operation runs once the host is back."""
    accepted = ask(slow_host, "crash", "survive this", wait_for_response=False)
    assert accepted.status_code == 202, accepted.text
    assert slow_host.get(f"{ENTITIES}/crash").status_code == 404  # still thinking

    slow_host.restart()  # SIGKILL mid-call, then a new process on the same state
    state = slow_host.poll(
        f"{ENTITIES}/crash",
        lambda r: r.status_code == 200 and len(history(r.json())) == 2,
        deadline=6 * MODEL_DELAY_S,
    ).json()

    assert history(state)[1]["correlationId"] == accepted.json()["correlation_id"]
    assert texts(history(state)[1]) == ["turn 1: survive this"]
