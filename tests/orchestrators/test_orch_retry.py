"""The agent retry policy: transient failures wait on durable timers with backoff; others fail at once."""

from datetime import timedelta

import pytest

from orchestrators.fanout import fanout
from orchestrators.progress import LAST_TEXT_LIMIT, short
from orchestrators.retry import BACKOFF_S, is_transient, retry_after_in
from orchestrators.single import single
from tests.orchestrators.harness import (
    FakeActivities,
    OrchestrationRun,
    PermanentModelError,
    TransientModelError,
    agent_result,
    script,
)

REASON = "Activity function 'run_agent' failed: {}: model said no"


def test_transient_failures_are_retried_after_growing_durable_timers() -> None:
    run = OrchestrationRun(single, {"question": "q"})
    call = first = run.start().scheduled[0]

    for delay in BACKOFF_S:
        waiting = run.fail(call.id, "TransientModelError", "429 Too Many Requests")
        [timer] = waiting.scheduled
        assert timer.fire_at == waiting.started_at + timedelta(seconds=delay)
        [call] = run.fire(timer.id).scheduled
        assert call.input == first.input  # the same step key: readers drop the earlier attempt

    last = run.complete(call.id, agent_result("assistant", "finally"))
    assert last.output == {"answer": "finally", "agent": "assistant"}


@pytest.mark.parametrize(("asked", "waited"), [(45, 45), (2.5, BACKOFF_S[0])])
def test_the_durable_retry_waits_as_long_as_the_service_asked_if_that_is_longer(
    asked: float, waited: float
) -> None:
    run = OrchestrationRun(single, {"question": "q"})
    call = run.start().scheduled[0]

    waiting = run.fail(call.id, "TransientModelError", f"429 Too Many Requests [retry after {asked:g} s]")

    [timer] = waiting.scheduled
    assert timer.fire_at == waiting.started_at + timedelta(seconds=waited)


def test_a_parallel_call_waits_as_long_as_the_service_asked() -> None:
    run = OrchestrationRun(fanout, {"topic": "ai"})
    _, tech, _ = run.start().scheduled

    waiting = run.fail(tech.id, "TransientModelError", "429 [retry after 30 s]")

    [timer] = waiting.scheduled
    assert timer.fire_at == waiting.started_at + timedelta(seconds=30)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        (REASON.format("TransientModelError") + " [retry after 45 s]", 45.0),
        (
            REASON.format("Result: Failure\nException: TransientModelError")
            + " 503 [retry after 0.5 s]\nStack: x",
            0.5,
        ),
        # a server's own words are not the activity's: only the end of a line counts
        (REASON.format("TransientModelError") + " server said [retry after 999 s] please", None),
        (REASON.format("TransientModelError"), None),
    ],
)
def test_the_retry_after_is_read_from_the_end_of_the_failure_text(text: str, seconds: float | None) -> None:
    assert retry_after_in(Exception(text)) == seconds


def test_transient_failures_past_the_budget_fail_the_run_naming_the_agent() -> None:
    run = OrchestrationRun(single, {"question": "q"})
    run.start()

    last = run.drive(FakeActivities(agents={"assistant": script(TransientModelError("503 from the model"))}))

    assert f"agent 'assistant' failed after {len(BACKOFF_S) + 1} attempt(s)" in last.error
    assert "TransientModelError: 503 from the model" in last.error


@pytest.mark.parametrize("error", [PermanentModelError("content filtered"), KeyError("surprise")])
def test_permanent_and_unknown_failures_fail_at_once(error: Exception) -> None:
    run = OrchestrationRun(single, {"question": "q"})
    call = run.start().scheduled[0]

    last = run.fail(
        call.id, type(error).__name__, str(error), details="Traceback ... TransientModelError ..."
    )

    assert last.scheduled == []
    reason = f"Activity function 'run_agent' failed:  {type(error).__name__}"  # the extension's two spaces
    assert f"agent 'assistant' failed after 1 attempt(s): {reason}" in last.error
    assert "Traceback" not in last.error


def test_parallel_calls_retry_only_the_transient_failure() -> None:
    tech = script(TransientModelError("429"), {"text": "tech view"})
    fake = FakeActivities(agents={"tech_analyst": tech})
    run = OrchestrationRun(fanout, {"topic": "ai"})
    run.start()

    last = run.drive(fake)

    assert fake.agents_called().count("tech_analyst") == 2
    assert fake.agents_called().count("market_analyst") == 1
    assert fake.agents_called().count("risk_analyst") == 1
    assert last.output["opinions"]["tech_analyst"] == "tech view"
    assert last.output["opinions"]["market_analyst"] == "market_analyst on Topic: ai"


def test_parallel_calls_waiting_when_one_fails_are_kept_not_rescheduled() -> None:
    run = OrchestrationRun(fanout, {"topic": "ai"})
    market, tech, risk = run.start().scheduled

    waiting = run.fail(tech.id, "TransientModelError", "429")  # market and risk still running
    [timer] = waiting.scheduled
    run.complete(market.id, agent_result("market_analyst", "m"))
    [retry] = run.fire(timer.id).scheduled
    assert retry.input["agent"] == "tech_analyst"
    run.complete(risk.id, agent_result("risk_analyst", "r"))
    [aggregator] = run.complete(retry.id, agent_result("tech_analyst", "t")).scheduled

    assert aggregator.input["agent"] == "aggregator"


def test_a_permanent_failure_in_parallel_fails_the_run_at_once() -> None:
    run = OrchestrationRun(fanout, {"topic": "ai"})
    market, _, _ = run.start().scheduled

    last = run.fail(market.id, "PermanentModelError", "bad agent")

    assert "agent 'market_analyst' failed after 1 attempt(s)" in last.error


@pytest.mark.parametrize(
    ("text", "transient"),
    [
        (REASON.format("TransientModelError") + " \n details", True),
        (REASON.format("agents.errors.TransientModelError"), True),
        ("TransientModelError: 429", True),
        (
            REASON.format("Result: Failure\nException: TransientModelError") + "\nStack: x",
            True,
        ),
        (
            REASON.format("Result: Failure\nException: PermanentModelError") + "\nStack: x",
            False,
        ),
        (REASON.format("PermanentModelError") + " \n caused by TransientModelError: 429", False),
        (REASON.format("ValueError"), False),
        ("something else entirely", False),
    ],
)
def test_transient_is_decided_by_the_failed_activity_class(text: str, transient: bool) -> None:
    assert is_transient(Exception(text)) is transient


def test_progress_text_is_trimmed_to_the_limit() -> None:
    assert short("x" * 500).endswith("...") and len(short("x" * 500)) == LAST_TEXT_LIMIT
    assert short("short") == "short"
    assert short(None) == ""
