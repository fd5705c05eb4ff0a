"""What a benchmarked system is: a name, whether it is durable, and a session that runs chains."""

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from bench.peers.workload import ChainOutput


@dataclass(frozen=True)
class ChainRun:
    """One finished chain run.

    `answered_at` is the wall-clock time (`time.time()`) at which the client had the answer, for
    systems that do more after it (the template reads the run's events to learn `ended_at`); the
    headline latency runs to it. `ended_at` is the moment the system itself recorded the end, where
    it reports one: the report shows it beside, as the host's share.
    """

    output: ChainOutput
    ended_at: float | None = None
    answered_at: float | None = None


RunChain = Callable[[str], Awaitable[ChainRun]]
"""Run the whole chain on one topic."""

OpenSession = Callable[[Path, float], AbstractAsyncContextManager[RunChain]]
"""`open(workdir, delay_ms)`: set the system up in `workdir` for that model delay; yields `RunChain`."""


@dataclass(frozen=True)
class System:
    """One row of the table."""

    key: str  # command-line name (`--systems`)
    label: str  # what the table and the plot call it
    durable: bool
    open: OpenSession
