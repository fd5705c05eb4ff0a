"""The status API's history has exactly the keys the Durable extension sends, event type by event type.

DurableClient.GetDurableOrchestrationStatusAsync (azure-functions-durable-extension, v2.10+) is the
reference: see devhost/status.py. The app must not be able to read a field locally that Azure leaves out.
"""

import json
from typing import Any

from devhost.status import history_events
from tests.devhost.engine.engine_support import finished

T = "2024-05-01T12:00:00.0000000Z"


def keys(events: list[dict[str, Any]]) -> list[tuple[str, set[str]]]:
    return [(e["EventType"], set(e) - {"EventType"}) for e in events]


def history(
    engine: Any, instance_id: str, output: bool = True, show_input: bool = True
) -> list[dict[str, Any]]:
    status = engine.get_status(
        instance_id, show_history=True, show_history_output=output, show_input=show_input
    )
    return status["historyEvents"]


def test_activity_event_and_completion(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("steps_v1", None, '"go"')
        await engine.wait_idle(5)
        await engine.raise_event(instance_id, "Next", '{"ok": true}')
        await finished(engine, instance_id)
        return history(engine, instance_id), history(engine, instance_id, output=False)

    shown, without_output = run_engine(scenario)
    completed = {"Timestamp", "ScheduledTime", "FunctionName", "Input", "Result"}
    assert keys(shown) == [
        ("ExecutionStarted", {"Timestamp", "FunctionName", "Input"}),
        ("TaskCompleted", completed),
        ("EventRaised", {"Timestamp", "Name", "Input"}),
        ("TaskCompleted", completed),
        ("ExecutionCompleted", {"Timestamp", "OrchestrationStatus", "Result"}),
    ]
    started, first, raised, _, ended = shown
    assert (started["FunctionName"], started["Input"]) == ("steps_v1", '"go"')
    # Activity inputs are not stored (storeInputsInOrchestrationHistory is off); results are parsed.
    assert (first["FunctionName"], first["Input"], first["Result"]) == ("say_hello", None, "Hello one")
    assert (raised["Name"], raised["Input"]) == ("Next", '{"ok": true}')
    assert (ended["OrchestrationStatus"], ended["Result"]) == ("Completed", "v1")
    assert [k for k in keys(without_output)] == [(kind, fields - {"Result"}) for kind, fields in keys(shown)]


def test_timer_created_and_fired_are_both_shown(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("approval_or_timeout", None, "0.2")
        await finished(engine, instance_id)
        return history(engine, instance_id)

    shown = run_engine(scenario)
    assert keys(shown) == [
        ("ExecutionStarted", {"Timestamp", "FunctionName", "Input"}),
        ("TimerCreated", {"Timestamp", "FireAt"}),
        ("TimerFired", {"Timestamp", "FireAt"}),
        ("ExecutionCompleted", {"Timestamp", "OrchestrationStatus", "Result"}),
    ]
    assert shown[1]["FireAt"] == shown[2]["FireAt"]


def test_termination_keeps_its_reason(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("approval_or_timeout", None, "3600")
        await engine.wait_idle(5)
        await engine.terminate(instance_id, "no longer needed")
        await finished(engine, instance_id)
        return history(engine, instance_id), history(engine, instance_id, show_input=False)

    shown, without_input = run_engine(scenario)
    # As DTFx records it: the termination, then ExecutionCompleted (Terminated, Result = the reason).
    assert keys(shown) == [
        ("ExecutionStarted", {"Timestamp", "FunctionName", "Input"}),
        ("TimerCreated", {"Timestamp", "FireAt"}),
        ("ExecutionTerminated", {"Timestamp", "Input"}),
        ("ExecutionCompleted", {"Timestamp", "OrchestrationStatus", "Result"}),
    ]
    assert shown[2]["Input"] == "no longer needed"
    assert (shown[3]["OrchestrationStatus"], shown[3]["Result"]) == ("Terminated", "no longer needed")
    assert [k for k in keys(without_input)] == [(kind, fields - {"Input"}) for kind, fields in keys(shown)]


def test_failed_activity_keeps_reason_and_details(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("activity_failure_caught", None, None)
        await finished(engine, instance_id)
        return history(engine, instance_id)

    failed = [e for e in run_engine(scenario) if e["EventType"] == "TaskFailed"]
    assert len(failed) == 1
    assert set(failed[0]) == {
        "EventType", "Timestamp", "ScheduledTime", "FunctionName", "Input", "Reason", "Details",
    }  # fmt: skip
    assert failed[0]["FunctionName"] == "always_fails"


def test_sub_orchestration_completions_fold_their_creation(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("parent_of_children", "parent-shape", None)
        await finished(engine, instance_id)
        return history(engine, instance_id)

    shown = run_engine(scenario)
    children = [e for e in shown if e["EventType"].startswith("SubOrchestrationInstance")]
    assert {e["EventType"] for e in children} >= {
        "SubOrchestrationInstanceCompleted",
        "SubOrchestrationInstanceFailed",
    }
    for child in children:
        assert {"ScheduledTime", "FunctionName", "Input"} <= set(child)
        assert not {"TaskScheduledId", "EventId", "IsPlayed", "Version", "InstanceId"} & set(child)
        assert child["Input"] is None


def stored(kind: int, event_id: int = -1, **fields: Any) -> str:
    return json.dumps({"EventType": kind, "EventId": event_id, "IsPlayed": True, "Timestamp": T, **fields})


def test_a_pending_step_is_shown_unfolded_without_its_version_or_input() -> None:
    events = [
        stored(12),
        stored(0, Name="o", Version="", Input='"x"', OrchestrationInstance={"InstanceId": "i"}, Tags=None),
        stored(4, 0, Name="run_agent", Version="", Input='{"prompt": "secret"}'),
        stored(7, 1, Name="child", Version="", InstanceId="c1", Input="{}"),
        stored(13),
    ]
    assert history_events(events, show_output=True) == [
        {"EventType": "ExecutionStarted", "Timestamp": T, "Input": '"x"', "FunctionName": "o"},
        {"EventType": "TaskScheduled", "Timestamp": T, "Name": "run_agent", "Input": None},
        {
            "EventType": "SubOrchestrationInstanceCreated",
            "Timestamp": T,
            "Name": "child",
            "InstanceId": "c1",
            "Input": None,
        },
    ]
    assert history_events(events, show_output=True, show_input=False)[1] == {
        "EventType": "TaskScheduled",
        "Timestamp": T,
        "Name": "run_agent",
    }


def test_results_are_parsed_as_the_extension_parses_them() -> None:
    events = [
        stored(4, 0, Name="a", Version=""),
        stored(5, TaskScheduledId=0, Result='{"n": 1}'),
        stored(4, 1, Name="a", Version=""),
        stored(5, TaskScheduledId=1, Result="not json"),
        stored(1, OrchestrationStatus=1, Result=" "),
    ]
    shown = history_events(events, show_output=True)
    assert [e.get("Result") for e in shown] == [{"n": 1}, "not json", ""]
    assert all("Result" not in e for e in history_events(events, show_output=False))
