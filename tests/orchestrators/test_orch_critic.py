"""critic: the writer/critic loop stops on approval and at max_rounds."""

from orchestrators.critic import critic
from tests.orchestrators.harness import FakeActivities, OrchestrationRun, script

REJECT = {"text": "no", "value": {"approved": False, "feedback": "Add an example."}}
APPROVE = {"text": "yes", "value": {"approved": True, "feedback": "Good now."}}


def test_critic_revises_with_the_feedback_and_stops_when_approved() -> None:
    fake = FakeActivities(agents={"critic": script(REJECT, APPROVE)})
    run = OrchestrationRun(critic, {"topic": "rust", "max_rounds": 3})
    run.start()

    last = run.drive(fake)

    assert fake.agents_called() == ["writer", "critic", "writer", "critic"]
    revision_prompt = fake.inputs("run_agent")[2]["prompt"]
    assert "Add an example." in revision_prompt
    assert last.output == {
        "draft": "writer on Topic: rust",
        "approved": True,
        "rounds": 2,
        "feedback": ["Add an example.", "Good now."],
    }
    assert [(s["step"], s["index"], s["of"]) for s in run.statuses] == [
        ("drafting", 1, 6),
        ("critiquing", 2, 6),
        ("revising", 3, 6),
        ("critiquing", 4, 6),
        ("done", 4, 4),  # the steps it took: `of` is only the most it may take
    ]


def test_critic_gives_up_after_max_rounds_without_approval() -> None:
    fake = FakeActivities(agents={"critic": script(REJECT)})
    run = OrchestrationRun(critic, {"topic": "go", "max_rounds": 2})
    run.start()

    last = run.drive(fake)

    assert fake.agents_called() == ["writer", "critic", "writer", "critic"]
    assert last.output["approved"] is False
    assert last.output["rounds"] == 2
    assert last.output["feedback"] == ["Add an example.", "Add an example."]


def test_critic_approving_the_first_draft_takes_one_round() -> None:
    fake = FakeActivities()  # the default fake critic approves
    run = OrchestrationRun(critic, {"topic": "zig"})
    run.start()

    last = run.drive(fake)

    assert fake.agents_called() == ["writer", "critic"]
    assert (last.output["approved"], last.output["rounds"]) == (True, 1)


def test_critic_without_a_structured_verdict_fails_with_the_value() -> None:
    run = OrchestrationRun(critic, {"topic": "c"})
    run.start()

    last = run.drive(FakeActivities(agents={"critic": script({"text": "meh"})}))

    assert "agent 'critic' returned value=None" in last.error
