"""What function_app.py imports from us stays light, and telemetry is wired only when configured."""

import json
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest

import observability

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("openai", "agent_framework", "azure.identity", "azure.monitor.opentelemetry")


def test_the_wiring_imports_pull_in_nothing_heavy() -> None:
    script = (
        "import sys, json\n"
        "from activities.publish_draft import publish_draft\n"
        "from activities.run_agent import run_agent\n"
        "from activities.run_tool import run_tool\n"
        "from agents.settings import load_model_settings\n"
        "from observability import configure_telemetry\n"
        "load_model_settings(); configure_telemetry()\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "APPLICATIONINSIGHTS_CONNECTION_STRING"}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == []


def test_telemetry_is_off_without_a_connection_string(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("APPLICATIONINSIGHTS_CONNECTION_STRING", raising=False)
    monkeypatch.setenv(observability.INSTRUMENTATION_SETTING, "")
    monkeypatch.delenv(observability.INSTRUMENTATION_SETTING)
    assert observability.configure_telemetry() is False
    assert os.environ[observability.INSTRUMENTATION_SETTING] == "false"


def test_agent_framework_spans_are_off_without_telemetry_unless_asked_for() -> None:
    script = (
        "import json\n"
        "from observability import configure_telemetry\n"
        "configure_telemetry()\n"
        "from agent_framework.observability import OBSERVABILITY_SETTINGS\n"
        "print(json.dumps(OBSERVABILITY_SETTINGS.ENABLED))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("APPLICATIONINSIGHTS_CONNECTION_STRING",)}
    for asked, enabled in ((None, False), ("true", True)):
        env.pop(observability.INSTRUMENTATION_SETTING, None)
        if asked is not None:
            env[observability.INSTRUMENTATION_SETTING] = asked
        done = subprocess.run(
            [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
        )
        assert json.loads(done.stdout) is enabled, asked


def test_telemetry_configures_azure_monitor_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[dict[str, str]] = []
    fake = types.ModuleType("azure.monitor.opentelemetry")
    fake.configure_azure_monitor = lambda **kwargs: calls.append(kwargs)  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "azure.monitor.opentelemetry", fake)
    monkeypatch.setattr(observability, "_configured", False)
    monkeypatch.setenv(
        "APPLICATIONINSIGHTS_CONNECTION_STRING", "InstrumentationKey=00000000-0000-0000-0000-000000000000"
    )
    assert observability.configure_telemetry() is True
    assert observability.configure_telemetry() is True
    assert calls == [{"connection_string": "InstrumentationKey=00000000-0000-0000-0000-000000000000"}]
    from agent_framework.observability import OBSERVABILITY_SETTINGS

    assert OBSERVABILITY_SETTINGS.enable_instrumentation is True


@pytest.mark.parametrize(
    ("environ", "as_developer"),
    [
        ({}, False),  # the connection string's key, as the SDK does
        ({"APPLICATIONINSIGHTS_AUTHENTICATION_STRING": "Authorization=AAD"}, True),
        ({"APPLICATIONINSIGHTS_AUTHENTICATION_STRING": "authorization=aad; ClientId=abc"}, True),
        # In Azure the exporter's own ManagedIdentityCredential takes the identity from the setting.
        (
            {
                "APPLICATIONINSIGHTS_AUTHENTICATION_STRING": "Authorization=AAD;ClientId=abc",
                "IDENTITY_ENDPOINT": "http://localhost:8081/msi/token",
            },
            False,
        ),
    ],
)
def test_a_local_run_sends_telemetry_as_the_signed_in_developer_when_asked(
    environ: dict[str, str], as_developer: bool
) -> None:
    assert observability.signs_in_as_developer(environ) is as_developer


@pytest.mark.parametrize(("setting", "on"), [(None, False), ("true", True)])
def test_agent_framework_instrumentation_is_off_in_the_app_unless_asked_for(
    setting: str | None, on: bool
) -> None:
    """The app's graphs import agent-framework, which reads ENABLE_INSTRUMENTATION at its import,
    before configure_telemetry runs: the default must still reach it (spans cost every agent call)."""
    script = (
        "import function_app\n"
        "from agent_framework.observability import OBSERVABILITY_SETTINGS as settings\n"
        "print(settings.enable_instrumentation)\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("APPLICATIONINSIGHTS_CONNECTION_STRING",)}
    env.pop(observability.INSTRUMENTATION_SETTING, None)
    env.update({"TASKHUB_NAME": "hub", "AGENT_MODEL_PROVIDER": "offline", "PYTHONPATH": str(ROOT)})
    if setting is not None:
        env[observability.INSTRUMENTATION_SETTING] = setting
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == str(on)
