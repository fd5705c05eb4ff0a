"""Recorded runs replay to the same decisions; a changed workflow is caught."""

from collections.abc import Callable
from typing import Any

import pytest

from orchestrators.approval import approval
from orchestrators.chain import chain
from orchestrators.conversation_entity import conversation
from orchestrators.critic import critic
from orchestrators.fanout import fanout
from orchestrators.retry import Steps, call_agent
from orchestrators.routing import routing
from orchestrators.session import session
from orchestrators.single import single
from orchestrators.tools import tools
from tests.orchestrators.harness import FakeActivities, OrchestrationRun, Recording, replay, script

TOOL_THEN_ANSWER = script(
    {"text": "", "tool_calls": [{"call_id": "c1", "name": "calculator", "arguments": {"expression": "1+1"}}]},
    {"text": "2"},
)
WORKFLOWS: list[tuple[Callable[..., Any], dict[str, Any]]] = [
    (single, {"question": "q"}),
    (chain, {"topic": "t"}),
    (fanout, {"topic": "t"}),
    (routing, {"question": "q"}),
    (critic, {"topic": "t", "max_rounds": 2}),
    (approval, {"topic": "t", "timeout_s": 5}),
    (tools, {"question": "1+1"}),
    (session, {"session_id": "s", "message": "hi", "max_messages": 40}),
]


def record(orchestrator: Callable[..., Any], given: dict[str, Any]) -> Recording:
    run = OrchestrationRun(orchestrator, given, entities={"conversation": conversation})
    run.start()
    run.drive(FakeActivities(agents={"tool_agent": TOOL_THEN_ANSWER}))
    assert run.last.done, run.last.error
    return Recording.from_json(run.recording().to_json())


@pytest.mark.parametrize(("orchestrator", "given"), WORKFLOWS, ids=[w.__name__ for w, _ in WORKFLOWS])
def test_a_recorded_run_replays_to_the_same_actions_output_and_progress(
    orchestrator: Callable[..., Any], given: dict[str, Any]
) -> None:
    recording = record(orchestrator, given)

    replayed = replay(orchestrator, recording)

    assert replayed.error is None
    assert replayed.actions == recording.state["actions"]
    assert (replayed.is_done, replayed.output) == (True, recording.state["output"])
    assert replayed.custom_status == recording.state["customStatus"]


def test_a_workflow_that_changed_its_steps_no_longer_matches_the_recording() -> None:
    recording = record(chain, {"topic": "t"})

    def chain_v2(context: Any) -> Steps:  # the writer step was replaced: not replay-compatible
        research = yield from call_agent(context, "researcher", "Topic: t")
        return (yield from call_agent(context, "editor", research["text"]))

    replayed = replay(chain_v2, recording)

    inputs = [a.get("input") for a in replayed.actions]
    assert inputs != [a.get("input") for a in recording.state["actions"]]
