"""Every conformance orchestration runs to the output and status the real host would give."""

import json
import uuid
from typing import Any

import pytest

from tests.devhost.engine.engine_support import run_to_end


def flaky(fail_times: int) -> str:
    return json.dumps({"key": uuid.uuid4().hex, "fail_times": fail_times})


CASES: list[tuple[str, str | None, str, Any]] = [
    ("hello_sequence", '"Bob"', "Completed", ["Hello Bob", "Hello Hello Bob", "HELLO HELLO BOB"]),
    ("fan_out_fan_in", "100", "Completed", sum(i * i for i in range(100))),
    ("countdown", json.dumps({"n": 3, "seen": []}), "Completed", [3, 2, 1]),
    ("report_version", None, "Completed", "1.0"),
    (
        "replay_safe_values",
        None,
        "Completed",
        {"id_stable": True, "time_stable": True, "second_differs": True},
    ),
    ("custom_objects", None, "Completed", {"x": 2, "y": 3}),
    ("orchestrator_bug", None, "Failed", "Orchestrator function 'orchestrator_bug' failed: orchestrator bug"),
]


@pytest.mark.parametrize(("name", "input_text", "status", "output"), CASES, ids=[c[0] for c in CASES])
def test_orchestration_output(
    run_engine, name: str, input_text: str | None, status: str, output: Any
) -> None:
    result = run_engine(lambda engine: run_to_end(engine, name, input_text))
    assert (result["runtimeStatus"], result["output"]) == (status, output)


# An activity's failure reaches the orchestrator as the SDK words it: f"{Reason} \n {Details}", with
# the extension's Reason (the worker's message after "Exception:" in the host's RpcException, leading
# space kept) and Details (the serialized System.Exception around that RpcException), never "None".
FAILURES = [
    ("activity_failure_caught", "Completed", "", "ValueError: boom"),
    (
        "activity_failure_uncaught",
        "Failed",
        "Orchestrator function 'activity_failure_uncaught' failed: ",
        "ValueError: unhandled boom",
    ),
    ("retry_exhausted", "Completed", "", "ValueError: still broken"),
]


@pytest.mark.parametrize(("name", "status", "prefix", "error"), FAILURES, ids=[c[0] for c in FAILURES])
def test_activity_failures_carry_the_extensions_reason_and_details(
    run_engine, name: str, status: str, prefix: str, error: str
) -> None:
    result = run_engine(lambda engine: run_to_end(engine, name, None))
    message = result["output"] if status == "Failed" else result["output"]["caught"]
    reason, details = message.split(" \n ", 1)
    assert result["runtimeStatus"] == status
    assert reason == f"{prefix}Activity function 'always_fails' failed:  {error}"
    cause = json.loads(details)
    assert (cause["ClassName"], cause["Message"]) == ("System.Exception", f" {error}")
    assert cause["InnerException"]["Message"].startswith(f"Result: Failure\nException: {error}\nStack: ")


def test_retry_succeeds_on_third_attempt(run_engine) -> None:
    result = run_engine(lambda engine: run_to_end(engine, "retry_flaky", flaky(2)))
    assert result["runtimeStatus"] == "Completed"
    assert result["output"]["plain"] == 9
    assert result["output"]["result"].endswith("ok after 3 attempts")


def test_a_retried_call_that_succeeded_leaves_no_retry_state(run_engine) -> None:
    """The bookkeeping is rewritten with every episode: a finished retry kept in it (with its input)
    would make every later episode of a long run write more."""

    async def scenario(engine):
        status = await run_to_end(engine, "retry_flaky", flaky(2))
        return status, engine.store.load_instance(status["instanceId"])

    status, record = run_engine(scenario)
    assert status["runtimeStatus"] == "Completed"
    assert record.book.retries == {} and record.book.open == {}


def test_retry_exhausted_fails_with_last_attempt_error(run_engine) -> None:
    result = run_engine(lambda engine: run_to_end(engine, "retry_flaky", flaky(5)))
    assert result["runtimeStatus"] == "Failed"
    assert "attempt 3 of" in result["output"]


def test_explicit_version_reaches_the_orchestrator(run_engine) -> None:
    result = run_engine(lambda engine: run_to_end(engine, "report_version", None, version="2.0"))
    assert result["output"] == "2.0"


def test_sub_orchestrations(run_engine) -> None:
    async def scenario(engine):
        parent = await engine.start_new("parent_of_children", "parent-1", None)
        status = await run_to_end_of(engine, parent)
        return status, engine.get_status("parent-1-fan")

    async def run_to_end_of(engine, instance_id):
        return await engine.wait_for_instance(instance_id, 10)

    status, named_child = run_engine(scenario)
    output = status["output"]
    assert status["runtimeStatus"] == "Completed"
    assert output["generated"] == ["Hello Ann", "Hello Hello Ann", "HELLO HELLO ANN"]
    assert output["named"] == 14 and named_child["runtimeStatus"] == "Completed"
    assert output["retried"] == "parent-1-child ok after 2 attempts"
    assert output["failure"].startswith(
        "Orchestrator function 'failing_child' failed: Activity function 'flaky'"
    )


def test_entities_from_an_orchestration(run_engine) -> None:
    async def scenario(engine):
        status = await run_to_end(engine, "entity_flow", '"k1"')
        await engine.wait_idle(5)
        return status, engine.read_entity("counter", "k1"), engine.read_entity("CART", "k1")

    status, counter, cart = run_engine(scenario)
    assert status["output"] == {"total": 15, "items": ["apple", "pear"], "error": "the counter refuses"}
    assert json.loads(counter) == 15
    assert json.loads(cart) == ["apple", "pear"]


def test_history_layout(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("hello_sequence", None, '"Eve"')
        await engine.wait_for_instance(instance_id, 10)
        return engine.get_status(instance_id, show_history=True, show_history_output=True)

    status = run_engine(scenario)
    kinds = [e["EventType"] for e in status["historyEvents"]]
    assert kinds == [
        "ExecutionStarted",
        "TaskCompleted",
        "TaskCompleted",
        "TaskCompleted",
        "ExecutionCompleted",
    ]
    assert [e["FunctionName"] for e in status["historyEvents"][1:4]] == ["say_hello", "say_hello", "Shout"]
    assert status["historyEvents"][1]["Result"] == "Hello Eve"
    assert all(e["Timestamp"].endswith("Z") and len(e["Timestamp"]) == 28 for e in status["historyEvents"])


def test_steps_scheduled_together_keep_their_order_in_time(run_engine) -> None:
    """A fan-out's steps get increasing scheduled times, as DTFx stamps each event when it makes it."""

    async def scenario(engine):
        instance_id = await engine.start_new("fan_out_fan_in", None, "5")
        await engine.wait_for_instance(instance_id, 10)
        return engine.get_status(instance_id, show_history=True, show_history_output=True)

    status = run_engine(scenario)
    done = [e for e in status["historyEvents"] if e["EventType"] == "TaskCompleted"]
    by_schedule = sorted(done, key=lambda e: e["ScheduledTime"])
    assert len({e["ScheduledTime"] for e in done}) == 5
    assert [e["Result"] for e in by_schedule] == [0, 1, 4, 9, 16]  # square(0) .. square(4), in call order
