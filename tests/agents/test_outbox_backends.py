"""Both outbox backends keep the same promise, and the settings pick the right one.

The Azure Table backend runs against `FakeTableClient` (real ETag, insert-conflict and transaction
rules, in memory); the SQLite backend against a temporary file. The same operations must give
the same records and stats on both, duplicates must be counted, and `seq` must never repeat or
skip, even when writers race (a barrier inside `make_result` forces every writer to read the same
counter before any of them commits).
"""

import dataclasses
import json
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from azure.core.exceptions import ClientAuthenticationError, HttpResponseError

from agents.tools import outbox, outbox_table
from agents.tools.outbox_records import OutboxBackend, OutboxError, OutboxRecord, OutboxWrite
from agents.tools.outbox_sqlite import SqliteOutbox
from agents.tools.outbox_table import TableOutbox
from storage import tables as storage_tables
from tests.agents.fake_table import FakeTableClient

ROOT = Path(__file__).resolve().parents[2]
ENDPOINT = "https://acct.table.core.windows.net/"
WHERE = "table 'outbox' (OUTBOX_TABLE_NAME) at OUTBOX_TABLE_ENDPOINT=test"
BIG_TEXT = "draft paragraph with ünïcode. " * 4000  # ~120 KB: more than one Table string property holds
# (key, kind, payload): repeats, interleaved kinds, and keys with characters Table keys forbid.
OPERATIONS = [
    ("run-1:c1", "ticket", {"title": "VPN down"}),
    ("run-1:publish", "publication", {"text": BIG_TEXT}),
    ("run-1:c1", "ticket", {"title": "ignored on a repeat"}),
    ("run/2#x?:c1", "ticket", {"title": "slashes"}),
    ("rün-3:c.1", "ticket", {"title": "unicode and dots"}),
    ("run-1:publish", "publication", {"text": "again"}),
    ("run-1:c1", "ticket", {}),
    ("run-4:!counter", "ticket", {"title": "looks like the counter"}),
]


@pytest.fixture(autouse=True)
def no_open_tables() -> Iterator[None]:
    """No table outbox opened by one test serves another (the settings are cleared by `model_env`)."""
    outbox_table.table_outbox.cache_clear()
    yield
    outbox_table.table_outbox.cache_clear()


def make_result(seq: int) -> dict[str, Any]:
    return {"ticket_id": f"TCK-{seq:05d}"}


def table_backend(client: FakeTableClient | None = None) -> TableOutbox:
    return TableOutbox(client or FakeTableClient(), WHERE)


def run(backend: OutboxBackend) -> list[OutboxWrite]:
    return [backend.write_once(key, kind, payload, make_result) for key, kind, payload in OPERATIONS]


def timeless(records: list[OutboxRecord]) -> list[OutboxRecord]:
    """Records without `created_at`, the one field two runs cannot share."""
    return [dataclasses.replace(record, created_at="") for record in records]


def test_both_backends_answer_the_same_operations_alike(tmp_path: Path) -> None:
    sqlite, table = SqliteOutbox(tmp_path / "outbox.db"), table_backend()
    sqlite_writes, table_writes = run(sqlite), run(table)
    assert [(w.duplicate, w.record.attempts, w.record.seq) for w in table_writes] == [
        (w.duplicate, w.record.attempts, w.record.seq) for w in sqlite_writes
    ]
    assert timeless([w.record for w in table_writes]) == timeless([w.record for w in sqlite_writes])
    assert timeless(table.records()) == timeless(sqlite.records())
    assert timeless(table.records("ticket")) == timeless(sqlite.records("ticket"))
    assert (
        table.stats()
        == sqlite.stats()
        == {
            "rows": 5,
            "attempts": 8,
            "duplicates": 3,
            "by_kind": {"ticket": {"rows": 4, "attempts": 6}, "publication": {"rows": 1, "attempts": 2}},
        }
    )
    (publication,) = table.records("publication")
    assert publication.payload == {"text": BIG_TEXT}


def test_a_repeated_key_is_counted_and_returns_the_original() -> None:
    table, calls = table_backend(), []

    def counted(seq: int) -> dict[str, Any]:
        calls.append(seq)
        return {"publication_id": f"PUB-{seq:05d}"}

    first = table.write_once("run-9:publish", "publication", {"text": "v1"}, counted)
    repeats = [table.write_once("run-9:publish", "publication", {"text": "v2"}, counted) for _ in range(3)]
    assert calls == [1]
    assert not first.duplicate and all(write.duplicate for write in repeats)
    assert [write.record.attempts for write in repeats] == [2, 3, 4]
    assert {write.record.result["publication_id"] for write in [first, *repeats]} == {"PUB-00001"}
    assert table.records()[0].payload == {"text": "v1"}
    assert table.stats()["duplicates"] == 3


def racing(writers: int) -> Callable[[int], dict[str, Any]]:
    """A `make_result` that holds each thread's first call until every writer has read the counter."""
    barrier, seen = threading.Barrier(writers, timeout=30), threading.local()

    def make(seq: int) -> dict[str, Any]:
        if not getattr(seen, "waited", False):
            seen.waited = True
            barrier.wait()
        return make_result(seq)

    return make


def race(instances: list[TableOutbox], writers: int, key_of: Callable[[int], str]) -> list[OutboxWrite]:
    """`writers` threads, alternating between the instances, each writing `key_of(index)` at once."""
    make = racing(writers)

    def write(index: int) -> OutboxWrite:
        return instances[index % len(instances)].write_once(key_of(index), "ticket", {"n": index}, make)

    with ThreadPoolExecutor(max_workers=writers) as pool:
        return list(pool.map(write, range(writers)))


def test_racing_writers_on_two_instances_never_repeat_or_skip_a_seq() -> None:
    shared, writers = FakeTableClient(), 8
    instances = [table_backend(shared), table_backend(shared)]
    creating = race(instances, writers, lambda index: f"run-{index}:c1")  # all race to create the counter
    moving = race(instances, writers, lambda index: f"run-{index}:c2")  # all race on the counter's ETag
    same = race(instances, writers, lambda index: "run-x:c1")  # all race on one new key
    assert sorted(write.record.seq for write in creating) == list(range(1, writers + 1))
    assert sorted(write.record.seq for write in moving) == list(range(writers + 1, 2 * writers + 1))
    assert not any(write.duplicate for write in creating + moving)
    assert {write.record.seq for write in same} == {2 * writers + 1}
    assert {json.dumps(write.record.result) for write in same} == {json.dumps(make_result(2 * writers + 1))}
    assert sum(not write.duplicate for write in same) == 1
    rows, attempts = 2 * writers + 1, 3 * writers
    assert instances[0].stats() == {
        "rows": rows,
        "attempts": attempts,
        "duplicates": attempts - rows,
        "by_kind": {"ticket": {"rows": rows, "attempts": attempts}},
    }
    assert [record.seq for record in instances[1].records("ticket")] == list(range(1, rows + 1))


class InterruptedRepeat(FakeTableClient):
    """Another instance counts its own repeat between our read of the record and our update."""

    def __init__(self) -> None:
        super().__init__()
        self.interrupt = False

    def update_entity(self, entity: Any, **options: Any) -> None:
        if self.interrupt and "attempts" in entity:
            self.interrupt = False
            stored = self.get_entity(entity["PartitionKey"], entity["RowKey"])
            super().update_entity({**entity, "attempts": stored["attempts"] + 1})
        super().update_entity(entity, **options)


def test_a_stale_attempt_count_is_retried_not_lost() -> None:
    client = InterruptedRepeat()
    table = table_backend(client)
    table.write_once("run-5:c1", "ticket", {}, make_result)
    client.interrupt = True
    repeat = table.write_once("run-5:c1", "ticket", {}, make_result)
    assert (repeat.duplicate, repeat.record.attempts) == (True, 3)
    assert table.stats()["attempts"] == 3


class Forbidden(FakeTableClient):
    def get_entity(self, partition_key: str, row_key: str) -> Any:
        raise HttpResponseError(message="This request is not authorized (AuthorizationPermissionMismatch)")


def test_a_storage_failure_names_the_key_and_the_settings() -> None:
    with pytest.raises(OutboxError, match=r"key 'run-6:c1'.*OUTBOX_TABLE_ENDPOINT.*AuthorizationPermission"):
        table_backend(Forbidden()).write_once("run-6:c1", "ticket", {}, make_result)


def opened_tables(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, FakeTableClient]]:
    """Stand the fake in for the real connection and note what each open asked for."""
    opened: list[tuple[str, str, FakeTableClient]] = []

    def fake_open(endpoint: str, table_name: str, where: str) -> FakeTableClient:
        opened.append((endpoint, table_name, FakeTableClient()))
        return opened[-1][2]

    monkeypatch.setattr(outbox_table, "open_table", fake_open)
    return opened


def test_without_a_table_endpoint_the_outbox_is_the_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = opened_tables(monkeypatch)
    outbox.write_once("run-7:c1", "ticket", {}, make_result)
    assert outbox.outbox_path().is_file()
    assert SqliteOutbox(outbox.outbox_path()).stats()["rows"] == 1
    assert opened == []


def test_a_table_endpoint_moves_the_outbox_to_azure_tables(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = opened_tables(monkeypatch)
    monkeypatch.setenv("OUTBOX_TABLE_ENDPOINT", ENDPOINT)
    outbox.write_once("run-8:c1", "ticket", {"title": "x"}, make_result)
    outbox.write_once("run-8:c1", "ticket", {"title": "x"}, make_result)
    monkeypatch.setenv("OUTBOX_TABLE_NAME", "agentoutbox")
    outbox.write_once("run-8:c2", "ticket", {}, make_result)
    assert [(endpoint, name) for endpoint, name, _ in opened] == [
        (ENDPOINT, "outbox"),
        (ENDPOINT, "agentoutbox"),
    ]
    assert table_backend(opened[0][2]).stats()["by_kind"] == {"ticket": {"rows": 1, "attempts": 2}}
    assert outbox.records() == table_backend(opened[1][2]).records()
    assert not outbox.outbox_path().exists()


@pytest.mark.parametrize(
    ("endpoint", "table_name", "setting"),
    [
        ("http://acct.table.core.windows.net", "outbox", "OUTBOX_TABLE_ENDPOINT"),
        ("acct.table.core.windows.net", "outbox", "OUTBOX_TABLE_ENDPOINT"),
        (ENDPOINT, "out-box", "OUTBOX_TABLE_NAME"),
        (ENDPOINT, "1outbox", "OUTBOX_TABLE_NAME"),
    ],
)
def test_a_bad_setting_is_named(
    monkeypatch: pytest.MonkeyPatch, endpoint: str, table_name: str, setting: str
) -> None:
    monkeypatch.setenv("OUTBOX_TABLE_ENDPOINT", endpoint)
    monkeypatch.setenv("OUTBOX_TABLE_NAME", table_name)
    with pytest.raises(OutboxError, match=rf"^{setting} must be"):
        outbox.stats()


class NoIdentity:
    """A credential that fails the way DefaultAzureCredential does with no identity available."""

    def get_token(self, *scopes: str, **options: Any) -> Any:
        raise ClientAuthenticationError(message="DefaultAzureCredential failed to retrieve a token")

    def get_token_info(self, *scopes: str, **options: Any) -> Any:
        return self.get_token(*scopes)


def test_an_identity_failure_at_open_names_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage_tables, "DefaultAzureCredential", NoIdentity)
    monkeypatch.setenv("OUTBOX_TABLE_ENDPOINT", ENDPOINT)
    with pytest.raises(
        OutboxError, match=r"OUTBOX_TABLE_NAME\) at OUTBOX_TABLE_ENDPOINT=https://acct.*token"
    ):
        outbox.write_once("run-9:c1", "ticket", {}, make_result)


def test_the_sqlite_path_never_imports_the_azure_table_sdk(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from agents.tools import outbox\n"
        "outbox.write_once('run-1:c1', 'ticket', {}, lambda seq: {'n': seq})\n"
        "print(outbox.stats()['rows'], 'azure.data.tables' in sys.modules, 'azure.identity' in sys.modules)\n"
    )
    env = {"OUTBOX_PATH": str(tmp_path / "outbox.db"), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["1", "False", "False"]
