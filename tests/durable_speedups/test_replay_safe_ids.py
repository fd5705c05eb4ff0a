"""`new_uuid` with its namespace derived once returns exactly the SDK's ids, call after call."""

import json

import pytest
from azure.durable_functions.models.DurableOrchestrationContext import DurableOrchestrationContext

from durable_speedups import replay_safe_ids

SDK_NEW_UUID = replay_safe_ids._original.get("new_uuid", DurableOrchestrationContext.new_uuid)


def context(instance_id: str, started: str) -> DurableOrchestrationContext:
    history = [
        {"EventType": 12, "EventId": -1, "IsPlayed": False, "Timestamp": started},
        {
            "EventType": 0,
            "EventId": -1,
            "IsPlayed": False,
            "Timestamp": started,
            "Name": "chain",
            "Version": "",
            "Input": None,
            "OrchestrationInstance": {"InstanceId": instance_id, "ExecutionId": "x1"},
        },
    ]
    payload = {
        "history": history,
        "input": None,
        "instanceId": instance_id,
        "isReplaying": False,
        "parentInstanceId": None,
    }
    return DurableOrchestrationContext.from_json(json.dumps(payload))


@pytest.mark.parametrize(
    ("instance_id", "started"),
    [("5f1c0e0a9b", "2026-12-07T06:30:00.1234567Z"), ("run-two", "2024-01-31T23:59:59Z")],
)
def test_the_ids_are_the_sdks(instance_id: str, started: str) -> None:
    ours, sdks = context(instance_id, started), context(instance_id, started)
    assert [replay_safe_ids.new_uuid(ours) for _ in range(5)] == [SDK_NEW_UUID(sdks) for _ in range(5)]
