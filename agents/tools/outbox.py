"""The idempotent outbox every side effect goes through (tickets, publications).

A durable activity can run more than once: the host retries it, a worker dies after the work but
before the result is recorded, a message is re-delivered. Keying each side effect by
`<instance id>:<call id>` and writing it in one SQLite transaction makes the second run return
the first run's result instead of acting again, and the per-key attempt counter makes that
countable ("a finished tool call is never repeated" is `stats()["duplicates"]` going up while
`stats()["rows"]` stays put).

SQLite in WAL mode at `OUTBOX_PATH` (default `.data/outbox.db`); `BEGIN IMMEDIATE` serialises
writers across threads and processes. A connection per call keeps it thread-safe without locks.
"""

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

DEFAULT_PATH = ".data/outbox.db"
_BUSY_TIMEOUT_S = 30.0
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
_READY: set[str] = set()


@dataclass(frozen=True)
class OutboxRecord:
    """One side effect as stored: `seq` numbers the records of one kind from 1."""

    key: str
    kind: str
    seq: int
    payload: dict[str, Any]
    result: dict[str, Any]
    attempts: int
    created_at: str


@dataclass(frozen=True)
class OutboxWrite:
    """What `write_once` did: the stored record, and whether this call was a repeat."""

    record: OutboxRecord
    duplicate: bool


def outbox_path() -> Path:
    """`OUTBOX_PATH`, read per call so tests and benchmarks can point at their own file."""
    return Path(os.environ.get("OUTBOX_PATH") or DEFAULT_PATH)


def write_once(
    key: str, kind: str, payload: dict[str, Any], make_result: Callable[[int], dict[str, Any]]
) -> OutboxWrite:
    """Record the side effect `key` once; a repeated key counts an attempt and returns the original.

    `make_result(seq)` builds the stored result from the record's per-kind sequence number (a
    ticket number, say); it runs only for the first write of a key.
    """
    if not key:
        raise ValueError("idempotency_key is required for a side effect")
    now = datetime.now(UTC).isoformat()
    with _transaction() as db:
        row = db.execute("SELECT * FROM outbox WHERE key = ?", (key,)).fetchone()
        if row is not None:
            db.execute("UPDATE outbox SET attempts = attempts + 1, updated_at = ? WHERE key = ?", (now, key))
            return OutboxWrite(_record(row, attempts=row["attempts"] + 1), duplicate=True)
        (last,) = db.execute("SELECT COALESCE(MAX(seq), 0) FROM outbox WHERE kind = ?", (kind,)).fetchone()
        result = make_result(last + 1)
        db.execute(
            "INSERT INTO outbox (key, kind, seq, payload, result, attempts, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 1, ?, ?)",
            (key, kind, last + 1, json.dumps(payload), json.dumps(result), now, now),
        )
    return OutboxWrite(OutboxRecord(key, kind, last + 1, payload, result, 1, now), duplicate=False)


def records(kind: str | None = None) -> list[OutboxRecord]:
    """Every stored record (of one kind if given), in the order they were written."""
    with _transaction() as db:
        query = "SELECT * FROM outbox" + (" WHERE kind = ?" if kind else "") + " ORDER BY rowid"
        return [_record(row) for row in db.execute(query, (kind,) if kind else ())]


def stats() -> dict[str, Any]:
    """Counts for tests and benchmarks: rows, attempts, duplicates (attempts beyond the first), per kind."""
    with _transaction() as db:
        rows = db.execute(
            "SELECT kind, COUNT(*) AS n, SUM(attempts) AS a FROM outbox GROUP BY kind"
        ).fetchall()
    total_rows = sum(row["n"] for row in rows)
    total_attempts = sum(row["a"] for row in rows)
    return {
        "rows": total_rows,
        "attempts": total_attempts,
        "duplicates": total_attempts - total_rows,
        "by_kind": {row["kind"]: {"rows": row["n"], "attempts": row["a"]} for row in rows},
    }


@contextmanager
def _transaction() -> Iterator[sqlite3.Connection]:
    """One connection, one `BEGIN IMMEDIATE` transaction: committed on success, rolled back on error."""
    path = outbox_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=_BUSY_TIMEOUT_S, isolation_level=None)) as db:
        db.row_factory = sqlite3.Row
        _ensure_schema(db, path)
        db.execute("BEGIN IMMEDIATE")
        try:
            yield db
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")


def _ensure_schema(db: sqlite3.Connection, path: Path) -> None:
    """Create the table and switch to WAL once per file and process (both persist in the file)."""
    marker = str(path.resolve())
    if marker in _READY:
        return
    # WAL lets readers proceed while a writer commits.
    db.execute("PRAGMA journal_mode=WAL")
    db.executescript(_SCHEMA)
    _READY.add(marker)


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
