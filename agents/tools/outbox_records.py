"""What every outbox backend stores and reports, so SQLite and Azure Table answer alike.

`agents.tools.outbox` picks a backend from the settings; the backends (`outbox_sqlite`,
`outbox_table`) implement `OutboxBackend` over these shapes, and `summarise` builds the one
`stats()` shape from per-kind counts, so tests and benchmarks never care which store is behind it.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class OutboxError(RuntimeError):
    """The outbox store is misconfigured or unreachable; the message names the setting."""


@dataclass(frozen=True)
class OutboxRecord:
    """One side effect as stored: `seq` numbers the records of one kind from 1."""

    key: str
    kind: str
    seq: int
    payload: dict[str, Any]
    result: dict[str, Any]
    attempts: int
    created_at: str


@dataclass(frozen=True)
class OutboxWrite:
    """What `write_once` did: the stored record, and whether this call was a repeat."""

    record: OutboxRecord
    duplicate: bool


class OutboxBackend(Protocol):
    """A store that records each side effect once; `agents.tools.outbox` documents the semantics."""

    def write_once(
        self, key: str, kind: str, payload: dict[str, Any], make_result: Callable[[int], dict[str, Any]]
    ) -> OutboxWrite: ...

    def records(self, kind: str | None = None) -> list[OutboxRecord]: ...

    def stats(self) -> dict[str, Any]: ...


def summarise(counts: Mapping[str, tuple[int, int]]) -> dict[str, Any]:
    """The `stats()` shape from `{kind: (rows, attempts)}`: duplicates are attempts beyond the first."""
    total_rows = sum(rows for rows, _ in counts.values())
    total_attempts = sum(attempts for _, attempts in counts.values())
    return {
        "rows": total_rows,
        "attempts": total_attempts,
        "duplicates": total_attempts - total_rows,
        "by_kind": {
            kind: {"rows": rows, "attempts": attempts} for kind, (rows, attempts) in sorted(counts.items())
        },
    }
