"""What a benchmarked system is: a name, whether it is durable, and a session that runs chains."""

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from pathlib import Path

from bench.peers.workload import ChainOutput


@dataclass(frozen=True)
class ChainRun:
    """One finished chain run.

    `ended_at` is the wall-clock time (`time.time()`) at which the system itself recorded the end,
    for systems that report one; the runner then measures start to that moment instead of to the
    moment the client happened to notice.
    """

    output: ChainOutput
    ended_at: float | None = None


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
