"""The stream store the settings name, and the age-based purge.

- `STREAM_TABLE_ENDPOINT` set (`https://<account>.table.core.windows.net`): the Azure table
  `STREAM_TABLE_NAME` (default `streams`, created if missing), shared by every instance and reached
  as the app's identity. `azd up` sets it.
- otherwise SQLite at `STREAM_PATH` (default `.data/streams.db`), right for one machine.

Settings are read per call so tests and benchmarks can switch. Streams are only a live view of a
step (the history keeps every reply), so they are purged by their own age, `STREAM_RETENTION_HOURS`
(default 24), without listing runs.
"""

import os
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from streams.records import StreamError, StreamStore
from streams.sqlite_store import SqliteStreamStore

DEFAULT_PATH = ".data/streams.db"
DEFAULT_TABLE = "streams"
RETENTION_SETTING = "STREAM_RETENTION_HOURS"
DEFAULT_RETENTION_HOURS = 24


def stream_store() -> StreamStore:
    """The Azure table when `STREAM_TABLE_ENDPOINT` is set, else the SQLite file at `STREAM_PATH`."""
    endpoint = os.environ.get("STREAM_TABLE_ENDPOINT", "").strip()
    if not endpoint:
        return _sqlite_store(os.environ.get("STREAM_PATH") or DEFAULT_PATH)
    from streams.table_store import table_stream_store  # here: keeps the Azure SDK off cold starts

    return table_stream_store(endpoint, os.environ.get("STREAM_TABLE_NAME", "").strip() or DEFAULT_TABLE)


@lru_cache(maxsize=16)
def _sqlite_store(path: str) -> SqliteStreamStore:
    return SqliteStreamStore(Path(path))


def retention() -> timedelta:
    """`STREAM_RETENTION_HOURS` as a duration; a malformed value names the setting."""
    raw = os.environ.get(RETENTION_SETTING, "").strip() or str(DEFAULT_RETENTION_HOURS)
    try:
        hours = int(raw)
    except ValueError:
        raise StreamError(f"{RETENTION_SETTING} must be a whole number of hours (got {raw!r})") from None
    if hours < 1:
        raise StreamError(f"{RETENTION_SETTING} must be at least 1 (got {raw!r})")
    return timedelta(hours=hours)


def purge_old_streams(now: datetime | None = None) -> int:
    """Delete chunks older than the retention; returns how many."""
    return stream_store().purge((now or datetime.now(UTC)) - retention())
