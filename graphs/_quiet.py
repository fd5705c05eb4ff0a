"""agent-framework's per-superstep log lines, kept out of a durable superstep's log.

In-process those lines narrate one run; in a durable run every superstep is a fresh workflow, so they
would repeat for each step: the builder's validation warnings (self-loops, dead ends) already logged
when the graph was built at start-up, and the runner's INFO lines about restoring, running and
checkpointing the superstep, which the run's timeline shows anyway. Warnings and errors from the runner
still get through.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_IN_SUPERSTEP: ContextVar[bool] = ContextVar("graph_in_superstep", default=False)


class _BelowLevelInSuperstep(logging.Filter):
    """Drops records under `level` that are logged while a durable superstep runs."""

    def __init__(self, level: int) -> None:
        super().__init__()
        self.level = level

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= self.level or not _IN_SUPERSTEP.get()


logging.getLogger("agent_framework._workflows._validation").addFilter(_BelowLevelInSuperstep(logging.ERROR))
logging.getLogger("agent_framework._workflows._runner").addFilter(_BelowLevelInSuperstep(logging.WARNING))


@contextmanager
def quiet_superstep() -> Iterator[None]:
    """Within this context (and the tasks it starts), the repeated lines above are not logged."""
    token = _IN_SUPERSTEP.set(True)
    try:
        yield
    finally:
        _IN_SUPERSTEP.reset(token)
