"""tools: each tool call is its own retried activity; results go back to the agent; bounded loop."""

from collections import Counter

from azure.durable_functions.models.actions import ActionType
from azure.durable_functions.models.history import HistoryEventType

from orchestrators.tools import tools
from tests.orchestrators.harness import FakeActivities, OrchestrationRun, script

TWO_CALLS = {
    "text": "",
    "tool_calls": [
        {"call_id": "c1", "name": "calculator", "arguments": {"expression": "2+2"}},
        {"call_id": "c2", "name": "lookup_knowledge", "arguments": {"query": "durable"}},
    ],
}
ANSWER = {"text": "2+2 is 4, and durable means replayed."}


def test_tool_calls_run_in_parallel_with_idempotency_keys_and_feed_back() -> None:
    run = OrchestrationRun(tools, {"question": "2+2? and what is durable?"}, instance_id="tl-1")
    fake = FakeActivities(agents={"tool_agent": script(TWO_CALLS, ANSWER)})
    agent = run.start().scheduled[0]

    calling = run.complete(agent.id, fake("run_agent", agent.input))

    [parallel] = calling.new_actions
    assert parallel["actionType"] == ActionType.WHEN_ALL and len(parallel["compoundActions"]) == 2
    assert [(w.name, w.input) for w in calling.scheduled] == [
        (
            "run_tool",
            {
                "tool": "calculator",
                "call_id": "c1",
                "arguments": {"expression": "2+2"},
                "idempotency_key": "tl-1:c1",
            },
        ),
        (
            "run_tool",
            {
                "tool": "lookup_knowledge",
                "call_id": "c2",
                "arguments": {"query": "durable"},
                "idempotency_key": "tl-1:c2",
            },
        ),
    ]
    assert calling.custom_status["step"] == "calling_tools"

    last = run.drive(fake)

    second_turn = fake.inputs("run_agent")[1]["messages"]
    assert second_turn[1] == {"role": "assistant", "text": "", "tool_calls": TWO_CALLS["tool_calls"]}
    assert second_turn[2:] == [
        {
            "role": "tool",
            "call_id": "c1",
            "name": "calculator",
            "result": "calculator({'expression': '2+2'})",
        },
        {
            "role": "tool",
            "call_id": "c2",
            "name": "lookup_knowledge",
            "result": "lookup_knowledge({'query': 'durable'})",
        },
    ]
    assert last.output["answer"] == ANSWER["text"]
    assert last.output["iterations"] == 2
    assert [(c["call_id"], c["name"]) for c in last.output["tool_calls"]] == [
        ("c1", "calculator"),
        ("c2", "lookup_knowledge"),
    ]
    assert run.steps == ["thinking", "calling_tools", "thinking", "done"]
    assert [(s["index"], s["of"]) for s in run.statuses][-1] == (3, 3)  # the steps taken, not the limit


def test_a_finished_tool_call_is_never_scheduled_again_on_replay() -> None:
    run = OrchestrationRun(tools, {"question": "q"})
    run.start()

    run.drive(FakeActivities(agents={"tool_agent": script(TWO_CALLS, ANSWER)}))

    scheduled = Counter(
        e["Input"]
        for e in run.history
        if e["EventType"] == HistoryEventType.TASK_SCHEDULED and e["Name"] == "run_tool"
    )
    assert len(run.episodes) > 3  # the orchestrator was replayed after the tools finished
    assert sorted(scheduled.values()) == [1, 1]


def test_a_failing_tool_is_retried_durably_with_the_same_key() -> None:
    attempts: list[str] = []

    def flaky_calculator(payload: dict) -> str:
        attempts.append(payload["idempotency_key"])
        if len(attempts) == 1:
            raise TimeoutError("calculator backend timed out")
        return "4"

    one_call = {"text": "", "tool_calls": [TWO_CALLS["tool_calls"][0]]}
    fake = FakeActivities(
        agents={"tool_agent": script(one_call, ANSWER)}, tools={"calculator": flaky_calculator}
    )
    run = OrchestrationRun(tools, {"question": "2+2"}, instance_id="tl-2")
    run.start()

    last = run.drive(fake)

    assert attempts == ["tl-2:c1", "tl-2:c1"]
    assert last.output["tool_calls"][0]["result"] == "4"


def test_the_loop_stops_at_max_iterations_and_says_so() -> None:
    always_tools = script({"text": "", "tool_calls": [TWO_CALLS["tool_calls"][0]]})
    fake = FakeActivities(agents={"tool_agent": always_tools})
    run = OrchestrationRun(tools, {"question": "loop", "max_iterations": 2})
    run.start()

    last = run.drive(fake)

    assert fake.agents_called() == ["tool_agent", "tool_agent"]
    assert len(fake.inputs("run_tool")) == 2
    assert last.output["iterations"] == 2
    assert "max_iterations=2" in last.output["answer"]
    assert [(s["step"], s["index"]) for s in run.statuses][-1] == ("done", 4)
