"""Graphs survive kill -9: a run waiting for a person, and a loop killed mid-superstep, both finish
with their in-process outputs, and no finished agent call runs twice."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from api.catalog import GRAPHS
from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost
from tests.graphs.durable_sim import example_input, in_process


@pytest.fixture
def slow_host(tmp_path: Path) -> Iterator[DevHost]:
    """A host whose model takes 300 ms a call, so a kill lands in the middle of the run."""
    env = template_env(tmp_path, OFFLINE_MODEL_DELAY_MS="300")
    with DevHost(PROJECT_ROOT, tmp_path / "state.db", env=env) as host:
        yield host


def agent_steps(api: ApiClient, run_id: str) -> list[str]:
    completed = [e for e in api.events(run_id)["events"] if e["type"] == "step_completed"]
    return [e["detail"]["agent"] for e in completed if e["name"] == "run_agent"]


def test_answered_after_a_kill_while_waiting_for_input(slow_host: DevHost) -> None:
    api = ApiClient(slow_host.http)
    given = example_input(GRAPHS["editor"])
    run_id = api.start("editor", given).json()["id"]
    [request] = api.wait_for(run_id, step="awaiting_input")["pendingInput"]

    slow_host.kill()
    slow_host.launch()
    assert api.run(run_id)["pendingInput"] == [request]
    answer = {"requestId": request["requestId"], "response": {"approved": True, "comment": "ship it"}}
    assert api.http.post(f"/api/runs/{run_id}/input", json=answer).status_code == 202
    document = api.wait_for(run_id, deadline_s=60)

    assert document["status"] == "Completed", document
    assert document["output"] == {"outputs": in_process(GRAPHS["editor"], given)}
    assert agent_steps(api, run_id) == ["writer"]


def test_a_loop_killed_mid_run_finishes_without_repeating_agent_calls(slow_host: DevHost) -> None:
    api = ApiClient(slow_host.http)
    spec = GRAPHS["writer_reviewer"]
    given = example_input(spec)
    run_id = api.start(spec.name, given).json()["id"]
    while "critic" not in agent_steps(api, run_id):
        api.events(run_id, after=api.events(run_id)["next"], wait=2)

    slow_host.kill()
    slow_host.launch()
    document = api.wait_for(run_id, deadline_s=60)

    assert document["status"] == "Completed", document
    assert document["output"] == {"outputs": in_process(spec, given)}
    assert agent_steps(api, run_id) == ["writer", "critic", "writer", "critic"]
