"""Helpers for driving the Engine in-process on the conformance app."""

from pathlib import Path
from typing import Any

from devhost.discovery import LoadedApp
from devhost.engine import Engine

APP_DIR = Path(__file__).resolve().parents[1] / "conformance_app"
WAIT_S = 10.0


def make_engine(app: LoadedApp, state: Path, **options: Any) -> Engine:
    """An engine for the conformance app; `options` go to `Engine` (e.g. `extended_sessions=True`)."""
    return Engine(app.registry, state, hub_name="conformance", default_version="1.0", **options)


async def finished(engine: Engine, instance_id: str) -> dict[str, Any]:
    """The final status of an instance; fails the test if it does not finish in time."""
    status = await engine.wait_for_instance(instance_id, WAIT_S)
    assert status is not None, f"{instance_id} did not finish: {engine.get_status(instance_id)}"
    return status


async def run_to_end(engine: Engine, name: str, input_text: str | None, **kwargs: Any) -> dict[str, Any]:
    return await finished(engine, await engine.start_new(name, None, input_text, **kwargs))
