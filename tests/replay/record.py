"""Record one real run of every workflow on the embedded host: `python -m tests.replay.record`.

Starts the template under devhost (offline model, temporary state and outbox), runs each workflow
through the run API the way a user does (the approval run is approved once it waits; the session
recording is a third turn, with SESSION_MAX_MESSAGES=4 so it also compacts), reads the run's DTFx
history from the host's state file and writes `tests/replay/histories/<workflow>.json`. (The management
API's view cannot be replayed: like the real extension's, it drops the ids that pair each completion
with its scheduling event, so fanned-out results could not be given back to the right tasks.)

Before writing, each history is replayed through the current code: the replay must reach the run's
real output and pass DTFx's determinism check, otherwise the recording is refused (that would mean
the history was not rebuilt faithfully). The actions of that replay are stored as the expected ones.
A workflow without an input in INPUTS (one a user added) runs with `example_workflow_input`.
Usage: `python -m tests.replay.record [workflow ...]` (default: every orchestrator the app registers).
"""

import json
import sqlite3
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from api.catalog import GRAPHS
from bench.run_api import ApiClient
from bench.template_host import PROJECT_ROOT, template_env
from devhost.testing import DevHost
from tests.graphs.durable_sim import example_answer, example_input
from tests.replay.example_input import example_workflow_input
from tests.replay.history_view import dtfx_history
from tests.replay.recording import ORCHESTRATORS, Recording, history_path
from tests.replay.replayer import differences, nondeterminism, replay

INPUTS: dict[str, dict[str, Any]] = {
    "single": {"question": "What is a durable orchestration?"},
    "chain": {"topic": "durable agents"},
    "fanout": {"topic": "a four-day work week"},
    "routing": {"question": "I was charged twice on my last invoice, can I get a refund?"},
    "critic": {"topic": "why idempotency keys matter", "max_rounds": 3},
    "approval": {"topic": "launch plan", "timeout_s": 3600},
    "tools": {"question": "What is 17 * 23? Also please open a ticket: the office VPN is broken."},
    "session": {"session_id": "replay", "message": "And what should I pack for the trip?"},
    **{name: example_input(spec) for name, spec in GRAPHS.items()},
}
SESSION_WARMUP = ("Hello, I am Sam and I am planning a trip to Lisbon.", "I would like to see old trams.")


class RecordingError(RuntimeError):
    """A run did not complete, or its history does not replay to what the run really did."""


def run_workflow(api: ApiClient, workflow: str, given: dict[str, Any]) -> str:
    """Drive one run to its end through the run API; returns its run id."""
    if workflow == "session":
        for message in (*SESSION_WARMUP, given["message"]):
            response = api.http.post(
                f"/api/sessions/{given['session_id']}/messages", json={"message": message}
            )
            if response.status_code != 200:
                raise RecordingError(f"session message: {response.status_code} {response.text}")
        return str(response.json()["runId"])
    if workflow == "approval":
        run_id = str(api.start(workflow, given).json()["id"])
        api.wait_for(run_id, step="awaiting_approval")
        decision = {"approved": True, "comment": "recorded approval"}
        response = api.http.post(f"/api/runs/{run_id}/approval", json=decision)
        if response.status_code != 202:
            raise RecordingError(f"approve {run_id}: {response.status_code} {response.text}")
        api.wait_for(run_id)
        return run_id
    if workflow in GRAPHS:  # a graph that asks a person gets each request's example answer
        run_id = str(api.start(workflow, given).json()["id"])
        api.answer_until_done(run_id, example_answer)
        return run_id
    return str(api.run_to_end(workflow, given)["id"])


def stored_history(state: Path, run_id: str) -> list[dict[str, Any]]:
    """The run's DTFx history as devhost stored it (what the SDK replays)."""
    with sqlite3.connect(f"file:{state}?mode=ro", uri=True) as conn:
        rows = conn.execute("SELECT event FROM history WHERE instance_id = ? ORDER BY position", (run_id,))
        return [json.loads(row[0]) for row in rows]


def capture(host: DevHost, state: Path, workflow: str) -> Recording:
    """Run `workflow` once and turn its stored history into a checked recording."""
    given = INPUTS.get(workflow) or example_workflow_input(workflow)
    run_id = run_workflow(ApiClient(host.http), workflow, given)
    status = host.wait(run_id)
    if status["runtimeStatus"] != "Completed":
        raise RecordingError(
            f"{workflow} run {run_id} ended {status['runtimeStatus']}: {status.get('output')}"
        )
    history = stored_history(state, run_id)
    replayed = replay(ORCHESTRATORS[workflow], dtfx_history(history))
    problems = differences(replayed.actions, status["output"], replayed)
    verdict = nondeterminism(dtfx_history(history), replayed)
    if problems or verdict:
        raise RecordingError(
            f"{workflow} run {run_id} does not replay:\n" + "\n".join([*problems, verdict or ""])
        )
    return Recording(workflow, given, history, status["output"], replayed.actions)


@contextmanager
def recording_host() -> Iterator[Callable[[str], Recording]]:
    """A fresh host (temporary state, offline model) and what records one workflow's run on it."""
    with tempfile.TemporaryDirectory(prefix="record-") as tmp:
        env = template_env(Path(tmp), SESSION_MAX_MESSAGES="4", TASKHUB_NAME="recordhub")
        state = Path(tmp) / "state.db"
        with DevHost(PROJECT_ROOT, state, env=env) as host:
            yield lambda workflow: capture(host, state, workflow)


def record(workflows: list[str]) -> list[Path]:
    """Record `workflows` on a fresh host; returns the files written."""
    unknown = sorted(set(workflows) - set(ORCHESTRATORS))
    if unknown:
        raise SystemExit(f"unknown workflow(s) {unknown}; known: {sorted(ORCHESTRATORS)}")
    written = []
    with recording_host() as recorded:
        for workflow in workflows:
            path = history_path(workflow)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(recorded(workflow).to_text())
            written.append(path)
            print(f"recorded {workflow}: {path.relative_to(PROJECT_ROOT)}")
    return written


if __name__ == "__main__":
    record(sys.argv[1:] or list(ORCHESTRATORS))
