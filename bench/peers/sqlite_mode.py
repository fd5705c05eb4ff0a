"""One SQLite durability setting for every system, so the table compares orchestration, not fsyncs.

The embedded host keeps its state in WAL mode with `synchronous=NORMAL`: a commit survives a killed
process, not a power cut. The peers' defaults differ (LangGraph: WAL with `FULL`; DBOS: a rollback
journal with `FULL`), and on this kind of disk one fsync costs milliseconds, more than the whole
orchestration. Each peer's connections get the host's setting through the helpers here.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import aiosqlite
import sqlalchemy as sa
from sqlalchemy import event

PRAGMAS = ("PRAGMA journal_mode=WAL", "PRAGMA synchronous=NORMAL")
DESCRIPTION = "WAL journal, synchronous=NORMAL (commits survive a killed process, not a power cut)"


async def apply_async(conn: aiosqlite.Connection) -> None:
    """Put an aiosqlite connection in the shared mode."""
    for pragma in PRAGMAS:
        await conn.execute(pragma)


def _apply_dbapi(dbapi_conn: Any, _record: Any) -> None:
    for pragma in PRAGMAS:
        dbapi_conn.execute(pragma)


@contextmanager
def every_sqlalchemy_engine() -> Iterator[None]:
    """Apply the mode to every SQLAlchemy connection opened inside the block.

    DBOS builds its engine itself and offers no hook for connection pragmas, so the listener is
    registered on the `Engine` class (SQLAlchemy's documented recipe for SQLite pragmas).
    """
    event.listen(sa.engine.Engine, "connect", _apply_dbapi)
    try:
        yield
    finally:
        event.remove(sa.engine.Engine, "connect", _apply_dbapi)
