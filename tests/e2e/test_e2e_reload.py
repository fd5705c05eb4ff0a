"""The template under `python -m devhost --reload` (as `make run` serves it): edits are served, runs go on.

A copy of the template is edited while runs are in flight: one waits for approval, one has agent
calls running (a slow offline model), one client holds a long poll open. After the reload the new
code answers, both runs complete with nothing lost, and the long poll's client resumes.
"""

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost, copy_app

OLD = "One agent answers one question."
NEW = "One agent answers one question, now edited."


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return copy_app(PROJECT_ROOT, tmp_path / "app")


@pytest.fixture
def host(app: Path, tmp_path: Path) -> Iterator[DevHost]:
    env = template_env(tmp_path, OFFLINE_MODEL_DELAY_MS="300")
    with DevHost(app, tmp_path / "state.db", env=env, host_args=["--reload"]) as running:
        yield running


def descriptions(reply: httpx.Response) -> set[str]:
    """The workflow descriptions in a `GET /api/workflows` reply (the poll's own: a second request
    could land on the keep-alive connection the old host closes as it stops)."""
    return {workflow["description"] for workflow in reply.json()}


def test_an_edit_is_served_while_runs_and_a_long_poll_are_in_flight(host: DevHost, app: Path) -> None:
    api = ApiClient(host.http)
    waiting = api.start("approval", {"topic": "reload", "timeout_s": 600}).json()["id"]
    api.wait_for(waiting, step="awaiting_approval")
    working = api.start("chain", {"topic": "reload"}).json()["id"]
    seen = max(event["seq"] or 0 for event in api.events(waiting)["events"])  # the last step event
    long_poll: list[object] = []
    poller = threading.Thread(target=lambda: long_poll.append(open_long_poll(host, waiting, seen)))
    poller.start()

    catalog = app / "api" / "catalog.py"
    catalog.write_text(catalog.read_text().replace(OLD, NEW))
    host.poll("/api/workflows", lambda reply: reply.status_code == 200 and NEW in descriptions(reply))

    poller.join(timeout=15)  # the old host closed it: it does not run to its 20 s wait
    assert not poller.is_alive() and long_poll, "the long poll was left hanging across the reload"
    assert host.post(f"/api/runs/{waiting}/approval", json={"approved": True}).status_code == 202
    approved, chained = api.wait_for(waiting), api.wait_for(working)
    assert approved["status"] == "Completed", approved
    assert chained["status"] == "Completed" and {"research", "draft", "review"} <= set(chained["output"])
    later = api.events(waiting, after=seen)["events"]  # the client's next poll resumes where it was
    assert [event["seq"] for event in later] == list(range(seen + 1, seen + 1 + len(later)))
    assert later[-1]["type"] == "run_completed"
    assert "Reloading: api/catalog.py changed" in host.log_tail(2000)


def open_long_poll(host: DevHost, run_id: str, after: int) -> object:
    """A 20 s long poll for events after `after`: its response, or the error that ended it."""
    try:
        return host.get(f"/api/runs/{run_id}/events", params={"after": after, "wait": 20}, timeout=30)
    except httpx.TransportError as error:
        return error
