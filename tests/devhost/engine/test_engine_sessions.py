"""Extended sessions: the same actions, outputs and history as full replays, and a full replay on doubt.

Sessions skip replay, which also hides non-determinism, so the other engine tests run with them off;
here every conformance orchestration runs both ways, and the sessions engine also replays each warm
episode in full to compare the two outputs (``verify``).
"""

import asyncio
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from devhost.discovery import LoadedApp
from devhost.engine import Engine
from devhost.instance_query import InstanceFilter
from tests.devhost.engine.engine_support import finished, make_engine

Drive = Callable[[Engine, str, str], Awaitable[None]]  # (engine, instance id, run token)


def start(name: str, input_of: Callable[[str], Any] = lambda token: None) -> Drive:
    async def drive(engine: Engine, instance_id: str, token: str) -> None:
        value = input_of(token)
        await engine.start_new(name, instance_id, None if value is None else json.dumps(value))

    return drive


def then_raise(first: Drive, event: str, value: Any) -> Drive:
    """Start, wait until the instance is idle (waiting for the event), then raise it."""

    async def drive(engine: Engine, instance_id: str, token: str) -> None:
        await first(engine, instance_id, token)
        await engine.wait_idle(10)
        await engine.raise_event(instance_id, event, json.dumps(value))

    return drive


def flaky(fail_times: int, label: str = "") -> Callable[[str], dict[str, Any]]:
    """A flaky request with its own attempt counter: scenarios run concurrently, keys must differ."""
    return lambda token: {"key": f"{token}-flaky{fail_times}{label}", "fail_times": fail_times}


async def accumulate(engine: Engine, instance_id: str, token: str) -> None:
    await start("event_accumulator", lambda _: {"values": [], "expected": 3})(engine, instance_id, token)
    for value in range(3):
        await engine.raise_event(instance_id, "add", str(value))


# Every orchestrator of the conformance app, driven through its interesting paths.
SCENARIOS: dict[str, Drive] = {
    "hello": start("hello_sequence", lambda _: "Bob"),
    "fan": start("fan_out_fan_in", lambda _: 12),
    "approval_event": then_raise(start("approval_or_timeout", lambda _: 3600), "Approval", "yes"),
    "approval_timer": start("approval_or_timeout", lambda _: 0.2),
    "early_event": then_raise(start("early_event"), "Go", {"when": "late"}),
    "retry_ok": start("retry_flaky", flaky(2)),
    "retry_fails": start("retry_flaky", flaky(5)),
    "retry_exhausted": start("retry_exhausted"),
    "failing_child": start("failing_child", flaky(0)),
    "parent": start("parent_of_children"),
    "countdown": start("countdown", lambda _: {"n": 3, "seen": []}),
    "accumulator": accumulate,
    "custom_status": then_raise(start("custom_status_steps"), "Continue", None),
    "version": start("report_version"),
    "replay_safe": start("replay_safe_values"),
    "custom_objects": start("custom_objects"),
    "entities": start("entity_flow", lambda token: token),
    "caught": start("activity_failure_caught"),
    "uncaught": start("activity_failure_uncaught"),
    "bug": start("orchestrator_bug"),
    "rewindable": start("rewindable", flaky(1)),
    "child_retry": start("child_retry_exhausted", flaky(2, "-child")),
    "beside_timer": start("flaky_beside_timer", lambda token: {**flaky(0)(token), "timer_seconds": 0.1}),
    "steps_v1": then_raise(start("steps_v1"), "Next", None),
    "steps_v2": then_raise(start("steps_v2"), "Next", None),
}

VARYING = [
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|\+00:00)?"), "<time>"),
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"[0-9a-f]{32}"), "<execution>"),
    (re.compile(r":[0-9a-f]{8}:"), ":<execution>:"),
]


def normalised(value: Any, token: str) -> str:
    """Text with what legitimately differs between two runs (clock, GUIDs, the run token) masked."""
    text = json.dumps(value, sort_keys=True).replace(token, "<run>")
    for pattern, mask in VARYING:
        text = pattern.sub(mask, text)
    return text


async def run_all(engine: Engine, token: str) -> dict[str, Any]:
    """Drive every scenario on one engine; returns (status, history) per scenario, normalised."""
    await asyncio.gather(*(drive(engine, f"{name}-{token}", token) for name, drive in SCENARIOS.items()))
    seen = {}
    for name in SCENARIOS:
        instance_id = f"{name}-{token}"
        status = await finished(engine, instance_id)
        status = {k: status[k] for k in ("runtimeStatus", "output", "customStatus")}
        history = [json.loads(text) for text in engine.store.load_history(instance_id)]
        seen[name] = (normalised(status, token), normalised(history, token))
    listed = engine.query(InstanceFilter()).statuses
    seen["orchestrators that ran"] = sorted({status["name"] for status in listed})
    return seen


def run_with(app: LoadedApp, state: Path, token: str, **options: Any) -> tuple[dict, Any]:
    async def main() -> tuple[dict, Any]:
        engine = Engine(app.registry, state, hub_name="sessions", default_version="1.0", **options)
        await engine.start()
        try:
            return await run_all(engine, token), engine.session_stats
        finally:
            await engine.stop()

    return asyncio.run(main())


def test_every_orchestration_is_identical_with_and_without_sessions(
    conformance_app: LoadedApp, tmp_path: Path
) -> None:
    replayed, no_stats = run_with(conformance_app, tmp_path / "full.db", uuid.uuid4().hex)
    kept, stats = run_with(
        conformance_app, tmp_path / "kept.db", uuid.uuid4().hex, extended_sessions=True, verify_sessions=True
    )
    assert no_stats is None
    assert stats.mismatches == 0 and stats.warm > len(SCENARIOS)
    assert kept["orchestrators that ran"] == sorted(conformance_app.registry.orchestrator_names())
    for name in SCENARIOS:
        assert kept[name][0] == replayed[name][0], f"{name}: status/output differ"
        assert kept[name][1] == replayed[name][1], f"{name}: history differs"


def sessions_engine(app: LoadedApp, state: Path) -> Engine:
    return make_engine(app, state, extended_sessions=True)


def test_a_restarted_engine_replays_in_full(conformance_app: LoadedApp, tmp_path: Path) -> None:
    state = tmp_path / "state.db"

    async def life(instance_id: str | None) -> tuple[str, Any, Any]:
        engine = sessions_engine(conformance_app, state)
        await engine.start()
        try:
            if instance_id is None:
                instance_id = await engine.start_new("early_event", None, None)
                await engine.wait_idle(10)
                return instance_id, None, engine.session_stats
            await engine.raise_event(instance_id, "Go", '"after restart"')
            return instance_id, await finished(engine, instance_id), engine.session_stats
        finally:
            await engine.stop()

    instance_id, _, before = asyncio.run(life(None))
    _, status, after = asyncio.run(life(instance_id))
    assert (before.cold, before.warm) == (1, 1)
    assert (after.cold, after.warm) == (1, 0)
    assert status["output"] == {"greeting": "Hello early", "go": "after restart"}


def test_evicted_sessions_replay_in_full(run_engine) -> None:
    async def scenario(engine: Engine) -> tuple[list[Any], Any]:
        ids = [await engine.start_new("hello_sequence", None, json.dumps(n)) for n in ("A", "B", "C")]
        return [(await finished(engine, i))["output"][2] for i in ids], engine.session_stats

    outputs, stats = run_engine(scenario, extended_sessions=True, session_capacity=1)
    assert outputs == ["HELLO HELLO A", "HELLO HELLO B", "HELLO HELLO C"]
    assert stats.evicted > 0 and stats.cold > 3


def test_idle_sessions_expire(run_engine) -> None:
    status, stats = run_engine(
        lambda engine: _run_and_stats(engine, "hello_sequence", '"Z"'),
        extended_sessions=True,
        session_idle_timeout_s=0.0,
    )
    assert status["output"] == ["Hello Z", "Hello Hello Z", "HELLO HELLO Z"]
    assert (stats.warm, stats.cold) == (0, 4)


async def _run_and_stats(engine: Engine, name: str, input_text: str) -> tuple[dict, Any]:
    status = await finished(engine, await engine.start_new(name, None, input_text))
    return status, engine.session_stats
