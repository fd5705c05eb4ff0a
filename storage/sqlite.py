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
_THREAD = threading.local()


def connect(path: Path, schema: str, *, durable: bool = True) -> sqlite3.Connection:
    """A new autocommit connection to `path` (created with its folder), rows as `sqlite3.Row`.

    `durable=False` commits without waiting for the disk (WAL with `synchronous=NORMAL`): a commit
    survives the process being killed, not a power cut; right for data the history can rebuild.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    _ensure_schema(db, path, schema)
    if not durable:
        db.execute("PRAGMA synchronous=NORMAL")
    return db


def thread_connection(path: Path, schema: str, *, durable: bool = True) -> sqlite3.Connection:
    """This thread's open connection to `path`, made on first use: opening one costs more than a query."""
    connections: dict[tuple[str, bool], sqlite3.Connection] = _THREAD.__dict__.setdefault("connections", {})
    key = (str(path), durable)  # as given: resolving it would cost a few system calls on every query
    if key not in connections:
        connections[key] = connect(path, schema, durable=durable)
    return connections[key]


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
