"""API tests start with no kept timelines, and never trust one across the fakes' frozen clocks.

The fakes reuse run ids for different runs and stamp every status with fixed 2024 times, so a
timeline kept from one fake read would look unchanged to the next; tests of that economy set
`SETTLE` back and move `updated` themselves.
"""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from api import run_timeline


@pytest.fixture(autouse=True)
def own_stream_store(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Token streams in the test's own SQLite file, never an Azure table the shell points at."""
    monkeypatch.setenv("STREAM_PATH", str(tmp_path / "streams.db"))
    monkeypatch.setenv("STREAM_TABLE_ENDPOINT", "")
    return tmp_path / "streams.db"


@pytest.fixture(autouse=True)
def fresh_timelines(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(run_timeline, "SETTLE", timedelta(days=365_000))
    run_timeline.forget_timelines()
    yield
    run_timeline.forget_timelines()
