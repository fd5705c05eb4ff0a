"""The template served by the embedded host, as a user runs it: a subprocess, real HTTP."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from devhost.testing import DevHost
from tests.e2e.api_client import ApiClient

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def template_env(tmp: Path, **overrides: str) -> dict[str, str]:
    """Settings for the host process: offline model, outbox, streams and state in the test's own folder."""
    return {
        "AGENT_MODEL_PROVIDER": "offline",
        "OFFLINE_MODEL_DELAY_MS": "0",
        "OUTBOX_PATH": str(tmp / "outbox.db"),
        "OUTBOX_TABLE_ENDPOINT": "",  # never the Azure table a developer's shell may point at
        "STREAM_PATH": str(tmp / "streams.db"),
        "STREAM_TABLE_ENDPOINT": "",
        "TASKHUB_NAME": "e2ehub",
        "APPLICATIONINSIGHTS_CONNECTION_STRING": "",
        **overrides,
    }


@pytest.fixture(scope="module")
def template_host(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevHost]:
    """One host per test module, with its own state and outbox."""
    tmp = tmp_path_factory.mktemp("template")
    with DevHost(PROJECT_ROOT, tmp / "state.db", env=template_env(tmp)) as host:
        yield host


@pytest.fixture(scope="module")
def api(template_host: DevHost) -> ApiClient:
    return ApiClient(template_host.http)
