"""The SDK patches change nothing the app or the host can see: same orchestrator output, same times."""

import collections
import importlib

import azure.durable_functions as df
import pytest
from azure.durable_functions.models.DurableOrchestrationStatus import DurableOrchestrationStatus
from azure.durable_functions.models.history import HistoryEventType
from dateutil.parser import parse as dateutil_parse

from devhost import sdk_patches
from devhost.episode import build_payload, run_orchestrator
from devhost.history import event, utc_now


def _two_steps(context: df.DurableOrchestrationContext):  # type: ignore[no-untyped-def]
    first = yield context.call_activity("step", context.get_input())
    context.set_custom_status({"first": first})
    second = yield context.task_all(
        [context.call_activity("step", first), context.create_timer(context.current_utc_datetime)]
    )
    return second


def _payload() -> str:
    now = utc_now()
    history = [
        event(HistoryEventType.ORCHESTRATOR_STARTED, now),
        event(HistoryEventType.EXECUTION_STARTED, now, Name="two_steps", Version="", Input='"x"'),
        event(HistoryEventType.TASK_SCHEDULED, now, 0, Name="step", Version="", Input='"x"'),
        event(HistoryEventType.ORCHESTRATOR_COMPLETED, now),
        event(HistoryEventType.ORCHESTRATOR_STARTED, now),
        event(HistoryEventType.TASK_COMPLETED, now, TaskScheduledId=0, Result='"y"'),
    ]
    return build_payload("instance", None, '"x"', [], history)


def test_orchestrator_output_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    executor_module = importlib.import_module(sdk_patches.EXECUTOR_MODULE)
    handler = df.Orchestrator.create(_two_steps)
    payload = _payload()
    monkeypatch.setattr(executor_module, "namedtuple", collections.namedtuple)
    original = [run_orchestrator(handler, payload) for _ in range(2)]
    assert sdk_patches.install()
    patched = [run_orchestrator(handler, payload) for _ in range(2)]
    assert patched == original
    assert patched[0].actions and patched[0].custom_status == {"first": "y"}


@pytest.mark.parametrize(
    "text",
    ["2026-11-25T11:25:03Z", "2026-11-25T11:25:03.1234567Z", "2026-11-25T11:25:03+02:00", "2026-11-25 11:25"],
    ids=["utc", "seven-digit-fraction", "offset", "naive"],
)
def test_status_times_parse_exactly_as_dateutil(text: str) -> None:
    assert sdk_patches.install()
    status = DurableOrchestrationStatus.from_json(
        {
            "name": "x",
            "instanceId": "i",
            "createdTime": text,
            "lastUpdatedTime": text,
            "runtimeStatus": "Running",
        }
    )
    expected = dateutil_parse(text)
    assert (status.created_time, status.last_updated_time) == (expected, expected)
    assert status.created_time.tzinfo == expected.tzinfo
