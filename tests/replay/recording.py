"""Recorded histories: the file format, where they live, and which orchestrator replays each one.

A recording is `{workflow, input, history, output, actions}`: the run's input, its history exactly as
the management API showed it (with outputs), the run's output, and the actions the orchestrator code
produced when replaying that history at recording time. Files are written with sorted keys and a fixed
indent so a re-recording diffs cleanly.
"""

import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from api.catalog import GRAPHS
from graphs._registration import orchestrator_for
from orchestrators.approval import approval
from orchestrators.chain import chain
from orchestrators.critic import critic
from orchestrators.fanout import fanout
from orchestrators.routing import routing
from orchestrators.session import session
from orchestrators.single import single
from orchestrators.tools import tools

HISTORIES = Path(__file__).resolve().parent / "histories"
ORCHESTRATORS: dict[str, Callable[..., Any]] = {
    "single": single,
    "chain": chain,
    "fanout": fanout,
    "routing": routing,
    "critic": critic,
    "approval": approval,
    "tools": tools,
    "session": session,
    **{name: orchestrator_for(spec) for name, spec in GRAPHS.items()},
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
