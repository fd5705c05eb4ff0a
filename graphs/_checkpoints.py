"""A graph's checkpoint as plain JSON in the durable history, and the storage one superstep uses.

The orchestrator keeps the latest checkpoint (shared state, in-flight messages, fan-in buffers,
pending requests, iteration count) in its history and hands it to the next superstep, so a kill -9
at any point resumes from the last finished superstep. Values that are not JSON are pickled by
agent-framework's own encoder; decoding is restricted to agent-framework's safe set plus the
classes defined in this template's `graphs` and `agents` packages.
"""

import inspect
import sys
from functools import cache
from typing import Any

from agent_framework import WorkflowCheckpoint
from agent_framework._workflows._checkpoint_encoding import decode_checkpoint_value, encode_checkpoint_value

_OWN_PACKAGES = ("graphs", "agents")


def encode(checkpoint: WorkflowCheckpoint) -> dict[str, Any]:
    """The checkpoint as a JSON object."""
    return encode_checkpoint_value(checkpoint.to_dict())  # type: ignore[no-any-return]


def decode(data: dict[str, Any]) -> WorkflowCheckpoint:
    """The checkpoint a previous superstep encoded."""
    return WorkflowCheckpoint.from_dict(decode_checkpoint_value(data, allowed_types=_own_types()))


class StepStorage:
    """In-memory `CheckpointStorage` for one superstep: the restored checkpoint and what it saves."""

    def __init__(self) -> None:
        self._saved: dict[str, WorkflowCheckpoint] = {}

    @property
    def latest(self) -> WorkflowCheckpoint | None:
        """The checkpoint saved last (the one at the end of the superstep)."""
        return next(reversed(self._saved.values()), None)

    async def save(self, checkpoint: WorkflowCheckpoint) -> str:
        self._saved[checkpoint.checkpoint_id] = checkpoint
        return checkpoint.checkpoint_id

    async def load(self, checkpoint_id: str) -> WorkflowCheckpoint:
        return self._saved[checkpoint_id]

    async def list_checkpoints(self, *, workflow_name: str) -> list[WorkflowCheckpoint]:
        return [c for c in self._saved.values() if c.workflow_name == workflow_name]

    async def delete(self, checkpoint_id: str) -> bool:
        return self._saved.pop(checkpoint_id, None) is not None

    async def get_latest(self, *, workflow_name: str) -> WorkflowCheckpoint | None:
        return next(reversed(await self.list_checkpoints(workflow_name=workflow_name)), None)

    async def list_checkpoint_ids(self, *, workflow_name: str) -> list[str]:
        return [c.checkpoint_id for c in await self.list_checkpoints(workflow_name=workflow_name)]


def _own_types() -> frozenset[str]:
    """`module:qualname` of every class defined in the template's graph and agent modules."""
    return _classes_loaded(len(sys.modules))


@cache
def _classes_loaded(module_count: int) -> frozenset[str]:
    """Scanned again only when modules were imported since: a scan costs more than a superstep."""
    keys: set[str] = set()
    for name, module in list(sys.modules.items()):
        if module is None or name.split(".", 1)[0] not in _OWN_PACKAGES:
            continue
        for _, value in inspect.getmembers(module, inspect.isclass):
            if value.__module__ == name:
                keys.add(f"{name}:{value.__qualname__}")
    return frozenset(keys)
