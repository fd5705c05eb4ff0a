"""Fixtures for the end-to-end tests: a temp copy of the conformance app and a devhost subprocess."""

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from devhost.testing import DevHost

CONFORMANCE_APP = Path(__file__).resolve().parents[1] / "conformance_app"
HUB = "conformancehub"


def write_app_copy(target: Path, **settings: str) -> Path:
    """Copy the conformance app and give it a local.settings.json (which also tests settings loading)."""
    shutil.copytree(CONFORMANCE_APP, target, ignore=shutil.ignore_patterns("__pycache__", ".devhost"))
    values = {"TASKHUB_NAME": HUB, "STARTUP_TIMER_SCHEDULE": "0 0 3 * * *", **settings}
    (target / "local.settings.json").write_text(json.dumps({"IsEncrypted": False, "Values": values}))
    return target


@pytest.fixture(scope="module")
def app_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_app_copy(tmp_path_factory.mktemp("app") / "conformance_app")


@pytest.fixture(scope="module")
def host(app_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    """One host per test module, with its own state."""
    with DevHost(app_dir, tmp_path_factory.mktemp("state") / "state.db") as running:
        yield running
