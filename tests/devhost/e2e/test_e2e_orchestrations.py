"""The conformance orchestrations (durable_bp.py), driven end to end over HTTP in a devhost process."""

from typing import Any

import pytest

from devhost.testing import DevHost

COMPLETED_OUTPUTS: list[tuple[str, Any, Any]] = [
    ("hello_sequence", "Ann", ["Hello Ann", "Hello Hello Ann", "HELLO HELLO ANN"]),
    ("fan_out_fan_in", 10, 285),
    (
        "retry_flaky",
        {"key": "orch-flaky", "fail_times": 2},
        {"result": "orch-flaky ok after 3 attempts", "plain": 9},
    ),
    ("countdown", {"n": 3, "seen": []}, [3, 2, 1]),
    ("custom_objects", None, {"x": 2, "y": 3}),
    ("replay_safe_values", None, {"id_stable": True, "time_stable": True, "second_differs": True}),
    ("report_version", None, "1.0"),
    ("approval_or_timeout", 0, {"verdict": "timed out"}),
]


@pytest.mark.parametrize(
    ("orchestrator", "value", "expected"), COMPLETED_OUTPUTS, ids=[c[0] for c in COMPLETED_OUTPUTS]
)
def test_completes_with_expected_output(host: DevHost, orchestrator: str, value: Any, expected: Any) -> None:
    status = host.wait(host.start(orchestrator, value))
    assert (status["runtimeStatus"], status["output"]) == ("Completed", expected)


def test_caught_failures_are_values(host: DevHost) -> None:
    caught = host.wait(host.start("activity_failure_caught"))["output"]["caught"]
    assert "boom" in caught
    exhausted = host.wait(host.start("retry_exhausted"))["output"]["caught"]
    assert "still broken" in exhausted


def test_uncaught_failures_fail_the_run(host: DevHost) -> None:
    failed = host.wait(host.start("activity_failure_uncaught"))
    assert failed["runtimeStatus"] == "Failed" and "unhandled boom" in failed["output"]
    bug = host.wait(host.start("orchestrator_bug"))
    assert bug["runtimeStatus"] == "Failed" and "orchestrator bug" in bug["output"]
    assert bug["customStatus"] == "about to fail"


def test_sub_orchestrations(host: DevHost) -> None:
    output = host.wait(host.start("parent_of_children", None, "parent-1"))["output"]
    assert output["generated"] == ["Hello Ann", "Hello Hello Ann", "HELLO HELLO ANN"]
    assert output["named"] == 14
    assert output["retried"] == "parent-1-child ok after 2 attempts"
    assert "parent-1-x" in output["failure"]
    assert host.status("parent-1-fan")["output"] == 14


def test_entities_called_and_signalled(host: DevHost) -> None:
    output = host.wait(host.start("entity_flow", "orch-entity"))["output"]
    assert output["total"] == 15 and output["items"] == ["apple", "pear"]
    assert "the counter refuses" in output["error"]


def test_external_events_and_approval(host: DevHost) -> None:
    approval = host.start("approval_or_timeout", 60)
    host.poll(
        f"/runtime/webhooks/durabletask/instances/{approval}",
        lambda r: r.json()["runtimeStatus"] == "Running",
    )
    assert host.raise_event(approval, "Approval", "yes").status_code == 202
    assert host.wait(approval)["output"] == {"verdict": "yes"}
    early = host.start("early_event")
    host.raise_event(early, "Go", 42)  # may arrive before the orchestrator waits for it
    assert host.wait(early)["output"] == {"greeting": "Hello early", "go": 42}


def test_events_across_continue_as_new(host: DevHost) -> None:
    instance_id = host.start("event_accumulator", {"values": [], "expected": 3})
    for value in (1, 2, 3):
        host.poll(
            f"/runtime/webhooks/durabletask/instances/{instance_id}",
            lambda r: r.json()["runtimeStatus"] in ("Running", "Completed"),
        )
        host.raise_event(instance_id, "add", value)
    assert host.wait(instance_id)["output"] == [1, 2, 3]


def test_custom_status_is_kept(host: DevHost) -> None:
    instance_id = host.start("custom_status_steps")
    host.poll(
        f"/runtime/webhooks/durabletask/instances/{instance_id}",
        lambda r: r.json().get("customStatus") == {"step": "waiting"},
    )
    host.raise_event(instance_id, "Continue")
    status = host.wait(instance_id)
    assert (status["output"], status["customStatus"]) == ("done", {"step": "waiting"})


def test_history_is_visible(host: DevHost) -> None:
    status = host.wait(host.start("hello_sequence", "Ann"), history=True)
    kinds = [event.get("EventType") for event in status["historyEvents"]]
    assert kinds[0] == "ExecutionStarted" and kinds[-1] == "ExecutionCompleted"
    assert kinds.count("TaskCompleted") == 3
