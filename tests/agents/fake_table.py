"""An in-memory `azure.data.tables.TableClient` with the service's rules, for the outbox tests.

It implements the subset `agents.tools.outbox_table` uses (`get_entity`, `update_entity`,
`submit_transaction`, `query_entities` by partition, `list_entities`) and raises what the real
client raises: `EntityAlreadyExists` (409) on a second insert, `ResourceModifiedError` (412)
when an `IfNotModified` ETag is stale, `ResourceNotFoundError`, and for a transaction a
`TableTransactionError` carrying the failing operation's index and code, with nothing applied.
Every write gets a fresh ETag. It also refuses what the service refuses and a careless backend
would send: keys with `/ \\ # ?`, string properties over 64 KiB, mixed partitions in a transaction.
"""

import threading
from collections.abc import Iterable, Iterator, Mapping
from itertools import count
from typing import Any

from azure.core import MatchConditions
from azure.core.exceptions import (
    HttpResponseError,
    ResourceExistsError,
    ResourceModifiedError,
    ResourceNotFoundError,
)
from azure.data.tables import TableEntity, TableErrorCode, TableTransactionError, UpdateMode

_FORBIDDEN_IN_KEYS = set("/\\#?") | {chr(code) for code in [*range(0x20), *range(0x7F, 0xA0)]}
_MAX_STRING_UTF16_UNITS = 32 * 1024
_MAX_TRANSACTION_OPERATIONS = 100

Key = tuple[str, str]


def _error(kind: type[HttpResponseError], code: TableErrorCode, message: str) -> HttpResponseError:
    error = kind(message=message)
    error.error_code = code  # type: ignore[attr-defined]
    return error


class FakeTableClient:
    """One table in memory; a lock makes each call (and each transaction) atomic, as the service does."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[Key, tuple[dict[str, Any], str]] = {}
        self._etags = count(1)

    def get_entity(self, partition_key: str, row_key: str) -> TableEntity:
        with self._lock:
            stored = self._rows.get((partition_key, row_key))
        if stored is None:
            raise _error(ResourceNotFoundError, TableErrorCode.ENTITY_NOT_FOUND, "entity not found")
        return _entity(*stored)

    def update_entity(
        self,
        entity: Mapping[str, Any],
        mode: UpdateMode = UpdateMode.MERGE,
        etag: str | None = None,
        match_condition: MatchConditions | None = None,
    ) -> None:
        with self._lock:
            self._update(self._rows, entity, mode, etag, match_condition)

    def submit_transaction(self, operations: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """All operations or none; the error names the index of the one that failed, like the service."""
        operations = list(operations)
        partitions = {operation[1]["PartitionKey"] for operation in operations}
        if len(partitions) != 1 or len(operations) > _MAX_TRANSACTION_OPERATIONS:
            raise _error(TableTransactionError, TableErrorCode.INVALID_INPUT, "0:one partition, <= 100 ops")
        with self._lock:
            staged = dict(self._rows)
            for index, (name, entity, *options) in enumerate(operations):
                try:
                    if name == "create":
                        self._create(staged, entity)
                    elif name == "update":
                        self._update(staged, entity, **(options[0] if options else {}))
                    else:
                        raise NotImplementedError(f"fake transaction operation {name!r}")
                except HttpResponseError as error:
                    code = error.error_code  # type: ignore[attr-defined]
                    raise _error(TableTransactionError, code, f"{index}:{error.message}") from error
            self._rows = staged
        return [{} for _ in operations]

    def query_entities(self, query_filter: str, parameters: Mapping[str, str]) -> Iterator[TableEntity]:
        """Only the partition query the outbox sends; anything else is a test bug, not a silent scan."""
        if query_filter != "PartitionKey eq @kind":
            raise NotImplementedError(f"fake query {query_filter!r}")
        return (entity for entity in self.list_entities() if entity["PartitionKey"] == parameters["kind"])

    def list_entities(self, select: list[str] | None = None) -> Iterator[TableEntity]:
        with self._lock:
            snapshot = sorted(self._rows.items())  # the service returns rows in key order
        for _, (properties, etag) in snapshot:
            chosen = (
                {name: properties[name] for name in select if name in properties} if select else properties
            )
            yield _entity(chosen, etag)

    def _create(self, rows: dict[Key, tuple[dict[str, Any], str]], entity: Mapping[str, Any]) -> None:
        key = _checked_key(entity)
        if key in rows:
            raise _error(ResourceExistsError, TableErrorCode.ENTITY_ALREADY_EXISTS, "entity already exists")
        rows[key] = (_checked_properties(entity), self._next_etag())

    def _update(
        self,
        rows: dict[Key, tuple[dict[str, Any], str]],
        entity: Mapping[str, Any],
        mode: UpdateMode = UpdateMode.MERGE,
        etag: str | None = None,
        match_condition: MatchConditions | None = None,
    ) -> None:
        key = _checked_key(entity)
        if key not in rows:
            raise _error(ResourceNotFoundError, TableErrorCode.RESOURCE_NOT_FOUND, "entity not found")
        current, current_etag = rows[key]
        if match_condition == MatchConditions.IfNotModified and etag != current_etag:
            raise _error(
                ResourceModifiedError, TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED, "412 stale etag"
            )
        merged = {**current, **entity} if mode == UpdateMode.MERGE else dict(entity)
        rows[key] = (_checked_properties(merged), self._next_etag())

    def _next_etag(self) -> str:
        return f"W/\"datetime'{next(self._etags)}'\""


def _checked_key(entity: Mapping[str, Any]) -> Key:
    key = (entity["PartitionKey"], entity["RowKey"])
    if any(char in _FORBIDDEN_IN_KEYS for part in key for char in part):
        raise _error(HttpResponseError, TableErrorCode.INVALID_INPUT, f"forbidden character in key {key!r}")
    return key


def _checked_properties(entity: Mapping[str, Any]) -> dict[str, Any]:
    for name, value in entity.items():
        if isinstance(value, str) and len(value.encode("utf-16-le")) // 2 > _MAX_STRING_UTF16_UNITS:
            raise _error(HttpResponseError, TableErrorCode.PROPERTY_VALUE_TOO_LARGE, f"{name} over 64 KiB")
    return dict(entity)


def _entity(properties: Mapping[str, Any], etag: str) -> TableEntity:
    entity = TableEntity(properties)
    entity._metadata = {"etag": etag, "timestamp": None}
    return entity
