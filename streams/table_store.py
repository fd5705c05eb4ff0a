"""The Azure Table stream store: chunks shared by every instance of the app.

On Flex Consumption the activity that writes a reply and the HTTP call that reads it may run on
different instances, so the chunks live in a table of the app's storage account (`streams`),
reached as the app's identity.

Layout: PartitionKey is the run id, RowKey `<step>~<attempt>~<index, 6 digits>`. One step's chunks
are one key range of one partition, read with a single range query in order; one batch of chunks is
one entity group transaction (same partition, at most 100 rows). Keys are escaped with
`storage.tables.escape_key`, which never lets `~` or `!` through, so neither can be forged.

The first chunk of an attempt comes with a marker row `!<written at>~<step>~<attempt>` in the same
transaction: markers sort by time, so "the steps that started since T" (`started_since`) is one
range query however long the run, and chunk range queries never see them.
"""

from collections import defaultdict
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TypeVar

from azure.data.tables import TableClient

from storage import tables
from storage.tables import check_table_settings, escape_key, storage_errors
from streams.records import Chunk, StreamError
from streams.sqlite_store import iso

_T = TypeVar("_T")
_SEPARATOR = "~"
_MARKER = "!"
_MAX_RANGE_QUERIES = 8  # more steps than this are read with one query of the whole run
_MAX_TRANSACTION = 100  # operations in one entity group transaction


@dataclass(frozen=True)
class TableStreamStore:
    """The stream store in one Azure table; `where` names the settings behind it for error messages."""

    client: TableClient
    where: str
    inline: bool = False  # every call is a network round trip

    def append(self, run: str, chunks: Sequence[Chunk]) -> None:
        """Upsert the chunks, one transaction per hundred (a repeated chunk replaces itself)."""
        partition = escape_key(run)
        entities = [
            {
                "PartitionKey": partition,
                "RowKey": _row_key(chunk.step, chunk.attempt, chunk.index),
                "step": chunk.step,
                "attempt": chunk.attempt,
                "idx": chunk.index,
                "agent": chunk.agent,
                "text": chunk.text,
                "at": chunk.at,
            }
            for chunk in chunks
        ]
        entities += [
            {
                "PartitionKey": partition,
                "RowKey": _marker_key(chunk),
                "step": chunk.step,
                "agent": chunk.agent,
                "at": chunk.at,
            }
            for chunk in chunks
            if chunk.index == 0
        ]
        with self._naming(f"write to run {run!r}"):
            for group in _groups(entities, _MAX_TRANSACTION):
                self.client.submit_transaction([("upsert", entity) for entity in group])

    def read(self, run: str, steps: Collection[str]) -> list[Chunk]:
        """One range query per step, or one query of the run's partition when many steps are asked
        (a reader catching up on a long run), in step order."""
        with self._naming(f"read of run {run!r}"):
            if len(steps) > _MAX_RANGE_QUERIES:
                everything = self._query(run, "RowKey gt @low", {"low": _MARKER + _SEPARATOR})
                found = [chunk for chunk in everything if chunk.step in steps]
            else:
                found = []
                for step in sorted(steps):
                    prefix = escape_key(step) + _SEPARATOR
                    found += self._query(
                        run,
                        "RowKey gt @low and RowKey lt @high",
                        {"low": prefix, "high": prefix + _SEPARATOR},
                    )
        return sorted(found, key=lambda chunk: (chunk.step, chunk.attempt, chunk.index))

    def _query(self, run: str, rows: str, parameters: dict[str, str]) -> list[Chunk]:
        """The run's chunks whose RowKey matches `rows` (markers excluded by the caller's range)."""
        found = self.client.query_entities(
            f"PartitionKey eq @run and {rows}",
            parameters={"run": escape_key(run), **parameters},
            select=["step", "attempt", "idx", "agent", "text", "at"],
        )
        return [_chunk(row) for row in found]

    def started_since(self, run: str, since: str) -> dict[str, str]:
        """One range query over the run's attempt markers written at or after `since`."""
        with self._naming(f"read of run {run!r}"):
            rows = self.client.query_entities(
                "PartitionKey eq @run and RowKey ge @low and RowKey lt @high",
                parameters={"run": escape_key(run), "low": _MARKER + since, "high": _MARKER + _SEPARATOR},
                select=["step", "agent"],
            )
            return {str(row["step"]): str(row["agent"]) for row in rows}

    def purge(self, written_before: datetime) -> int:
        """Find old rows by `at` (one scan, for a daily timer) and delete them per partition.

        Returns the number of chunks deleted (their attempts' markers go too, uncounted)."""
        by_run: dict[str, list[str]] = defaultdict(list)
        with self._naming("purge"):
            old = self.client.query_entities(
                "at lt @cutoff", parameters={"cutoff": iso(written_before)}, select=["PartitionKey", "RowKey"]
            )
            for row in old:
                by_run[row["PartitionKey"]].append(row["RowKey"])
            for partition, rows in by_run.items():
                for group in _groups(rows, _MAX_TRANSACTION):
                    self.client.submit_transaction(
                        [("delete", {"PartitionKey": partition, "RowKey": row}) for row in group]
                    )
        return sum(1 for rows in by_run.values() for row in rows if not row.startswith(_MARKER))

    def _naming(self, what: str) -> AbstractContextManager[None]:
        """Turn a storage failure into a `StreamError` that says which run and which settings."""
        return storage_errors(StreamError, f"stream {what} failed in {self.where}")


@cache
def table_stream_store(endpoint: str, table_name: str) -> TableStreamStore:
    """The store for these settings, opened once per process (the credential caches its tokens)."""
    where = check_table_settings(
        endpoint, table_name, "STREAM_TABLE_ENDPOINT", "STREAM_TABLE_NAME", StreamError
    )
    return TableStreamStore(
        tables.open_table(endpoint, table_name, f"stream store {where}", StreamError), where
    )


def _groups(items: Sequence[_T], size: int) -> Iterator[Sequence[_T]]:
    """`items` in slices of at most `size` (a transaction's limit)."""
    return (items[start : start + size] for start in range(0, len(items), size))


def _marker_key(chunk: Chunk) -> str:
    return f"{_MARKER}{chunk.at}{_SEPARATOR}{escape_key(chunk.step)}{_SEPARATOR}{escape_key(chunk.attempt)}"


def _row_key(step: str, attempt: str, index: int) -> str:
    return f"{escape_key(step)}{_SEPARATOR}{escape_key(attempt)}{_SEPARATOR}{index:06d}"


def _chunk(row: dict[str, object]) -> Chunk:
    return Chunk(
        step=str(row["step"]),
        attempt=str(row["attempt"]),
        index=int(str(row["idx"])),
        agent=str(row["agent"]),
        text=str(row["text"]),
        at=str(row["at"]),
    )
