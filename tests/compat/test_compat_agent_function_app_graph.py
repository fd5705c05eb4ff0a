"""A multi-executor graph hosted by `AgentFunctionApp(workflow=...)` runs unchanged on devhost.

The package turns the graph into its own durable orchestration: agents as entities, plain executors as
activities, fan-in and switch-case routed by its orchestrator. Started and read through the package's
own `workflow/panel/...` routes, the run must end with the outputs the same graph yields in-process,
also after a kill -9 of the host in the middle of the run.
"""

from __future__ import annotations

import asyncio
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from devhost.testing import DevHost

COMPAT_VENV = "runs in .venv-compat: .venv-compat/bin/python -m pytest tests/compat"
pytest.importorskip("agent_framework_azurefunctions", reason=COMPAT_VENV)

HERE = Path(__file__).resolve().parent
APP_SOURCE = HERE / "graph_function_app"
MODEL = HERE / "agent_function_app" / "transcript_client.py"
QUESTION = "should we ship on friday?"


def copy_app(target: Path) -> Path:
    """Host a copy with the shared offline model beside it, leaving no bytecode in the repository."""
    app = Path(shutil.copytree(APP_SOURCE, target, ignore=shutil.ignore_patterns("__pycache__")))
    shutil.copy(MODEL, app / MODEL.name)
    return app


@pytest.fixture
def app_dir(tmp_path: Path) -> Path:
    return copy_app(tmp_path / "graph_function_app")


@pytest.fixture
def host(app_dir: Path, tmp_path: Path) -> Iterator[DevHost]:
    with DevHost(app_dir, tmp_path / "state.db") as running:
        yield running


def in_process_outputs(app_dir: Path) -> list[Any]:
    """What the same graph yields run in-process with the same offline model."""
    sys.path[:0] = [str(app_dir)]
    try:
        from panel_workflow import build_panel_workflow
        from transcript_client import TranscriptChatClient

        workflow = build_panel_workflow(
            TranscriptChatClient().as_agent(name="Optimist", instructions="You see the bright side."),
            TranscriptChatClient().as_agent(name="Skeptic", instructions="You see the risks."),
        )
        return list(asyncio.run(workflow.run(QUESTION)).get_outputs())
    finally:
        sys.path.remove(str(app_dir))
        for name in ("panel_workflow", "transcript_client"):
            sys.modules.pop(name, None)


def start(host: DevHost) -> str:
    started = host.post("/api/workflow/panel/run", content=QUESTION, headers={"Content-Type": "text/plain"})
    assert started.status_code == 202, started.text
    return str(started.json()["instanceId"])


def finished(host: DevHost, instance_id: str) -> dict[str, Any]:
    path = f"/api/workflow/panel/status/{instance_id}"
    return dict(host.poll(path, lambda r: r.json().get("runtimeStatus") in ("Completed", "Failed")).json())


def test_fan_out_fan_in_and_switch_case_give_the_in_process_outputs(host: DevHost, app_dir: Path) -> None:
    done = finished(host, start(host))

    assert done["runtimeStatus"] == "Completed", done
    assert done["output"] == in_process_outputs(app_dir)
    assert done["output"][0].startswith("long (")


def test_the_graph_finishes_after_a_kill_9(host: DevHost, app_dir: Path) -> None:
    instance_id = start(host)
    host.kill()
    host.launch()

    done = finished(host, instance_id)

    assert done["runtimeStatus"] == "Completed", done
    assert done["output"] == in_process_outputs(app_dir)
