"""WAL checkpoints run on the store's background thread, and every commit stays durable."""

import functools
import sqlite3
import time
from contextlib import closing
from pathlib import Path

import pytest
from azure.durable_functions.models.history import HistoryEventType

from devhost import store as store_module
from devhost.checkpoints import DEFAULT_EVERY_COMMITS, Checkpointer
from devhost.history import event, utc_now
from devhost.store import WAL_SIZE_LIMIT, Store

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


def _commit_events(store: Store, count: int, size: int = 0) -> None:
    for index in range(count):
        with store.transaction():
            raised = event(HistoryEventType.EVENT_RAISED, utc_now(), Name=f"e{index}", Input="x" * size)
            store.add_inbox("instance", None, raised)


def _wait_for_rows_in_database_file(path: Path, count: int) -> int:
    deadline = time.monotonic() + DEADLINE_S
    while _rows_in_database_file(path) < count and time.monotonic() < deadline:
        time.sleep(0.01)  # polling interval, bounded by the deadline
    return _rows_in_database_file(path)


def test_checkpoints_copy_commits_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = Store(path)
    try:
        _commit_events(store, 2 * DEFAULT_EVERY_COMMITS)
        assert _wait_for_rows_in_database_file(path, 2 * DEFAULT_EVERY_COMMITS) == 2 * DEFAULT_EVERY_COMMITS
        assert store.checkpointer.checkpoints >= 1
        with closing(sqlite3.connect(path)) as check:  # checkpoints beside live writes corrupt nothing
            assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        store.close()


def test_a_burst_is_copied_once_writes_pause_and_the_wal_is_cut_back(tmp_path: Path) -> None:
    """A host that runs for days: the commits after a burst's last checkpoint interval are copied
    when the writes pause, so the next write starts the WAL over instead of growing it by each burst."""
    path = tmp_path / "state.db"
    wal = path.with_name(path.name + "-wal")
    burst = DEFAULT_EVERY_COMMITS + DEFAULT_EVERY_COMMITS // 2  # ends half-way through an interval
    store = Store(path)
    try:
        _commit_events(store, burst, size=2 * WAL_SIZE_LIMIT // burst)
        assert wal.stat().st_size > WAL_SIZE_LIMIT
        assert _wait_for_rows_in_database_file(path, burst) == burst
        # A write after that checkpoint has finished starts the WAL over and cuts the file back.
        written = 0
        deadline = time.monotonic() + DEADLINE_S
        while wal.stat().st_size > WAL_SIZE_LIMIT and time.monotonic() < deadline:
            _commit_events(store, 1)
            written += 1
            time.sleep(0.05)  # polling interval, bounded by the deadline
        assert wal.stat().st_size <= WAL_SIZE_LIMIT
        assert len(store.load_inbox("instance")) == burst + written
    finally:
        store.close()


def test_commits_not_yet_checkpointed_stay_in_the_wal_and_survive_reopening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.db"
    monkeypatch.setattr(store_module, "Checkpointer", functools.partial(Checkpointer, quiet_s=3600))
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
