"""External events, durable timers, continue-as-new and custom status, as the real host handles them."""

import json

from tests.devhost.engine.engine_support import finished, run_to_end


def test_event_wins_over_timer(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("approval_or_timeout", None, "3600")
        await engine.wait_idle(5)
        assert engine.get_status(instance_id)["runtimeStatus"] == "Running"
        await engine.raise_event(instance_id, "Approval", '"yes"')
        return await finished(engine, instance_id)

    assert run_engine(scenario)["output"] == {"verdict": "yes"}


def test_timer_wins_without_event(run_engine) -> None:
    status = run_engine(lambda engine: run_to_end(engine, "approval_or_timeout", "0.2"))
    assert status["output"] == {"verdict": "timed out"}


def test_event_raised_before_the_orchestrator_waits(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("early_event", None, None)
        await engine.raise_event(instance_id, "Go", '{"when": "early"}')
        return await finished(engine, instance_id)

    assert run_engine(scenario)["output"] == {"greeting": "Hello early", "go": {"when": "early"}}


def test_events_stay_in_order_across_continue_as_new(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new(
            "event_accumulator", None, json.dumps({"values": [], "expected": 4})
        )
        for value in range(4):
            await engine.raise_event(instance_id, "add", str(value))
        return await finished(engine, instance_id)

    assert run_engine(scenario)["output"] == [0, 1, 2, 3]


def test_custom_status_keeps_the_last_value_seen(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("custom_status_steps", None, None)
        await engine.wait_idle(5)
        waiting = engine.get_status(instance_id)["customStatus"]
        await engine.raise_event(instance_id, "Continue", "null")
        return waiting, await finished(engine, instance_id)

    waiting, final = run_engine(scenario)
    assert waiting == {"step": "waiting"}
    assert (final["output"], final["customStatus"]) == ("done", {"step": "waiting"})
