"""WAL checkpoints on a background thread instead of inside a commit on the host's event loop.

SQLite's automatic checkpoint runs inside whichever COMMIT pushes the WAL past 1,000 pages: that commit
copies the WAL into the database file and syncs it, several milliseconds with the loop blocked (in the
chain benchmark 13 of 1,600 commits took 1-5 ms each, 46% of all commit time). The store turns the
automatic checkpoint off and signals this thread every `every_commits` commits; it runs a PASSIVE
checkpoint on its own connection, which never blocks the store's writers.

A PASSIVE checkpoint copies the WAL but leaves the file as long as it is; the store's next write starts
the WAL over only once a checkpoint has copied all of it. Under load, commits land while a checkpoint
runs, so that rarely happens, and the commits after a burst's last interval would wait for the next
burst: the WAL of a host that runs for days grew by every burst (60 MB per 200 runs). So the thread
also checkpoints `quiet_s` after the first commit it has not copied yet: once the writes pause, the
whole WAL is copied, the next write starts it over, and the store's `journal_size_limit` cuts the
file back.

Durability does not change: a transaction is committed once its frames are in the WAL (the store's
``synchronous=NORMAL`` rule), and a checkpoint cut short by a crash is redone from the WAL on next open.
"""

import logging
import sqlite3
import threading
from pathlib import Path

log = logging.getLogger("devhost")

DEFAULT_EVERY_COMMITS = 100  # about 800 WAL pages at the chain's ~8 pages per commit (SQLite's own: 1,000)
QUIET_S = 1.0  # at most this long between a commit and the checkpoint that copies it


class Checkpointer:
    """A daemon thread that checkpoints `path`'s WAL every `every_commits` commits, and `quiet_s`
    after a commit that no checkpoint has copied yet."""

    def __init__(
        self, path: Path, every_commits: int = DEFAULT_EVERY_COMMITS, quiet_s: float = QUIET_S
    ) -> None:
        if every_commits < 1:
            raise ValueError(f"checkpoint interval must be at least 1 commit, got {every_commits}")
        self._path = path
        self._every = every_commits
        self._quiet_s = quiet_s
        self._commits = 0  # since the last checkpoint began; counted on the loop, reset by the thread
        self._count_lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self.checkpoints = 0  # completed checkpoint calls, for tests and benchmarks
        self._thread = threading.Thread(target=self._run, name="devhost-checkpoint", daemon=True)
        self._thread.start()

    def committed(self) -> None:
        """Count one commit (called on the loop); the first since a checkpoint and every
        `every_commits`-th wake the thread."""
        with self._count_lock:
            self._commits += 1
            wake = self._commits == 1 or self._commits >= self._every
        if wake:
            self._wake.set()

    def close(self) -> None:
        """Stop the thread (a checkpoint in progress finishes first)."""
        self._stopping = True
        self._wake.set()
        self._thread.join()

    def _run(self) -> None:
        conn = sqlite3.connect(self._path, isolation_level=None)
        try:
            conn.execute("PRAGMA synchronous=NORMAL")
            while self._next_round():
                with self._count_lock:
                    self._commits = 0  # commits from here on are the next round's
                self._checkpoint(conn)
        finally:
            conn.close()

    def _next_round(self) -> bool:
        """Wait for a commit, then for `every_commits` of them or `quiet_s`; False once closing."""
        self._wake.wait()
        self._wake.clear()
        if self._commits < self._every and not self._stopping:
            self._wake.wait(self._quiet_s)
            self._wake.clear()
        return not self._stopping

    def _checkpoint(self, conn: sqlite3.Connection) -> None:
        try:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
            self.checkpoints += 1
        except sqlite3.Error as error:  # a later round retries; the WAL only grows meanwhile
            log.warning("WAL checkpoint of %s failed: %s", self._path, error)
