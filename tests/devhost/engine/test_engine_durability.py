"""Restart from the state file, and non-determinism detection when the code changes between episodes."""

import asyncio
from pathlib import Path

import pytest

from devhost.discovery import LoadedApp
from tests.devhost.engine.engine_support import finished, make_engine, run_to_end


def test_new_engine_resumes_waiting_runs(conformance_app: LoadedApp, tmp_path: Path) -> None:
    state = tmp_path / "state.db"

    async def first_life() -> tuple[str, str]:
        engine = make_engine(conformance_app, state)
        await engine.start()
        timer_run = await engine.start_new("approval_or_timeout", None, "0.5")
        event_run = await engine.start_new("approval_or_timeout", None, "3600")
        await engine.wait_idle(5)
        await engine.stop()
        return timer_run, event_run

    async def second_life(timer_run: str, event_run: str) -> tuple[dict, dict]:
        engine = make_engine(conformance_app, state)
        await engine.start()
        try:
            await engine.raise_event(event_run, "Approval", '"after restart"')
            return await finished(engine, timer_run), await finished(engine, event_run)
        finally:
            await engine.stop()

    timer_run, event_run = asyncio.run(first_life())
    by_timer, by_event = asyncio.run(second_life(timer_run, event_run))
    assert by_timer["output"] == {"verdict": "timed out"}
    assert by_event["output"] == {"verdict": "after restart"}


@pytest.mark.parametrize("extended_sessions", [False, True], ids=["full-replay", "extended-sessions"])
def test_changed_code_fails_with_non_determinism(
    conformance_app: LoadedApp, tmp_path: Path, extended_sessions: bool
) -> None:
    """A redeploy swaps the handler between episodes; with sessions on, the session no longer applies."""
    registry = conformance_app.registry
    original = registry.orchestrator("steps_v1").handler

    async def scenario() -> dict:
        engine = make_engine(conformance_app, tmp_path / "state.db", extended_sessions=extended_sessions)
        await engine.start()
        try:
            instance_id = await engine.start_new("steps_v1", None, None)
            await engine.wait_idle(5)
            registry.replace_orchestrator("steps_v1", registry.orchestrator("steps_v2").handler)
            await engine.raise_event(instance_id, "Next", "null")
            return await finished(engine, instance_id)
        finally:
            registry.replace_orchestrator("steps_v1", original)
            await engine.stop()

    status = asyncio.run(scenario())
    assert status["runtimeStatus"] == "Failed"
    assert status["output"] == (
        "Orchestrator function 'steps_v1' failed: Non-Deterministic workflow detected:"
        " orchestrator 'steps_v1' at history position (sequence id) 0 expected activity 'say_hello'"
        " but the replay produced activity 'square'."
    )


def test_an_engine_error_in_the_episode_an_activity_result_wakes_loses_nothing(run_engine, caplog) -> None:
    """The result commits with the episode it wakes; should that episode fail, the result is committed
    alone and the instance woken again, so the run still completes."""

    async def scenario(engine):
        runner = engine._runner
        real_run = runner.run
        failures = []

        def flaky(instance_id, arrived=None):
            if len(failures) < 1 and runner._store._conn.in_transaction:  # only the joined episode
                failures.append(instance_id)
                raise RuntimeError("boom in the episode")
            return real_run(instance_id, arrived)

        runner.run = flaky
        status = await run_to_end(engine, "fan_out_fan_in", "2")
        return status, failures

    status, failures = run_engine(scenario)
    assert failures, "the joined episode never ran"
    assert status["runtimeStatus"] == "Completed"
    assert "boom in the episode" in caplog.text


def test_a_fan_out_takes_its_results_in_together_not_one_replay_each(run_engine, caplog) -> None:
    """Results that arrive while siblings still run go to the inbox for the next episode, so a fan-out
    of 30 finishing together does not replay the history once per result."""
    caplog.set_level("INFO", logger="devhost")

    async def scenario(engine):
        return await run_to_end(engine, "fan_out_fan_in", "30")

    status = run_engine(scenario)
    assert status["runtimeStatus"] == "Completed" and status["output"] == sum(i * i for i in range(30))
    episodes = [r for r in caplog.records if r.getMessage().startswith("episode fan_out_fan_in")]
    assert 2 <= len(episodes) <= 10, [r.getMessage() for r in episodes]
