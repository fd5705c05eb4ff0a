"""`GraphSpec`: what one module in `graphs/` declares so its agent-framework Workflow runs durably.

A graph module defines `GRAPH = GraphSpec(...)`; the app finds it at start-up (graphs/_discovery.py),
lists and starts it like any workflow, and runs it one superstep at a time on the generic graph
orchestrator (docs/graphs.md).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from pydantic import BaseModel

if TYPE_CHECKING:
    from agent_framework import Workflow

InputT = TypeVar("InputT", bound=BaseModel)

# Graph names become orchestrator names, URL segments and MCP tool names: keep them plain.
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,62}")
DEFAULT_INPUT_TIMEOUT_S = 86_400


@dataclass(frozen=True)
class GraphRetry:
    """How often a failed superstep is tried, and the durable pause between attempts (the SDK's
    `RetryOptions`, which the host runs)."""

    attempts: int = 3
    interval_s: float = 2.0

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError(f"GraphRetry.attempts must be at least 1 (got {self.attempts})")
        if self.interval_s <= 0:
            raise ValueError(f"GraphRetry.interval_s must be positive (got {self.interval_s})")


@dataclass(frozen=True)
class GraphSpec(Generic[InputT]):
    """One durable graph.

    `build` returns a new `agent_framework.Workflow` each call (a workflow instance runs once at a
    time); `start` turns the validated input into the start executor's message. `input_timeout_s`
    bounds every wait for a person's answer to `ctx.request_info(...)`; `retry` applies to each
    superstep (agent and tool calls have their own retries on the model path).
    """

    name: str
    description: str
    input_model: type[InputT]
    build: "Callable[[], Workflow]"
    start: Callable[[InputT], Any]
    input_timeout_s: int = DEFAULT_INPUT_TIMEOUT_S
    retry: GraphRetry = field(default_factory=GraphRetry)

    def __post_init__(self) -> None:
        if not NAME_PATTERN.fullmatch(self.name):
            raise ValueError(
                f"graph name {self.name!r} must be lower-case letters, digits and '_', starting with a letter"
            )
        if not (isinstance(self.input_model, type) and issubclass(self.input_model, BaseModel)):
            raise ValueError(f"graph {self.name!r}: input_model must be a pydantic BaseModel class")
        if self.input_timeout_s < 1:
            raise ValueError(f"graph {self.name!r}: input_timeout_s must be at least 1 second")
        if not self.description.strip():
            raise ValueError(f"graph {self.name!r}: description must not be empty")


# A graph of any input model: what discovery, the step activity and registration handle.
AnyGraph = GraphSpec[Any]
