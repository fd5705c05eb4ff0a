"""SQLite persistence: instances, history, inbox, pending activities and timers, entities.

One connection in WAL mode with ``synchronous=NORMAL``; every change that must be atomic runs inside
``transaction()``, so an episode's history, work and status (or an activity's result) commit together.
"""

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from azure.durable_functions.models.OrchestrationRuntimeStatus import OrchestrationRuntimeStatus

from devhost.checkpoints import Checkpointer
from devhost.history import Event
from devhost.instance_query import InstanceFilter
from devhost.state import ACTIVE_STATUSES, Bookkeeping, InstanceRecord, ParentLink

WAL_SIZE_LIMIT = 8 * 1024 * 1024  # bytes: two checkpoint intervals of the chain's commits (800 pages each)

SCHEMA = """
CREATE TABLE IF NOT EXISTS instances (
    instance_id TEXT PRIMARY KEY, name TEXT NOT NULL, version TEXT NOT NULL, execution_id TEXT NOT NULL,
    status TEXT NOT NULL, input TEXT, output TEXT, custom_status TEXT, created REAL NOT NULL,
    updated REAL NOT NULL, parent TEXT, book TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS instances_by_created ON instances (created);
CREATE TABLE IF NOT EXISTS history (
    instance_id TEXT NOT NULL, position INTEGER NOT NULL, event TEXT NOT NULL,
    PRIMARY KEY (instance_id, position)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT, event TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS inbox_by_instance ON inbox (instance_id, id);
CREATE TABLE IF NOT EXISTS activities (
    id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL,
    task_id INTEGER NOT NULL, name TEXT NOT NULL, input TEXT);
CREATE INDEX IF NOT EXISTS activities_by_instance ON activities (instance_id);
CREATE TABLE IF NOT EXISTS timers (
    id INTEGER PRIMARY KEY AUTOINCREMENT, instance_id TEXT NOT NULL, execution_id TEXT NOT NULL,
    timer_id INTEGER NOT NULL, fire_at TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS timers_by_instance ON timers (instance_id, timer_id);
CREATE TABLE IF NOT EXISTS entities (
    entity_id TEXT PRIMARY KEY, name TEXT NOT NULL, key TEXT NOT NULL, state TEXT,
    last_operation REAL NOT NULL);
CREATE TABLE IF NOT EXISTS entity_ops (
    id INTEGER PRIMARY KEY AUTOINCREMENT, entity_id TEXT NOT NULL, operation TEXT NOT NULL, input TEXT,
    is_signal INTEGER NOT NULL, caller TEXT, caller_execution TEXT, request_id TEXT);
CREATE INDEX IF NOT EXISTS entity_ops_by_entity ON entity_ops (entity_id, id);
"""

# Every column but the key, in table order: updates set these by name, inserts add the key after them.
_FIELDS = ("name", "version", "execution_id", "status", "input", "output", "custom_status", "created",
           "updated", "parent", "book")  # fmt: skip
INSTANCE_COLUMNS = ", ".join(("instance_id", *_FIELDS))
_UPDATE_INSTANCE = (
    f"UPDATE instances SET {', '.join(f'{name} = ?' for name in _FIELDS)} WHERE instance_id = ?"
)
_PLACES = ", ".join("?" * (len(_FIELDS) + 1))
_INSERT_INSTANCE = f"INSERT INTO instances ({', '.join(_FIELDS)}, instance_id) VALUES ({_PLACES})"


@dataclass(frozen=True)
class EntityRow:
    """One row of the ``entities`` table."""

    entity_id: str
    name: str
    key: str
    state: str | None  # JSON text; None for an entity that exists without state
    last_operation: float


@dataclass(frozen=True)
class InboxRow:
    row_id: int
    execution_id: str | None
    event: Event


@dataclass(frozen=True)
class ActivityRow:
    row_id: int
    instance_id: str
    execution_id: str
    task_id: int
    name: str
    input: str | None


@dataclass(frozen=True)
class TimerRow:
    row_id: int
    instance_id: str
    execution_id: str
    timer_id: int
    fire_at: str


@dataclass(frozen=True)
class EntityOpRow:
    row_id: int
    operation: str
    input: str | None
    is_signal: bool
    caller: str | None
    caller_execution: str | None
    request_id: str | None


def _record_from_row(row: sqlite3.Row) -> InstanceRecord:
    parent = json.loads(row["parent"]) if row["parent"] else None
    return InstanceRecord(
        instance_id=row["instance_id"],
        name=row["name"],
        version=row["version"],
        execution_id=row["execution_id"],
        status=OrchestrationRuntimeStatus(row["status"]),
        input=row["input"],
        output=row["output"],
        custom_status=row["custom_status"],
        created=row["created"],
        updated=row["updated"],
        parent=ParentLink(**parent) if parent else None,
        book=Bookkeeping.from_json(row["book"]),
    )


def _instance_clauses(match: InstanceFilter) -> tuple[list[str], list[Any]]:
    """WHERE clauses and their parameters for an instance filter (creation bounds inclusive)."""
    clauses: list[str] = []
    params: list[Any] = []
    if match.created_from is not None:
        clauses.append("created >= ?")
        params.append(match.created_from.timestamp())
    if match.created_to is not None:
        clauses.append("created <= ?")
        params.append(match.created_to.timestamp())
    if match.statuses:
        clauses.append(f"status IN ({','.join('?' * len(match.statuses))})")
        params.extend(match.statuses)
    if match.prefix:
        clauses.append("substr(instance_id, 1, ?) = ?")
        params.extend([len(match.prefix), match.prefix])
    return clauses, params


class Store:
    """The engine's only connection to its state file."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA wal_autocheckpoint=0")  # checkpoints run off the loop (checkpoints.py)
        # When a write starts the WAL over, a file grown past this by a burst is cut back to it.
        self._conn.execute(f"PRAGMA journal_size_limit={WAL_SIZE_LIMIT}")
        self._conn.executescript(SCHEMA)
        self.checkpointer = Checkpointer(path)

    def close(self) -> None:
        self.checkpointer.close()
        self._conn.close()

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """All writes inside commit together or not at all. A transaction opened inside another one
        joins it: the outermost commits (or rolls back) everything."""
        if self._conn.in_transaction:
            yield self
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield self
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")
        self.checkpointer.committed()

    def _insert(self, sql: str, params: tuple[Any, ...]) -> int:
        cursor = self._conn.execute(sql, params)
        return int(cursor.lastrowid or 0)

    # ------------------------------------------------------------------ instances
    def save_instance(self, record: InstanceRecord) -> None:
        """Insert or update the row. An existing row is updated in place: unlike a REPLACE, that leaves
        the creation-time index alone, which halves the pages an episode's commit writes."""
        parent = json.dumps(asdict(record.parent)) if record.parent else None
        values = (
            record.name,
            record.version,
            record.execution_id,
            record.status.value,
            record.input,
            record.output,
            record.custom_status,
            record.created,
            record.updated,
            parent,
            record.book.to_json(),
            record.instance_id,
        )
        updated = self._conn.execute(_UPDATE_INSTANCE, values).rowcount
        if not updated:
            self._conn.execute(_INSERT_INSTANCE, values)

    def load_instance(self, instance_id: str) -> InstanceRecord | None:
        row = self._conn.execute(
            f"SELECT {INSTANCE_COLUMNS} FROM instances WHERE instance_id = ?", (instance_id,)
        ).fetchone()
        return _record_from_row(row) if row else None

    def load_mark(self, instance_id: str) -> tuple[OrchestrationRuntimeStatus, float] | None:
        """Runtime status and last-change time: what waiters and readers check after an episode."""
        row = self._conn.execute(
            "SELECT status, updated FROM instances WHERE instance_id = ?", (instance_id,)
        ).fetchone()
        return None if row is None else (OrchestrationRuntimeStatus(row[0]), float(row[1]))

    def active_instance_ids(self) -> list[str]:
        names = [status.value for status in ACTIVE_STATUSES]
        marks = ",".join("?" * len(names))
        rows = self._conn.execute(
            f"SELECT instance_id FROM instances WHERE status IN ({marks}) ORDER BY created", names
        )
        return [row[0] for row in rows]

    def query_instances(
        self, match: InstanceFilter, *, after_id: str | None = None, limit: int | None = None
    ) -> list[InstanceRecord]:
        """Matching instances in instance-id order (the Azure Storage Instances table's partition-key
        order), starting after `after_id`, at most `limit` of them."""
        clauses, params = _instance_clauses(match)
        if after_id is not None:
            clauses.append("instance_id > ?")
            params.append(after_id)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        limit_clause = " LIMIT ?" if limit is not None else ""
        # With a lower creation bound the window is narrow: read it through the creation index and sort
        # it (`+` keeps SQLite from walking the whole primary key in order instead, which costs the hub).
        order = "+instance_id" if match.created_from is not None else "instance_id"
        rows = self._conn.execute(
            f"SELECT {INSTANCE_COLUMNS} FROM instances{where} ORDER BY {order}{limit_clause}",
            (*params, limit) if limit is not None else tuple(params),
        )
        return [_record_from_row(row) for row in rows]

    def delete_matching(self, match: InstanceFilter, limit: int) -> list[str]:
        """Delete at most `limit` instances that match now (with their history and work); their ids."""
        clauses, params = _instance_clauses(match)
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self._conn.execute(f"SELECT instance_id FROM instances{where} LIMIT ?", (*params, limit))
        purged = [row[0] for row in rows]
        for instance_id in purged:
            self.delete_instance(instance_id)
        return purged

    def delete_instance(self, instance_id: str) -> int:
        for table in ("history", "inbox", "activities", "timers"):
            self._conn.execute(f"DELETE FROM {table} WHERE instance_id = ?", (instance_id,))
        return self._conn.execute("DELETE FROM instances WHERE instance_id = ?", (instance_id,)).rowcount

    # -------------------------------------------------------------------- history
    def load_history(self, instance_id: str) -> list[str]:
        rows = self._conn.execute(
            "SELECT event FROM history WHERE instance_id = ? ORDER BY position", (instance_id,)
        )
        return [row[0] for row in rows]

    def append_history(self, instance_id: str, start: int, events: list[str]) -> None:
        self._conn.executemany(
            "INSERT INTO history (instance_id, position, event) VALUES (?,?,?)",
            [(instance_id, start + offset, text) for offset, text in enumerate(events)],
        )

    def replace_history(self, instance_id: str, events: list[str]) -> None:
        self._conn.execute("DELETE FROM history WHERE instance_id = ?", (instance_id,))
        self.append_history(instance_id, 0, events)

    # ---------------------------------------------------------------------- inbox
    def add_inbox(self, instance_id: str, execution_id: str | None, evt: Event) -> int:
        return self._insert(
            "INSERT INTO inbox (instance_id, execution_id, event) VALUES (?,?,?)",
            (instance_id, execution_id, json.dumps(evt)),
        )

    def load_inbox(self, instance_id: str) -> list[InboxRow]:
        rows = self._conn.execute(
            "SELECT id, execution_id, event FROM inbox WHERE instance_id = ? ORDER BY id", (instance_id,)
        )
        return [InboxRow(row[0], row[1], json.loads(row[2])) for row in rows]

    def delete_inbox(self, row_ids: list[int]) -> None:
        self._conn.executemany("DELETE FROM inbox WHERE id = ?", [(row_id,) for row_id in row_ids])

    # ----------------------------------------------------------------- activities
    def add_activity(
        self, instance_id: str, execution_id: str, task_id: int, name: str, text: str | None
    ) -> int:
        return self._insert(
            "INSERT INTO activities (instance_id, execution_id, task_id, name, input) VALUES (?,?,?,?,?)",
            (instance_id, execution_id, task_id, name, text),
        )

    def take_activity(self, row_id: int) -> bool:
        """Remove a finished activity; False when it was already gone (terminated, purged, rewound)."""
        return self._conn.execute("DELETE FROM activities WHERE id = ?", (row_id,)).rowcount == 1

    def all_activities(self) -> list[ActivityRow]:
        rows = self._conn.execute(
            "SELECT id, instance_id, execution_id, task_id, name, input FROM activities"
        )
        return [ActivityRow(*row) for row in rows]

    def delete_work(self, instance_id: str) -> None:
        """Drop an instance's pending activities and timers (terminate, continue-as-new)."""
        self._conn.execute("DELETE FROM activities WHERE instance_id = ?", (instance_id,))
        self._conn.execute("DELETE FROM timers WHERE instance_id = ?", (instance_id,))

    # --------------------------------------------------------------------- timers
    def add_timer(self, instance_id: str, execution_id: str, timer_id: int, fire_at: str) -> int:
        return self._insert(
            "INSERT INTO timers (instance_id, execution_id, timer_id, fire_at) VALUES (?,?,?,?)",
            (instance_id, execution_id, timer_id, fire_at),
        )

    def take_timer(self, row_id: int) -> bool:
        return self._conn.execute("DELETE FROM timers WHERE id = ?", (row_id,)).rowcount == 1

    def delete_timer(self, instance_id: str, timer_id: int) -> int | None:
        """Drop a cancelled timer; returns its row id so the live callback can be cancelled too."""
        row = self._conn.execute(
            "SELECT id FROM timers WHERE instance_id = ? AND timer_id = ?", (instance_id, timer_id)
        ).fetchone()
        if row is None:
            return None
        self._conn.execute("DELETE FROM timers WHERE id = ?", (row[0],))
        return int(row[0])

    def all_timers(self) -> list[TimerRow]:
        rows = self._conn.execute("SELECT id, instance_id, execution_id, timer_id, fire_at FROM timers")
        return [TimerRow(*row) for row in rows]

    # ------------------------------------------------------------------- entities
    def add_entity_op(
        self,
        entity_id: str,
        operation: str,
        text: str | None,
        *,
        caller: str | None = None,
        caller_execution: str | None = None,
        request_id: str | None = None,
    ) -> None:
        self._conn.execute(
            "INSERT INTO entity_ops (entity_id, operation, input, is_signal, caller, caller_execution,"
            " request_id) VALUES (?,?,?,?,?,?,?)",
            (entity_id, operation, text, request_id is None, caller, caller_execution, request_id),
        )

    def load_entity_ops(self, entity_id: str) -> list[EntityOpRow]:
        rows = self._conn.execute(
            "SELECT id, operation, input, is_signal, caller, caller_execution, request_id FROM entity_ops"
            " WHERE entity_id = ? ORDER BY id",
            (entity_id,),
        )
        return [EntityOpRow(row[0], row[1], row[2], bool(row[3]), row[4], row[5], row[6]) for row in rows]

    def delete_entity_ops(self, row_ids: list[int]) -> None:
        self._conn.executemany("DELETE FROM entity_ops WHERE id = ?", [(row_id,) for row_id in row_ids])

    def entities_with_ops(self) -> list[str]:
        return [row[0] for row in self._conn.execute("SELECT DISTINCT entity_id FROM entity_ops")]

    def load_entity_state(self, entity_id: str) -> tuple[bool, str | None]:
        row = self._conn.execute("SELECT state FROM entities WHERE entity_id = ?", (entity_id,)).fetchone()
        return (False, None) if row is None else (True, row[0])

    def save_entity(self, entity_id: str, name: str, key: str, state: str | None, when: float) -> None:
        self._conn.execute(
            "INSERT OR REPLACE INTO entities (entity_id, name, key, state, last_operation)"
            " VALUES (?,?,?,?,?)",
            (entity_id, name, key, state, when),
        )

    def delete_entity(self, entity_id: str) -> None:
        self._conn.execute("DELETE FROM entities WHERE entity_id = ?", (entity_id,))

    def list_entities(self, name: str | None, top: int | None) -> list[EntityRow]:
        """Entities (of one name, when given) in id order, at most ``top`` of them when given."""
        where, params = (" WHERE name = ?", [name]) if name else ("", [])
        limit = " LIMIT ?" if top else ""
        rows = self._conn.execute(
            f"SELECT entity_id, name, key, state, last_operation FROM entities{where}"
            f" ORDER BY entity_id{limit}",
            [*params, top] if top else params,
        )
        return [EntityRow(*row) for row in rows]
