"""Telemetry wiring: Application Insights + agent-framework's OpenTelemetry spans, when configured.

With `APPLICATIONINSIGHTS_CONNECTION_STRING` set, `configure_telemetry()` installs the Azure
Monitor OpenTelemetry distro (traces, logs, metrics) and turns on agent-framework's
instrumentation, so each agent run, model call and tool declaration shows up as a span with
token usage. Without it, it imports nothing heavy (the distro takes seconds to import and local
runs must start fast) and makes agent-framework's own instrumentation default to off: it is on by
default and, with no exporter to receive them, would still build a span and record metrics around
every agent and model call, half the cost of a fast agent step. `ENABLE_INSTRUMENTATION=true` keeps
it on, for an OpenTelemetry set-up of your own.
"""

import os
import sys
from collections.abc import Mapping
from typing import Any

# agent-framework reads this when it is first imported; our app imports it lazily, after start-up.
INSTRUMENTATION_SETTING = "ENABLE_INSTRUMENTATION"

_configured = False


def configure_telemetry() -> bool:
    """Set up telemetry once per process; returns whether it is on."""
    global _configured
    connection_string = (os.environ.get("APPLICATIONINSIGHTS_CONNECTION_STRING") or "").strip()
    if not connection_string:
        if INSTRUMENTATION_SETTING not in os.environ:
            os.environ[INSTRUMENTATION_SETTING] = "false"
            _instrumentation_off_if_read()
        return False
    if _configured:
        return True
    from agent_framework.observability import enable_instrumentation
    from azure.monitor.opentelemetry import configure_azure_monitor

    options: dict[str, Any] = {"connection_string": connection_string}
    if signs_in_as_developer(os.environ):
        from azure.identity import DefaultAzureCredential

        options["credential"] = DefaultAzureCredential()
    configure_azure_monitor(**options)
    # Prompts and replies stay out of telemetry unless ENABLE_SENSITIVE_DATA=true is set.
    enable_instrumentation()
    _configured = True
    return True


def _instrumentation_off_if_read() -> None:
    """Turn agent-framework's instrumentation off when it has already read its settings.

    It reads ENABLE_INSTRUMENTATION once, when `agent_framework.observability` is first imported,
    and the app's graphs import agent-framework while function_app.py is still importing, before
    this runs: the setting alone would come too late and every agent call would pay for spans.
    """
    loaded = sys.modules.get("agent_framework.observability")
    if loaded is not None:
        loaded.OBSERVABILITY_SETTINGS.enable_instrumentation = False


def signs_in_as_developer(environ: Mapping[str, str]) -> bool:
    """Whether telemetry authenticates as the signed-in developer (`az login`/`azd auth login`).

    infra/ turns App Insights' local auth off, so only Entra identities holding Monitoring Metrics
    Publisher may send. In Azure the exporter itself builds a ManagedIdentityCredential from
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING ("Authorization=AAD;ClientId=<identity>", set by
    infra/). Outside Azure (no managed identity endpoint) that credential cannot work, so
    "Authorization=AAD" there means the developer, whom `azd up` granted the same role. Without the
    setting, telemetry uses the connection string's key, as the SDK does.
    """
    auth = environ.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "").replace(" ", "").lower()
    in_azure = bool(environ.get("IDENTITY_ENDPOINT") or environ.get("MSI_ENDPOINT"))
    return not in_azure and "authorization=aad" in auth.split(";")
