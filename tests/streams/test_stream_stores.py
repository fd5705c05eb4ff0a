"""The stream store's promises, held alike by the SQLite file and by Azure Table Storage (Azurite)."""

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from azure.data.tables import TableServiceClient

from streams import sqlite_store, store
from streams.records import Chunk, StreamError, StreamStore
from streams.sqlite_store import SqliteStreamStore, iso
from streams.table_store import TableStreamStore
from tests.support.azurite import Azurite


def chunk(step: str, attempt: str, index: int, text: str, at: datetime | None = None) -> Chunk:
    return Chunk(step, attempt, index, "writer", text, iso(at or datetime.now(UTC)))


@pytest.fixture(params=["sqlite", "table"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StreamStore]:
    if request.param == "sqlite":
        yield SqliteStreamStore(tmp_path / "streams.db")
        return
    azurite: Azurite = request.getfixturevalue("azurite")
    service = TableServiceClient.from_connection_string(azurite.connection_string)
    table = service.create_table_if_not_exists(f"streams{uuid.uuid4().hex[:12]}")
    yield TableStreamStore(table, f"table '{table.table_name}' on Azurite")


def test_a_step_reads_back_in_attempt_and_index_order(backend: StreamStore) -> None:
    backend.append("run-1", [chunk("s1", "0002", 1, "again "), chunk("s1", "0002", 0, "Once ")])
    backend.append("run-1", [chunk("s1", "0001", 0, "Partial ")])
    got = [(c.attempt, c.index, c.text) for c in backend.read("run-1", {"s1"})]
    assert got == [("0001", 0, "Partial "), ("0002", 0, "Once "), ("0002", 1, "again ")]


def test_reads_see_only_the_asked_steps_of_the_asked_run(backend: StreamStore) -> None:
    backend.append("run-1", [chunk("s1", "a", 0, "one")])
    backend.append("run-1", [chunk("s2", "a", 0, "two")])
    backend.append("run-2", [chunk("s1", "a", 0, "other run")])
    assert [c.text for c in backend.read("run-1", {"s2"})] == ["two"]
    assert [c.text for c in backend.read("run-1", {"s1", "s2"})] == ["one", "two"]
    assert backend.read("run-1", set()) == []
    assert backend.read("run-3", {"s1"}) == []


def test_writing_a_chunk_again_keeps_one_copy(backend: StreamStore) -> None:
    backend.append("run-1", [chunk("s1", "a", 0, "same")])
    backend.append("run-1", [chunk("s1", "a", 0, "same")])
    assert [c.text for c in backend.read("run-1", {"s1"})] == ["same"]


def test_keys_with_characters_tables_forbid_still_round_trip(backend: StreamStore) -> None:
    run, step = "run/with#odd?chars", "step\\~1"
    backend.append(run, [chunk(step, "a", 0, "ok")])
    assert [(c.step, c.text) for c in backend.read(run, {step})] == [(step, "ok")]


def test_more_than_one_transaction_of_chunks_is_stored_whole(backend: StreamStore) -> None:
    backend.append("run-1", [chunk("s1", "a", i, f"w{i} ") for i in range(130)])
    assert [c.index for c in backend.read("run-1", {"s1"})] == list(range(130))


def test_purge_deletes_chunks_by_their_age_only(backend: StreamStore) -> None:
    now = datetime.now(UTC)
    backend.append("run-1", [chunk("old", "a", 0, "old", now - timedelta(hours=30))])
    backend.append("run-1", [chunk("new", "a", 0, "new", now - timedelta(hours=1))])
    assert backend.purge(now - timedelta(hours=24)) == 1
    assert [c.text for c in backend.read("run-1", {"old", "new"})] == ["new"]


def test_a_sqlite_purge_lets_a_writer_in_between_its_batches(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Words are written on the host's event loop: a day's purge must not hold the file throughout."""
    monkeypatch.setattr(sqlite_store, "PURGE_BATCH", 10)
    path, now = tmp_path / "streams.db", datetime.now(UTC)
    backend = SqliteStreamStore(path)
    backend.append("old", [chunk("s", "a", i, "old", now - timedelta(hours=30)) for i in range(35)])
    writer = sqlite3.connect(path, timeout=0, isolation_level=None)  # a locked file fails at once
    written: list[int] = []

    def between_batches(_: float) -> None:
        row = ("live", "s", "a", len(written), "writer", "new", iso(now))
        writer.execute("INSERT INTO chunks VALUES (?, ?, ?, ?, ?, ?, ?)", row)
        written.append(len(written))

    monkeypatch.setattr(sqlite_store.time, "sleep", between_batches)
    assert backend.purge(now - timedelta(hours=24)) == 35
    writer.close()
    assert written == [0, 1, 2]
    assert backend.read("old", {"s"}) == []
    assert [c.index for c in backend.read("live", {"s"})] == written


def test_the_settings_pick_sqlite_by_default_and_name_a_bad_table_setting(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("STREAM_TABLE_ENDPOINT", "")
    monkeypatch.setenv("STREAM_PATH", str(tmp_path / "s.db"))
    assert store.stream_store() == SqliteStreamStore(tmp_path / "s.db")
    monkeypatch.setenv("STREAM_TABLE_ENDPOINT", "http://not-https.example")
    with pytest.raises(StreamError, match="STREAM_TABLE_ENDPOINT must be an https URL"):
        store.stream_store()
    monkeypatch.setenv("STREAM_TABLE_ENDPOINT", "https://acct.table.core.windows.net")
    monkeypatch.setenv("STREAM_TABLE_NAME", "no-dashes")
    with pytest.raises(StreamError, match="STREAM_TABLE_NAME must be 3-63 letters"):
        store.stream_store()


@pytest.mark.parametrize("value", ["0", "soon", "-3"])
def test_a_bad_retention_names_its_setting(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("STREAM_RETENTION_HOURS", value)
    with pytest.raises(StreamError, match="STREAM_RETENTION_HOURS"):
        store.retention()


def test_the_purge_uses_the_retention_setting(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STREAM_TABLE_ENDPOINT", "")
    monkeypatch.setenv("STREAM_PATH", str(tmp_path / "s.db"))
    monkeypatch.setenv("STREAM_RETENTION_HOURS", "2")
    now = datetime.now(UTC)
    sqlite = SqliteStreamStore(tmp_path / "s.db")
    sqlite.append(
        "r", [chunk("a", "1", 0, "3 h old", now - timedelta(hours=3)), chunk("a", "1", 1, "fresh", now)]
    )
    assert store.purge_old_streams(now) == 1
    assert [c.text for c in sqlite.read("r", {"a"})] == ["fresh"]


def test_steps_that_started_since_a_moment_are_found_without_naming_them(backend: StreamStore) -> None:
    now = datetime.now(UTC)
    backend.append("run-1", [chunk("early", "a", 0, "x", now - timedelta(seconds=10))])
    backend.append("run-1", [chunk("late", "b", 0, "y", now), chunk("late", "b", 1, "z", now)])
    backend.append("run-2", [chunk("other", "c", 0, "w", now)])
    assert backend.started_since("run-1", iso(now - timedelta(seconds=1))) == {"late": "writer"}
    assert backend.started_since("run-1", iso(now - timedelta(seconds=60))) == {
        "early": "writer",
        "late": "writer",
    }
    assert [c.text for c in backend.read("run-1", {"late"})] == ["y", "z"]


def test_a_reader_catching_up_on_many_steps_gets_them_all_in_order(backend: StreamStore) -> None:
    steps = [f"s{n:02d}" for n in range(12)]
    for step in steps:
        backend.append("run-1", [chunk(step, "a", 0, f"{step} "), chunk(step, "a", 1, "done")])
    backend.append("run-1", [chunk("other", "a", 0, "not asked")])
    got = backend.read("run-1", set(steps))
    assert [(c.step, c.index) for c in got] == [(step, i) for step in steps for i in (0, 1)]
