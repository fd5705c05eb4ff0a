"""What the engine persists about one orchestration instance besides its history."""

import json
from dataclasses import dataclass, field
from typing import Any

from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

ACTIVE_STATUSES = frozenset(
    {
        OrchestrationRuntimeStatus.Pending,
        OrchestrationRuntimeStatus.Running,
        OrchestrationRuntimeStatus.Suspended,
    }
)
TERMINAL_STATUSES = frozenset(
    {
        OrchestrationRuntimeStatus.Completed,
        OrchestrationRuntimeStatus.Failed,
        OrchestrationRuntimeStatus.Terminated,
        OrchestrationRuntimeStatus.Canceled,
    }
)


@dataclass
class RetryState:
    """A with-retry call the host is driving (protocol §2.8): what to re-run and how often."""

    kind: str  # "activity" or "orchestrator"
    name: str
    input: str | None
    max_attempts: int
    interval_ms: int
    attempts: int = 1
    last: bool = False  # set once the final ("dummy") timer is created
    instance_id: str | None = None  # an explicit child instance id, reused for every attempt
    version: str | None = None
    # Once the last attempt failed: the bookkeeping (JSON) before the episode that delivered that failure,
    # so a rewind can undo it and run the attempt again (rewind.py).
    before_last_failure: str | None = None


@dataclass
class Bookkeeping:
    """Sequence-id bookkeeping of the current execution, mirrored from the SDK's own counters.

    ``log`` holds ``(id, kind, name)`` for every id an action took, in order, for the determinism check;
    ``open`` the ids whose completion is awaited; ``retries`` the retry in flight keyed by its pending
    attempt or retry-timer id; ``rewind_point`` lets rewind restore the state before a failure.
    """

    next_id: int = 0
    log: list[tuple[int, str, str]] = field(default_factory=list)
    open: dict[int, str] = field(default_factory=dict)
    retries: dict[int, RetryState] = field(default_factory=dict)
    rewind_point: str | None = None  # this bookkeeping, as JSON, before the episode that failed

    def allocate(self) -> int:
        sequence_id = self.next_id
        self.next_id += 1
        return sequence_id

    def to_json(self) -> str:
        """Serialised on every episode: built by hand, since ``asdict`` deep-copies the whole log."""
        return json.dumps(
            {
                "next_id": self.next_id,
                "log": self.log,
                "open": self.open,
                "retries": {key: dict(vars(retry)) for key, retry in self.retries.items()},  # flat fields
                "rewind_point": self.rewind_point,
            }
        )

    @classmethod
    def from_json(cls, text: str) -> "Bookkeeping":
        raw: dict[str, Any] = json.loads(text)
        return cls(
            next_id=raw["next_id"],
            log=[tuple(entry) for entry in raw["log"]],
            open={int(k): v for k, v in raw["open"].items()},
            retries={int(k): RetryState(**v) for k, v in raw["retries"].items()},
            rewind_point=raw.get("rewind_point"),
        )


@dataclass
class ParentLink:
    """Where a sub-orchestration reports its result: the parent's execution and the task id it waits on."""

    instance_id: str
    execution_id: str
    task_id: int


@dataclass
class InstanceRecord:
    """One row of the ``instances`` table."""

    instance_id: str
    name: str
    version: str
    execution_id: str
    status: OrchestrationRuntimeStatus
    input: str | None
    created: float
    updated: float
    output: str | None = None  # JSON text
    custom_status: str | None = None  # JSON text
    parent: ParentLink | None = None
    book: Bookkeeping = field(default_factory=Bookkeeping)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES
