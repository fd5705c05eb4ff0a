"""The Azure Table outbox backend: one record per side effect, shared by every instance of the app.

On Flex Consumption each instance has its own disk, so a re-delivered activity landing on another
instance would not see a SQLite record and would act again. Table storage is the shared store the
app already has (the Functions host's storage account, reached with the app's managed identity).

Layout, and why:

- PartitionKey is the kind (`ticket`, `publication`), RowKey the idempotency key; the kind's
  counter is the entity `!counter` in the same partition. A kind's records and its counter
  sharing a partition is what lets one entity group transaction take the next `seq` (an update
  conditioned on the counter's ETag) and insert the record (an insert, which fails if the key
  exists) atomically: a `seq` is never spent without its record, so numbers stay gapless as in
  SQLite, and of two instances racing on one key exactly one stores it. The loser sees
  `EntityAlreadyExists` or `UpdateConditionNotSatisfied`, re-reads and tries again.
- The counter makes a kind's writes one serialisation point anyway, so spreading a kind over more
  partitions would buy no throughput; side effects are rare next to model calls. In exchange,
  `records(kind)` is a single-partition query.
- Keys are escaped (`storage.tables.escape_key`) to characters every Table client and Azurite
  handle (`/ \\ # ?` are forbidden, `% ' ~` trip some tools); `!` never survives escaping, so no key
  can be `!counter`.
- A repeated key counts its attempt with an update conditioned on the record's ETag, retried on
  412, so concurrent repeats are all counted.

`make_result(seq)` runs once per first-write attempt; when two instances race on one new key, only
the winner's result is stored and returned to both, so it must stay a pure function of `seq`.
"""

import heapq
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import ResourceModifiedError, ResourceNotFoundError
from azure.data.tables import TableClient, TableErrorCode, TableTransactionError, UpdateMode

from agents.tools.outbox_records import OutboxError, OutboxRecord, OutboxWrite, summarise
from storage import tables
from storage.tables import check_table_settings, escape_key, storage_errors

COUNTER_ROW = "!counter"
# Another writer won a round: the key appeared, or the counter moved under us.
_LOST_RACE = {
    TableErrorCode.ENTITY_ALREADY_EXISTS,
    TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED,
    TableErrorCode.CONDITION_NOT_MET,
}
_MAX_ROUNDS = 50
_BACKOFF_BASE_S = 0.005
_BACKOFF_CAP_S = 0.25
# A string property holds 64 KiB of UTF-16; json.dumps output is ASCII, so this many characters fit.
_CHUNK_CHARS = 32_000

Operation = tuple[str, dict[str, Any]] | tuple[str, dict[str, Any], dict[str, Any]]


@dataclass(frozen=True)
class TableOutbox:
    """The outbox in one Azure table; `where` names the settings behind it for error messages."""

    client: TableClient
    where: str

    def write_once(
        self, key: str, kind: str, payload: dict[str, Any], make_result: Callable[[int], dict[str, Any]]
    ) -> OutboxWrite:
        """Store `key` with the next `seq` of its kind, or count one more attempt of the stored record."""
        with self._naming(f"write of key {key!r}"):
            for round_ in range(_MAX_ROUNDS):
                if round_:
                    time.sleep(random.uniform(0, min(_BACKOFF_CAP_S, _BACKOFF_BASE_S * 2**round_)))
                written = self._try_write(key, kind, payload, make_result)
                if written is not None:
                    return written
        raise OutboxError(f"outbox write of key {key!r} lost {_MAX_ROUNDS} races in a row in {self.where}")

    def records(self, kind: str | None = None) -> list[OutboxRecord]:
        """Every stored record (of one kind if given): by `seq` in a kind, kinds merged by creation time."""
        with self._naming("read of records"):
            entities = (
                self.client.query_entities("PartitionKey eq @kind", parameters={"kind": escape_key(kind)})
                if kind
                else self.client.list_entities()
            )
            by_kind: dict[str, list[OutboxRecord]] = {}
            for entity in _records_only(entities):
                record = _record(entity)
                by_kind.setdefault(record.kind, []).append(record)
        in_order = [sorted(group, key=lambda record: record.seq) for group in by_kind.values()]
        return list(heapq.merge(*in_order, key=lambda record: record.created_at))

    def stats(self) -> dict[str, Any]:
        """Rows and attempts per kind, summarised (reads only the two properties it counts)."""
        counts: dict[str, tuple[int, int]] = {}
        with self._naming("read of stats"):
            for entity in _records_only(self.client.list_entities(select=["RowKey", "kind", "attempts"])):
                rows, attempts = counts.get(entity["kind"], (0, 0))
                counts[entity["kind"]] = (rows + 1, attempts + int(entity["attempts"]))
        return summarise(counts)

    def _try_write(
        self, key: str, kind: str, payload: dict[str, Any], make_result: Callable[[int], dict[str, Any]]
    ) -> OutboxWrite | None:
        """One round: the repeat or the first write, or None when another writer got in between."""
        partition, row = escape_key(kind), escape_key(key)
        stored = self._get(partition, row)
        if stored is not None:
            return self._count_repeat(stored)
        counter = self._get(partition, COUNTER_ROW)
        seq = 1 if counter is None else int(counter["seq"]) + 1
        now = datetime.now(UTC).isoformat()
        result = make_result(seq)
        entity = {
            "PartitionKey": partition,
            "RowKey": row,
            "key": key,
            "kind": kind,
            "seq": seq,
            "attempts": 1,
            "created_at": now,
            "updated_at": now,
            **_json_properties("payload", payload),
            **_json_properties("result", result),
        }
        try:
            self.client.submit_transaction([_claim(partition, seq, counter), ("create", entity)])
        except TableTransactionError as error:
            if getattr(error, "error_code", None) in _LOST_RACE:  # set by the SDK, not declared
                return None
            raise
        return OutboxWrite(OutboxRecord(key, kind, seq, payload, result, 1, now), duplicate=False)

    def _count_repeat(self, stored: dict[str, Any]) -> OutboxWrite | None:
        """Add one attempt if the record is unchanged since we read it (else None: read it again)."""
        attempts = int(stored["attempts"]) + 1
        change = {
            "PartitionKey": stored["PartitionKey"],
            "RowKey": stored["RowKey"],
            "attempts": attempts,
            "updated_at": datetime.now(UTC).isoformat(),
        }
        try:
            self.client.update_entity(
                change,
                mode=UpdateMode.MERGE,
                etag=stored.metadata["etag"],  # type: ignore[attr-defined]
                match_condition=MatchConditions.IfNotModified,
            )
        except ResourceModifiedError:
            return None
        return OutboxWrite(_record(stored, attempts=attempts), duplicate=True)

    def _get(self, partition: str, row: str) -> Any:
        """The entity (a TableEntity, whose metadata carries the ETag), or None when absent."""
        try:
            return self.client.get_entity(partition_key=partition, row_key=row)
        except ResourceNotFoundError:
            return None

    def _naming(self, what: str) -> AbstractContextManager[None]:
        """Turn a storage failure into an `OutboxError` that says which key and which settings."""
        return storage_errors(OutboxError, f"outbox {what} failed in {self.where}")


@cache
def table_outbox(endpoint: str, table_name: str) -> TableOutbox:
    """The outbox for these settings, opened once per process (the credential caches its tokens)."""
    where = check_table_settings(
        endpoint, table_name, "OUTBOX_TABLE_ENDPOINT", "OUTBOX_TABLE_NAME", OutboxError
    )
    return TableOutbox(open_table(endpoint, table_name, where), where)


def open_table(endpoint: str, table_name: str, where: str) -> TableClient:
    """Connect as the app's identity (`AZURE_CLIENT_ID` picks it) and create the table if missing."""
    return tables.open_table(endpoint, table_name, f"outbox {where}", OutboxError)


def _claim(partition: str, seq: int, counter: Any) -> Operation:
    """The counter half of the transaction: create it at 1, or move it on only if nobody else did."""
    entity = {"PartitionKey": partition, "RowKey": COUNTER_ROW, "seq": seq}
    if counter is None:
        return ("create", entity)
    conditions = {
        "mode": UpdateMode.REPLACE,
        "etag": counter.metadata["etag"],
        "match_condition": MatchConditions.IfNotModified,
    }
    return ("update", entity, conditions)


def _json_properties(name: str, value: Any) -> dict[str, str]:
    """`value` as JSON in `name`, `name1`, ... so payloads beyond one string property still fit."""
    text = json.dumps(value)
    starts = range(0, len(text), _CHUNK_CHARS)
    return {
        (f"{name}{index}" if index else name): text[start : start + _CHUNK_CHARS]
        for index, start in enumerate(starts)
    }


def _json_value(entity: dict[str, Any], name: str) -> Any:
    """The JSON value `_json_properties` spread over `name`, `name1`, ..."""
    parts = [entity[name]]
    while f"{name}{len(parts)}" in entity:
        parts.append(entity[f"{name}{len(parts)}"])
    return json.loads("".join(parts))


def _records_only(entities: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The record entities, without the per-kind counters that share their partitions."""
    return (entity for entity in entities if entity["RowKey"] != COUNTER_ROW)


def _record(entity: dict[str, Any], *, attempts: int | None = None) -> OutboxRecord:
    return OutboxRecord(
        key=entity["key"],
        kind=entity["kind"],
        seq=int(entity["seq"]),
        payload=_json_value(entity, "payload"),
        result=_json_value(entity, "result"),
        attempts=int(entity["attempts"]) if attempts is None else attempts,
        created_at=entity["created_at"],
    )
