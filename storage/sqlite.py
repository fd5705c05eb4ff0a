"""SQLite files shared by threads and processes: WAL mode and a schema set up once per file.

A connection per call keeps callers thread-safe without locks; WAL lets readers go on while a
writer commits, which is what the stream store (one writer per agent step, many pollers) needs.
"""

import sqlite3
import threading
import time
from pathlib import Path

BUSY_TIMEOUT_S = 30.0
_READY: set[tuple[str, str]] = set()
_SCHEMA_LOCK = threading.Lock()  # one schema set-up per process at a time


def connect(path: Path, schema: str) -> sqlite3.Connection:
    """A new autocommit connection to `path` (created with its folder), rows as `sqlite3.Row`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    _ensure_schema(db, path, schema)
    return db


def _ensure_schema(db: sqlite3.Connection, path: Path, schema: str) -> None:
    """Switch to WAL and create the tables once per file, schema and process (both persist in the file)."""
    marker = (str(path.resolve()), schema)
    if marker in _READY:
        return
    with _SCHEMA_LOCK:
        if marker in _READY:
            return
        # Switching to WAL takes an exclusive lock that SQLite may refuse at once ("database is
        # locked") while another process opens the same new file, so the switch is retried until
        # the busy timeout.
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                db.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)  # another connection holds the lock for a moment
        db.executescript(schema)
        _READY.add(marker)
