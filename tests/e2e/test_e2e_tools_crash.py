"""The tool loop survives kill -9: the run completes and no finished tool call is repeated."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost

QUESTION = "What is 17 * 23? Also please open a ticket: the office VPN is broken."


@pytest.fixture
def slow_host(tmp_path: Path) -> Iterator[DevHost]:
    """A host whose model takes 300 ms a call, so a kill lands in the middle of the run."""
    env = template_env(tmp_path, OFFLINE_MODEL_DELAY_MS="300")
    with DevHost(PROJECT_ROOT, tmp_path / "state.db", env=env) as host:
        yield host


def outbox_attempts(outbox: Path) -> dict[str, int]:
    """Attempts per idempotency key, read the way the tools write it."""
    os.environ["OUTBOX_PATH"] = str(outbox)
    from agents.tools import outbox as store

    return {record.key: record.attempts for record in store.records()}


def test_killed_mid_run_completes_without_repeating_tool_calls(slow_host: DevHost, tmp_path: Path) -> None:
    api = ApiClient(slow_host.http)
    run_id = api.start("tools", {"question": QUESTION}).json()["id"]
    api.wait_for_tool_step(run_id, "create_ticket")
    finished_before_kill = outbox_attempts(tmp_path / "outbox.db")
    assert len(finished_before_kill) == 1

    slow_host.kill()
    slow_host.launch()
    document = api.wait_for(run_id, deadline_s=60)

    assert document["status"] == "Completed", document
    names = sorted(call["name"] for call in document["output"]["tool_calls"])
    assert names == ["calculator", "create_ticket"]
    after = outbox_attempts(tmp_path / "outbox.db")
    assert len(after) == 1 and all(key.startswith(f"{run_id}:") for key in after)
    for key, attempts in finished_before_kill.items():
        assert after[key] == attempts == 1, (key, after)
