"""A replay harness that drives orchestrators through the real Durable Functions SDK.

`OrchestrationRun` plays the host: it builds DTFx-shaped histories, calls the orchestrator handle
each episode, schedules the actions it returns, and delivers results one at a time (or all of them
with `drive`). `Recording` / `replay` re-run a stored history against the current code.

Recorded-history replay tests: drive a run once, keep `run.recording().to_json()` as a file, and in
the test `state = replay(orchestrator, Recording.from_json(text))`, then compare
`flatten(state["actions"][0])` with `recording.state["actions"]` (and output, custom status): a
changed decision, activity name or input shows up there (see test_orch_replay.py).
"""

from devhost.episode import flatten
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
    "flatten",
    "replay",
    "script",
]
