"""The fast timestamp parser gives dateutil's datetimes; install() patches only checked SDK versions, and
uninstall() puts every piece of SDK code back."""

import os
import subprocess
import sys
from collections import namedtuple
from typing import Any

import pytest
from azure.durable_functions.models.DurableOrchestrationContext import DurableOrchestrationContext
from dateutil.parser import parse as dateutil_parse

import durable_speedups
from durable_speedups import executor_types, replay_safe_ids, sdk_gate

HISTORY_MODULE = "azure.durable_functions.models.history.HistoryEvent"
STAMPS = [
    "2024-05-01T12:00:00.1234567Z",  # what the extension writes
    "2024-05-01T12:00:00.9999999Z",  # truncated, never rounded up
    "2024-05-01T12:00:00.120Z",
    "2024-05-01T12:00:00Z",
    "2024-05-01T12:00:00+00:00",
    "2024-05-01T12:00:00.5+00:00",
    "2024-05-01T12:00:00.250-05:00",
    "2024-05-01T12:00:00.1234567",
    "2024-05-01T12:00:07.776317066 UTC",  # a zone name after the fraction: aware, as dateutil says
    "2024-05-01T12:00:07.776317066 +01:00",
    "2024-05-01T12:00:00.250+01:00",
]
# Run in a process whose local zone is UTC (as on Azure), where dateutil answers tzlocal() for Z.
_COMPARE_IN_UTC = """
import sys
from dateutil.parser import parse
import durable_speedups
for stamp in sys.argv[1:]:
    fast, slow = durable_speedups.parse_timestamp(stamp), parse(stamp)
    print(stamp, fast == slow, fast.isoformat() == slow.isoformat(), repr(fast.tzinfo) == repr(slow.tzinfo))
"""


@pytest.mark.parametrize("stamp", STAMPS)
def test_same_datetime_as_dateutil(stamp: str) -> None:
    fast, slow = durable_speedups.parse_timestamp(stamp), dateutil_parse(stamp)
    assert fast == slow
    assert fast.utcoffset() == slow.utcoffset()
    assert fast.isoformat() == slow.isoformat()
    assert repr(fast.tzinfo) == repr(slow.tzinfo) and str(fast.tzinfo) == str(slow.tzinfo)


def test_same_tzinfo_as_dateutil_when_the_local_zone_is_utc() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _COMPARE_IN_UTC, *STAMPS],
        env={**os.environ, "TZ": "UTC"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert len(lines) == len(STAMPS)
    assert all(line.endswith("True True True") for line in lines), result.stdout


def test_install_patches_the_sdk_once(monkeypatch: pytest.MonkeyPatch) -> None:
    module = sys.modules.get(HISTORY_MODULE) or __import__(HISTORY_MODULE, fromlist=["dt_parse"])
    monkeypatch.setattr(module, "dt_parse", dateutil_parse)
    monkeypatch.setitem(durable_speedups._state, "installed", False)
    assert durable_speedups.install() and durable_speedups.install()
    assert module.dt_parse is durable_speedups.parse_timestamp


def test_unknown_sdk_version_is_left_alone(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    module = sys.modules.get(HISTORY_MODULE) or __import__(HISTORY_MODULE, fromlist=["dt_parse"])
    monkeypatch.setattr(module, "dt_parse", dateutil_parse)
    monkeypatch.setitem(durable_speedups._state, "installed", False)
    monkeypatch.setattr(sdk_gate, "_warned", set())
    monkeypatch.setattr(sdk_gate, "sdk_version", lambda: "9.9.9")
    assert not durable_speedups.install()
    assert not durable_speedups.install()
    assert module.dt_parse is dateutil_parse
    assert sum("9.9.9" in record.message for record in caplog.records) == 1


def patched(history: Any, executor: Any) -> tuple[bool, bool, bool]:
    """Which of the three SDK patches are in place."""
    return (
        history.dt_parse is durable_speedups.parse_timestamp,
        executor.namedtuple is executor_types.cached_namedtuple,
        DurableOrchestrationContext.new_uuid is replay_safe_ids.new_uuid,
    )


def test_uninstall_restores_the_sdk_code_and_install_patches_again(monkeypatch: pytest.MonkeyPatch) -> None:
    history = sys.modules.get(HISTORY_MODULE) or __import__(HISTORY_MODULE, fromlist=["dt_parse"])
    executor = sys.modules[executor_types.EXECUTOR_MODULE]
    monkeypatch.setattr(history, "dt_parse", dateutil_parse)
    monkeypatch.setitem(durable_speedups._state, "installed", False)
    durable_speedups.install()
    durable_speedups.uninstall()
    durable_speedups.uninstall()
    assert patched(history, executor) == (False, False, False)
    assert history.dt_parse is dateutil_parse and executor.namedtuple is namedtuple
    assert durable_speedups.install()
    assert patched(history, executor) == (True, True, True)
