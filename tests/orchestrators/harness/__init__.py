"""A replay harness that drives orchestrators through the real Durable Functions SDK on devhost's engine.

`OrchestrationRun` plays the host with devhost's own episode and decision code (trigger payload,
sequence ids, scheduling events, host-side retries, the determinism check), and delivers results one
at a time (or all of them with `drive`). `Recording` / `replay` re-run a stored history against the
current code.

Recorded-history replay tests: drive a run once, keep `run.recording().to_json()` as a file, and in
the test `replayed = replay(orchestrator, Recording.from_json(text))`, then compare `replayed.actions`
with `recording.state["actions"]` (and output, custom status): a changed decision, activity name or
input shows up there (see test_orch_replay.py).
"""

from tests.orchestrators.harness.driver import Episode, Recording, Work, replay
from tests.orchestrators.harness.fakes import (
    FakeActivities,
    PermanentModelError,
    TransientModelError,
    agent_result,
    script,
)
from tests.orchestrators.harness.history import T0
from tests.orchestrators.harness.run import OrchestrationRun

__all__ = [
    "T0",
    "Episode",
    "FakeActivities",
    "OrchestrationRun",
    "PermanentModelError",
    "Recording",
    "TransientModelError",
    "Work",
    "agent_result",
    "replay",
    "script",
]
