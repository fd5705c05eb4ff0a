"""Recorded histories: the file format, where they live, and which orchestrator replays each one.

A recording is `{workflow, input, history, output, actions}`: the run's input, its DTFx history as
the embedded host stored it (older recordings: the management API's view of it), the run's output,
and the actions the orchestrator code produced when replaying that history at recording time.
Files are written with sorted keys and a fixed indent so a re-recording diffs cleanly.
"""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from tests.support.app_functions import app_functions

HISTORIES = Path(__file__).resolve().parent / "histories"
# Every orchestrator function_app.py registers, as the host calls it (the SDK's handle around the
# generator): a workflow or graph a user adds is replayed too, with no edit here.
ORCHESTRATORS: dict[str, Callable[..., Any]] = {
    function.get_function_name(): function.get_user_function()
    for function in app_functions()
    if any(binding.type == "orchestrationTrigger" for binding in function.get_bindings())
}


@dataclass
class Recording:
    """One finished run of a workflow, as stored in `histories/<workflow>.json`."""

    workflow: str
    input: Any
    history: list[dict[str, Any]]
    output: Any
    actions: list[dict[str, Any]]

    def to_text(self) -> str:
        return json.dumps(asdict(self), indent=1, sort_keys=True, ensure_ascii=False) + "\n"

    @classmethod
    def from_text(cls, text: str) -> "Recording":
        return cls(**json.loads(text))


def history_path(workflow: str) -> Path:
    return HISTORIES / f"{workflow}.json"


def load(workflow: str) -> Recording:
    """The stored recording of `workflow`; the error says how to make one."""
    path = history_path(workflow)
    if not path.exists():
        raise FileNotFoundError(
            f"no recording {path}; run `python -m tests.replay.record` (make record-histories)"
        )
    return Recording.from_text(path.read_text())
