"""Fixtures: one load of the conformance app, a started engine on a fresh state file per test."""

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from devhost.discovery import LoadedApp, load_app
from devhost.engine import Engine
from tests.devhost.engine.engine_support import APP_DIR, make_engine

Scenario = Callable[[Engine], Awaitable[Any]]


@pytest.fixture(scope="session")
def conformance_app() -> LoadedApp:
    return load_app(APP_DIR)


@pytest.fixture
def run_engine(conformance_app: LoadedApp, tmp_path: Path) -> Callable[..., Any]:
    """Run an async scenario against a started engine on its own event loop, then stop the engine.

    Keyword options go to `Engine`, e.g. `run_engine(scenario, extended_sessions=True)`.
    """

    def run(scenario: Scenario, **options: Any) -> Any:
        async def main() -> Any:
            engine = make_engine(conformance_app, tmp_path / "state.db", **options)
            await engine.start()
            try:
                return await scenario(engine)
            finally:
                await engine.stop()

        return asyncio.run(main())

    return run
