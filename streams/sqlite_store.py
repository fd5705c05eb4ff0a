"""The SQLite stream store: one file, right for one machine (local runs, the embedded host, tests).

Every reader and writer process on the machine sees the same file; WAL keeps pollers from
blocking the writers (see `storage.sqlite`). Each thread keeps its connection open, and commits do
not wait for the disk (a killed process loses nothing, a power cut may lose the last words, which the
history still has).
"""

import sqlite3
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from storage.sqlite import thread_connection
from streams.records import Chunk

_SCHEMA = """
CREATE TABLE IF NOT EXISTS chunks (
    run     TEXT NOT NULL,
    step    TEXT NOT NULL,
    attempt TEXT NOT NULL,
    idx     INTEGER NOT NULL,
    agent   TEXT NOT NULL,
    text    TEXT NOT NULL,
    at      TEXT NOT NULL,
    PRIMARY KEY (run, step, attempt, idx)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS chunks_at ON chunks (at);
CREATE INDEX IF NOT EXISTS chunks_started ON chunks (run, at) WHERE idx = 0;
"""
# Chunks one purge statement deletes: each batch commits on its own and the purge pauses after it, so
# a writer waits about one batch (milliseconds) for the file, not the whole daily purge (1 s and more
# for 500,000 chunks at once). Without the pause the purge would take the lock straight back while
# the writer sleeps in SQLite's busy handler.
PURGE_BATCH = 1000
PURGE_PAUSE_S = 0.02
_PURGE = (
    "DELETE FROM chunks WHERE (run, step, attempt, idx) IN "
    "(SELECT run, step, attempt, idx FROM chunks WHERE at < ? LIMIT ?)"
)


@dataclass(frozen=True)
class SqliteStreamStore:
    """The stream store in the SQLite file at `path` (created with its folder on first use)."""

    path: Path
    inline: bool = True  # a local file with commits that do not wait for the disk: microseconds

    def append(self, run: str, chunks: Sequence[Chunk]) -> None:
        """Insert the chunks in order, each committed on its own (a repeated chunk replaces itself).

        A reader needs no more: chunk `n` is committed before chunk `n + 1` is written, so it never
        sees a gap, and a flush is nearly always one chunk, which one statement commits without an
        explicit transaction around it.
        """
        rows = [(run, c.step, c.attempt, c.index, c.agent, c.text, c.at) for c in chunks]
        self._db().executemany("INSERT OR REPLACE INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def read(self, run: str, steps: Collection[str]) -> list[Chunk]:
        """The run's chunks of these steps, ordered by step, attempt and index."""
        if not steps:
            return []
        marks = ", ".join("?" * len(steps))
        query = (
            "SELECT step, attempt, idx, agent, text, at FROM chunks "
            f"WHERE run = ? AND step IN ({marks}) ORDER BY step, attempt, idx"
        )
        return [Chunk(*row) for row in self._db().execute(query, (run, *steps))]

    def started_since(self, run: str, since: str) -> dict[str, str]:
        """Steps whose attempt's chunk 0 was written at or after `since`."""
        query = "SELECT step, agent FROM chunks WHERE run = ? AND idx = 0 AND at >= ? ORDER BY at"
        return {step: agent for step, agent in self._db().execute(query, (run, since))}

    def purge(self, written_before: datetime) -> int:
        """Delete every chunk written before the moment, `PURGE_BATCH` per commit.

        Agent steps write their words on the host's event loop (`inline`): a single delete of a
        day's chunks would hold the file's write lock, and with it every run and request, for seconds.
        """
        db, cutoff, deleted = self._db(), iso(written_before), 0
        while (count := db.execute(_PURGE, (cutoff, PURGE_BATCH)).rowcount) == PURGE_BATCH:
            deleted += count
            time.sleep(PURGE_PAUSE_S)  # the purge runs on a worker thread (api.retention)
        return deleted + count

    def _db(self) -> sqlite3.Connection:
        # Chunks are a live view the history can replace, so commits do not wait for the disk.
        return thread_connection(self.path, _SCHEMA, durable=False)


def iso(moment: datetime) -> str:
    """The sortable ISO 8601 form chunks carry in `at`."""
    return moment.isoformat(timespec="microseconds").replace("+00:00", "Z")
