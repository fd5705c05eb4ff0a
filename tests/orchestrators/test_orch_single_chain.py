"""single and chain, driven episode by episode through the SDK."""

from orchestrators.chain import chain
from orchestrators.single import single
from tests.orchestrators.harness import FakeActivities, OrchestrationRun, agent_result
from tests.orchestrators.streams import STREAM


def test_single_asks_the_assistant_once_and_returns_its_answer() -> None:
    run = OrchestrationRun(single, {"question": "What is durable execution?"})

    first = run.start()
    assert [(w.name, w.input) for w in first.scheduled] == [
        ("run_agent", {"agent": "assistant", "prompt": "What is durable execution?", **STREAM})
    ]
    assert first.custom_status == {
        "step": "answering",
        "index": 1,
        "of": 1,
        "last": "What is durable execution?",
        "usage": {"input_tokens": 0, "output_tokens": 0},
    }

    last = run.complete(first.scheduled[0].id, agent_result("assistant", "It survives restarts."))
    assert last.done
    assert last.output == {"answer": "It survives restarts.", "agent": "assistant"}
    assert last.custom_status["usage"] == {"input_tokens": 3, "output_tokens": 3}
    assert run.steps == ["answering", "done"]


def test_chain_hands_each_step_the_previous_result() -> None:
    run = OrchestrationRun(chain, {"topic": "tides"})

    research = run.start().scheduled[0]
    assert research.input == {"agent": "researcher", "prompt": "Topic: tides", **STREAM}

    writing = run.complete(research.id, agent_result("researcher", "The moon pulls the sea."))
    writer = writing.scheduled[0]
    assert writer.input["agent"] == "writer"
    assert "tides" in writer.input["prompt"] and "The moon pulls the sea." in writer.input["prompt"]
    assert writing.custom_status["step"] == "writing"

    reviewing = run.complete(writer.id, agent_result("writer", "A draft about tides."))
    reviewer = reviewing.scheduled[0]
    assert reviewer.input["agent"] == "reviewer" and "A draft about tides." in reviewer.input["prompt"]

    last = run.complete(reviewer.id, agent_result("reviewer", "Clear and correct."))
    assert last.output == {
        "topic": "tides",
        "research": "The moon pulls the sea.",
        "draft": "A draft about tides.",
        "review": "Clear and correct.",
    }
    assert [(s["step"], s["index"], s["of"]) for s in run.statuses] == [
        ("researching", 1, 3),
        ("writing", 2, 3),
        ("reviewing", 3, 3),
        ("done", 3, 3),
    ]


def test_chain_runs_each_role_once_with_the_fake_agents() -> None:
    fake = FakeActivities()
    run = OrchestrationRun(chain, {"topic": "volcanoes"})
    run.start()

    last = run.drive(fake)

    assert fake.agents_called() == ["researcher", "writer", "reviewer"]
    assert {last.output[key].split(" on ")[0] for key in ("research", "draft", "review")} == {
        "researcher",
        "writer",
        "reviewer",
    }
