"""The SQLite outbox backend: one file, right for a single machine (local runs, tests, benchmarks).

WAL mode, and `BEGIN IMMEDIATE` serialises writers across threads and processes, so reading the
key, numbering the record and inserting it happen as one step. A connection per call keeps it
thread-safe without locks. It does not hold across machines: on Flex Consumption every instance
has its own `/tmp`, which is why Azure uses `outbox_table`.
"""

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agents.tools.outbox_records import OutboxRecord, OutboxWrite, summarise
from storage.sqlite import connect

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    key        TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    seq        INTEGER NOT NULL,
    payload    TEXT NOT NULL,
    result     TEXT NOT NULL,
    attempts   INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS outbox_kind ON outbox (kind, seq);
"""


@dataclass(frozen=True)
class SqliteOutbox:
    """The outbox in the SQLite file at `path` (created with its folder on first use)."""

    path: Path

    def write_once(
        self, key: str, kind: str, payload: dict[str, Any], make_result: Callable[[int], dict[str, Any]]
    ) -> OutboxWrite:
        """Insert `key` with the next `seq` of its kind, or count one more attempt of the stored record."""
        now = datetime.now(UTC).isoformat()
        with self._transaction() as db:
            row = db.execute("SELECT * FROM outbox WHERE key = ?", (key,)).fetchone()
            if row is not None:
                db.execute(
                    "UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE key = ?", (now, key)
                )
                return OutboxWrite(_record(row, attempts=row["attempts"] + 1), duplicate=True)
            (last,) = db.execute(
                "SELECT COALESCE(MAX(seq), 0) FROM outbox WHERE kind = ?", (kind,)
            ).fetchone()
            result = make_result(last + 1)
            db.execute(
                "INSERT INTO outbox (key, kind, seq, payload, result, attempts, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
                (key, kind, last + 1, json.dumps(payload), json.dumps(result), now, now),
            )
        return OutboxWrite(OutboxRecord(key, kind, last + 1, payload, result, 1, now), duplicate=False)

    def records(self, kind: str | None = None) -> list[OutboxRecord]:
        """Every stored record (of one kind if given), in the order they were written."""
        with self._transaction() as db:
            query = "SELECT * FROM outbox" + (" WHERE kind = ?" if kind else "") + " ORDER BY rowid"
            return [_record(row) for row in db.execute(query, (kind,) if kind else ())]

    def stats(self) -> dict[str, Any]:
        """Rows and attempts per kind, summarised."""
        with self._transaction() as db:
            rows = db.execute(
                "SELECT kind, COUNT(*) AS n, SUM(attempts) AS a FROM outbox GROUP BY kind"
            ).fetchall()
        return summarise({row["kind"]: (row["n"], row["a"]) for row in rows})

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One connection, one `BEGIN IMMEDIATE` transaction: committed on success, rolled back on error."""
        with closing(connect(self.path, _SCHEMA)) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")


def _record(row: sqlite3.Row, *, attempts: int | None = None) -> OutboxRecord:
    return OutboxRecord(
        key=row["key"],
        kind=row["kind"],
        seq=row["seq"],
        payload=json.loads(row["payload"]),
        result=json.loads(row["result"]),
        attempts=row["attempts"] if attempts is None else attempts,
        created_at=row["created_at"],
    )
