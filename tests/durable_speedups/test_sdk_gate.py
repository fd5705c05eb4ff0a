"""One compatibility gate for the SDK internals we patch: the installed and pinned SDK must be a checked
version, and every piece that reaches into the SDK switches itself off (saying so once) on any other."""

import asyncio
import logging
import re
import sys
from pathlib import Path

import pytest
from dateutil.parser import parse as dateutil_parse

import durable_speedups
from devhost import sdk_patches
from devhost.client_api import ManagementApi
from devhost.client_rpc import CLIENT_MODULE, REQUEST_FUNCTIONS, InProcessRpc
from devhost.sessions import SessionSettings, open_sessions
from durable_speedups import sdk_gate
from tests.devhost.host.test_devhost_client_rpc import EngineDouble

ROOT = Path(__file__).resolve().parents[2]
HISTORY_MODULE = "azure.durable_functions.models.history.HistoryEvent"
STATUS_MODULE = "azure.durable_functions.models.DurableOrchestrationStatus"


def test_installed_sdk_is_a_checked_version() -> None:
    """A warning alone would let the speed-ups switch off unnoticed after an upgrade: fail instead."""
    installed = sdk_gate.sdk_version()
    assert installed in sdk_gate.CHECKED_SDK_VERSIONS, (
        f"azure-functions-durable {installed} is installed but only {sorted(sdk_gate.CHECKED_SDK_VERSIONS)}"
        " were checked: read the internals durable_speedups and devhost patch (sdk_patches, client_rpc,"
        " sessions) on the new version, then add it to durable_speedups/sdk_gate.py"
    )
    assert sdk_gate.sdk_is_checked()


def test_the_deployed_pin_is_a_checked_version() -> None:
    """requirements.txt is what Azure installs; its pin must be one the gate lets through."""
    pins = re.findall(r"^azure-functions-durable==(\S+)", (ROOT / "requirements.txt").read_text(), re.M)
    assert pins and set(pins) <= sdk_gate.CHECKED_SDK_VERSIONS


@pytest.fixture
def unchecked_sdk(monkeypatch: pytest.MonkeyPatch) -> str:
    """Pretend an SDK version nobody checked is installed; the SDK's own functions stay in place."""
    monkeypatch.setattr(sdk_gate, "sdk_version", lambda: "9.9.9")
    monkeypatch.setattr(sdk_gate, "_warned", set())
    monkeypatch.setitem(durable_speedups._state, "installed", False)
    for name, attribute in ((HISTORY_MODULE, "dt_parse"), (STATUS_MODULE, "dt_parse")):
        monkeypatch.setattr(sys.modules[name], attribute, dateutil_parse)
    return "9.9.9"


def _rpc_install(rpc: InProcessRpc) -> bool:
    async def install() -> bool:
        return rpc.install()

    return asyncio.run(install())


def test_every_patch_stays_off_on_an_unchecked_sdk(
    unchecked_sdk: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    client_module = sys.modules.get(CLIENT_MODULE) or __import__(CLIENT_MODULE, fromlist=["_"])
    request_functions = {name: getattr(client_module, name) for name in REQUEST_FUNCTIONS}
    rpc = InProcessRpc(ManagementApi(EngineDouble(), "TestHub"), "http://127.0.0.1:1")

    for _ in range(2):  # asked again (e.g. a restarted host), each still refuses and says so only once
        assert durable_speedups.install() is False
        assert sdk_patches.install() is False
        assert _rpc_install(rpc) is False
        assert open_sessions(SessionSettings()) is None

    assert sys.modules[HISTORY_MODULE].dt_parse is dateutil_parse
    assert sys.modules[STATUS_MODULE].dt_parse is dateutil_parse
    assert {name: getattr(client_module, name) for name in REQUEST_FUNCTIONS} == request_functions
    warnings = [r.getMessage() for r in caplog.records if unchecked_sdk in r.getMessage()]
    features = ["durable_speedups", "devhost SDK patches", "devhost in-process client", "extendedSessions"]
    assert len(warnings) == len(features)
    for feature in features:
        assert any(message.startswith(feature) for message in warnings), feature
