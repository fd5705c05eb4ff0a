"""WAL checkpoints run on the store's background thread, and every commit stays durable."""

import sqlite3
import time
from contextlib import closing
from pathlib import Path

from azure.durable_functions.models.history import HistoryEventType

from devhost.checkpoints import DEFAULT_EVERY_COMMITS
from devhost.history import event, utc_now
from devhost.store import Store

DEADLINE_S = 10.0


def _rows_in_database_file(path: Path) -> int:
    """Inbox rows in the main database file alone: `immutable=1` reads it without the WAL (where even
    the schema stays until the first checkpoint).

    `immutable=1` also skips locking, so a read that overlaps the checkpointer copying pages can see a
    torn file ("malformed"); that read counts as -1 (not yet) and the caller reads again. The store's
    own connections use WAL locking and never see this.
    """
    conn = sqlite3.connect(f"file:{path}?immutable=1", uri=True)
    try:
        if conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'inbox'").fetchone()[0] == 0:
            return 0
        return int(conn.execute("SELECT count(*) FROM inbox").fetchone()[0])
    except sqlite3.DatabaseError:
        return -1
    finally:
        conn.close()


def _commit_events(store: Store, count: int) -> None:
    for index in range(count):
        with store.transaction():
            store.add_inbox(
                "instance", None, event(HistoryEventType.EVENT_RAISED, utc_now(), Name=f"e{index}")
            )


def test_checkpoints_copy_commits_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = Store(path)
    try:
        _commit_events(store, 2 * DEFAULT_EVERY_COMMITS)
        deadline = time.monotonic() + DEADLINE_S
        while _rows_in_database_file(path) < 2 * DEFAULT_EVERY_COMMITS and time.monotonic() < deadline:
            time.sleep(0.01)  # polling interval, bounded by the deadline
        assert _rows_in_database_file(path) == 2 * DEFAULT_EVERY_COMMITS
        assert store.checkpointer.checkpoints >= 1
        with closing(sqlite3.connect(path)) as check:  # checkpoints beside live writes corrupt nothing
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        store.close()


def test_commits_below_the_interval_stay_in_the_wal_and_survive_reopening(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = Store(path)
    _commit_events(store, DEFAULT_EVERY_COMMITS - 1)
    assert _rows_in_database_file(path) == 0  # no checkpoint inside a commit
    assert store.checkpointer.checkpoints == 0
    store.close()
    reopened = Store(path)
    try:
        assert len(reopened.load_inbox("instance")) == DEFAULT_EVERY_COMMITS - 1
    finally:
        reopened.close()
