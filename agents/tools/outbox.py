"""The idempotent outbox every side effect goes through (tickets, publications).

A durable activity can run more than once: the host retries it, a worker dies after the work but
before the result is recorded, a message is re-delivered (possibly to another instance). Keying
each side effect by `<instance id>:<call id>` and storing it atomically makes the second run
return the first run's result instead of acting again, and the per-key attempt counter makes that
countable ("a finished tool call is never repeated" is `stats()["duplicates"]` going up while
`stats()["rows"]` stays put).

Where it is stored comes from the settings, read per call so tests and benchmarks can switch:

- `OUTBOX_TABLE_ENDPOINT` set (`https://<account>.table.core.windows.net`): an Azure table
  (`OUTBOX_TABLE_NAME`, default `outbox`, created if missing) shared by every instance, reached
  as the app's identity (`outbox_table`). This is what the deployed app uses.
- otherwise SQLite at `OUTBOX_PATH` (default `.data/outbox.db`), right for one machine
  (`outbox_sqlite`). The Azure SDK is imported only when the table backend is chosen, so the
  local path and cold starts never pay for it.
"""

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from agents.tools.outbox_records import OutboxBackend, OutboxError, OutboxRecord, OutboxWrite
from agents.tools.outbox_sqlite import SqliteOutbox

__all__ = ["OutboxError", "OutboxRecord", "OutboxWrite", "outbox_path", "records", "stats", "write_once"]

DEFAULT_PATH = ".data/outbox.db"
DEFAULT_TABLE = "outbox"


def outbox_path() -> Path:
    """`OUTBOX_PATH`, read per call so tests and benchmarks can point at their own file."""
    return Path(os.environ.get("OUTBOX_PATH") or DEFAULT_PATH)


def write_once(
    key: str, kind: str, payload: dict[str, Any], make_result: Callable[[int], dict[str, Any]]
) -> OutboxWrite:
    """Record the side effect `key` once; a repeated key counts an attempt and returns the original.

    `make_result(seq)` builds the stored result from the record's per-kind sequence number (a
    ticket number, say); it runs only for a first write of a key, so it must not act itself.
    """
    if not key:
        raise ValueError("idempotency_key is required for a side effect")
    return _backend().write_once(key, kind, payload, make_result)


def records(kind: str | None = None) -> list[OutboxRecord]:
    """Every stored record (of one kind if given), in the order they were written."""
    return _backend().records(kind)


def stats() -> dict[str, Any]:
    """Counts for tests and benchmarks: rows, attempts, duplicates (attempts beyond the first), per kind."""
    return _backend().stats()


def _backend() -> OutboxBackend:
    """The store the settings name: the Azure table when `OUTBOX_TABLE_ENDPOINT` is set, else SQLite."""
    endpoint = os.environ.get("OUTBOX_TABLE_ENDPOINT", "").strip()
    if not endpoint:
        return SqliteOutbox(outbox_path())
    from agents.tools.outbox_table import table_outbox  # here: keeps the Azure SDK off cold starts

    return table_outbox(endpoint, os.environ.get("OUTBOX_TABLE_NAME", "").strip() or DEFAULT_TABLE)
