"""Client operations: start errors, terminate, suspend/resume, restart, purge, query, entities."""

import asyncio
import json
from datetime import UTC, datetime, timedelta

import pytest

from devhost import engine as engine_module
from devhost.errors import BadRequest, Conflict, Gone, NotFound
from devhost.instance_query import InstanceFilter
from tests.devhost.engine.engine_support import finished, run_to_end


def test_start_errors(run_engine) -> None:
    async def scenario(engine):
        with pytest.raises(BadRequest, match="'no_such_thing' doesn't exist"):
            await engine.start_new("no_such_thing", None, None)
        await engine.start_new("approval_or_timeout", "same-id", "3600")
        with pytest.raises(Conflict, match="same-id"):
            await engine.start_new("approval_or_timeout", "same-id", "3600")
        with pytest.raises(NotFound):
            await engine.raise_event("missing", "x", "1")
        done = await run_to_end(engine, "fan_out_fan_in", "2")
        with pytest.raises(Gone):
            await engine.raise_event(done["instanceId"], "x", "1")
        return engine.get_status("missing")

    assert run_engine(scenario) is None


def test_terminate(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("approval_or_timeout", None, "3600")
        await engine.wait_idle(5)
        await engine.terminate(instance_id, "stop it")
        with pytest.raises(Gone):
            await engine.terminate(instance_id, "again")
        return await finished(engine, instance_id)

    status = run_engine(scenario)
    assert (status["runtimeStatus"], status["output"]) == ("Terminated", "stop it")


def test_suspend_holds_events_until_resume(run_engine) -> None:
    async def scenario(engine):
        instance_id = await engine.start_new("approval_or_timeout", None, "3600")
        await engine.wait_idle(5)
        await engine.suspend(instance_id, "hold on")
        await engine.raise_event(instance_id, "Approval", '"held"')
        await engine.wait_idle(5)
        suspended = engine.get_status(instance_id)["runtimeStatus"]
        await engine.resume(instance_id, "go on")
        return suspended, await finished(engine, instance_id)

    suspended, final = run_engine(scenario)
    assert suspended == "Suspended"
    assert final["output"] == {"verdict": "held"}


def test_restart_and_purge(run_engine) -> None:
    async def scenario(engine):
        first = await run_to_end(engine, "hello_sequence", '"Kim"')
        same = await engine.restart(first["instanceId"], new_instance_id=False)
        again = await finished(engine, same)
        other = await finished(engine, await engine.restart(first["instanceId"], new_instance_id=True))
        purged = engine.purge(same)
        return same == first["instanceId"], again, other, purged, engine.get_status(same)

    same_id, again, other, purged, after = run_engine(scenario)
    assert same_id and again["output"] == other["output"] == [
        "Hello Kim",
        "Hello Hello Kim",
        "HELLO HELLO KIM",
    ]
    assert other["instanceId"] != again["instanceId"]
    assert (purged, after) == (1, None)


def test_query_and_purge_by(run_engine) -> None:
    async def scenario(engine):
        await run_to_end(engine, "fan_out_fan_in", "1")
        await engine.start_new("approval_or_timeout", "wait-1", "3600")
        await engine.wait_idle(5)
        since = datetime.now(UTC) - timedelta(minutes=1)
        running = engine.query(InstanceFilter(statuses=("Running",), created_from=since)).statuses
        by_prefix = engine.query(InstanceFilter(prefix="wait-"), show_input=False).statuses
        purged = await engine.purge_by(InstanceFilter(created_from=since, statuses=("Completed",)))
        return running, by_prefix, purged, engine.query(InstanceFilter()).statuses

    running, by_prefix, purged, remaining = run_engine(scenario)
    assert [s["instanceId"] for s in running] == ["wait-1"]
    assert by_prefix[0]["input"] is None
    assert purged == 1 and [s["instanceId"] for s in remaining] == ["wait-1"]


def test_a_purge_of_many_runs_lets_the_loop_serve_between_batches(run_engine, monkeypatch) -> None:
    """The nightly purge runs on the host's one loop: requests and episodes go on while it works."""
    monkeypatch.setattr(engine_module, "PURGE_BATCH", 2)

    async def scenario(engine):
        for _ in range(5):
            await run_to_end(engine, "fan_out_fan_in", "1")
        seen_meanwhile: list[int] = []

        async def a_request() -> None:
            seen_meanwhile.append(len(engine.query(InstanceFilter()).statuses))

        request = asyncio.get_running_loop().create_task(a_request())
        purged = await engine.purge_by(InstanceFilter(statuses=("Completed",)))
        await request
        return purged, seen_meanwhile, engine.query(InstanceFilter()).statuses

    purged, seen_meanwhile, remaining = run_engine(scenario)
    assert (purged, remaining) == (5, [])
    assert seen_meanwhile == [3]  # served after the first batch of two, not after the whole purge


def test_client_entity_operations(run_engine) -> None:
    async def scenario(engine):
        with pytest.raises(BadRequest):
            await engine.signal_entity("Nobody", "k", "add", "1")
        await engine.signal_entity("Counter", "c1", "add", "4")
        await engine.signal_entity("counter", "c1", "add", "6")
        await engine.signal_entity("Cart", "c1", "add", '"plum"')
        await engine.wait_idle(5)
        state = engine.read_entity("COUNTER", "c1")
        listed = engine.list_entities(fetch_state=True)
        await engine.signal_entity("Counter", "c1", "delete", None)
        await engine.wait_idle(5)
        return state, listed, engine.read_entity("Counter", "c1"), engine.list_entities("counter")

    state, listed, deleted, counters = run_engine(scenario)
    assert json.loads(state) == 10
    assert [(e["entityId"], e["state"]) for e in listed] == [
        ({"key": "c1", "name": "cart"}, ["plum"]),
        ({"key": "c1", "name": "counter"}, 10),
    ]
    assert deleted is None and counters == []
