"""readme_digest, driven step by step (the app copy's tests/orchestrators/test_orch_readme_digest.py)."""

from orchestrators.readme_digest import readme_digest

from tests.orchestrators.harness import OrchestrationRun, agent_result


def test_readme_digest_asks_the_assistant_once_and_returns_the_digest() -> None:
    run = OrchestrationRun(readme_digest, {"text": "Tides follow the moon.", "sentences": 1})

    first = run.start()
    assert [w.input["agent"] for w in first.scheduled] == ["assistant"]
    assert "Tides follow the moon." in first.scheduled[0].input["prompt"]

    last = run.complete(first.scheduled[0].id, agent_result("assistant", "The moon moves the sea."))
    assert last.done
    assert last.output == {"digest": "The moon moves the sea.", "agent": "assistant"}
    assert run.steps == ["condensing", "done"]
