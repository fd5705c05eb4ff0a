"""Each agent call names its token stream: the run, and a step key that only its retries share."""

from orchestrators.chain import chain
from orchestrators.fanout import fanout
from orchestrators.retry import STEP_KEY_CHARS
from tests.orchestrators.harness import FakeActivities, OrchestrationRun


def step_keys(orchestrator: object, given: dict[str, object]) -> list[str]:
    fake = FakeActivities()
    run = OrchestrationRun(orchestrator, given)
    run.start()
    run.drive(fake)
    return [payload["step"] for payload in fake.inputs("run_agent")]


def test_every_agent_call_of_a_run_gets_its_own_step_key() -> None:
    for orchestrator, given in ((chain, {"topic": "tides"}), (fanout, {"topic": "tides"})):
        keys = step_keys(orchestrator, given)
        assert len(keys) == len(set(keys)) > 1
        assert all(len(key) == STEP_KEY_CHARS and int(key, 16) >= 0 for key in keys)


def test_step_keys_are_the_same_on_every_replay_of_the_run() -> None:
    assert step_keys(chain, {"topic": "tides"}) == step_keys(chain, {"topic": "tides"})
