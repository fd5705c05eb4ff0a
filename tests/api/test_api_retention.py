"""`purge_old_runs`: ended runs older than RUN_RETENTION_DAYS go; running ones and new ones stay."""

import asyncio
import logging
from datetime import timedelta
from pathlib import Path

import pytest

from api.errors import ConfigurationError
from api.retention import purge_old_runs
from streams.records import Chunk
from streams.sqlite_store import SqliteStreamStore, iso
from tests.api.durable_fake import T0, FakeDurableClient


def test_purges_only_ended_runs_older_than_the_retention(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("RUN_RETENTION_DAYS", "7")
    client = FakeDurableClient()
    old = T0 - timedelta(days=8)
    client.add_run("old-done", status="Completed", created=old)
    client.add_run("old-failed", status="Failed", created=old)
    client.add_run("old-stopped", status="Terminated", created=old)
    client.add_run("old-waiting", status="Running", created=old)
    client.add_run("recent-done", status="Completed", created=T0 - timedelta(days=6))
    with caplog.at_level(logging.INFO, logger="api.retention"):
        deleted = asyncio.run(purge_old_runs(client, now=T0))
    assert deleted == 3
    assert set(client.runs) == {"old-waiting", "recent-done"}
    assert client.purged_by[0]["to"] == T0 - timedelta(days=7)
    assert set(client.purged_by[0]["statuses"]) >= {"Completed", "Failed", "Terminated"}
    assert "purged 3 ended runs" in caplog.text


def test_default_is_30_days(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RUN_RETENTION_DAYS", raising=False)
    client = FakeDurableClient()
    asyncio.run(purge_old_runs(client, now=T0))
    assert client.purged_by[0]["to"] == T0 - timedelta(days=30)


@pytest.mark.parametrize("value", ["thirty", "0", "-3", "1.5"])
def test_invalid_setting_names_it(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("RUN_RETENTION_DAYS", value)
    client = FakeDurableClient()
    with pytest.raises(ConfigurationError, match="RUN_RETENTION_DAYS"):
        asyncio.run(purge_old_runs(client, now=T0))
    assert client.purged_by == []


def test_the_daily_purge_also_drops_token_streams_past_their_own_retention(
    monkeypatch: pytest.MonkeyPatch, own_stream_store: Path
) -> None:
    monkeypatch.setenv("STREAM_RETENTION_HOURS", "24")
    store = SqliteStreamStore(own_stream_store)
    for step, age in (("old", timedelta(hours=25)), ("new", timedelta(hours=23))):
        store.append("a-running-run", [Chunk(step, "a1", 0, "writer", step, iso(T0 - age))])
    asyncio.run(purge_old_runs(FakeDurableClient(), now=T0))
    assert [chunk.text for chunk in store.read("a-running-run", {"old", "new"})] == ["new"]


def test_a_broken_stream_setting_does_not_stop_the_run_purge(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("STREAM_RETENTION_HOURS", "soon")
    client = FakeDurableClient()
    client.add_run("old-done", status="Completed", created=T0 - timedelta(days=40))
    with caplog.at_level(logging.ERROR, logger="api.retention"):
        assert asyncio.run(purge_old_runs(client, now=T0)) == 1
    assert "STREAM_RETENTION_HOURS" in caplog.text
