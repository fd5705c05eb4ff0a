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

# agent-framework reads this when it is first imported; our app imports it lazily, after start-up.
INSTRUMENTATION_SETTING = "ENABLE_INSTRUMENTATION"

_configured = False


def configure_telemetry() -> bool:
    """Set up telemetry once per process; returns whether it is on."""
    global _configured
    connection_string = (os.environ.get("APPLICATIONINSIGHTS_CONNECTION_STRING") or "").strip()
    if not connection_string:
        os.environ.setdefault(INSTRUMENTATION_SETTING, "false")
        return False
    if _configured:
        return True
    from agent_framework.observability import enable_instrumentation
    from azure.monitor.opentelemetry import configure_azure_monitor

    # No credential argument on purpose: with App Insights local auth off, the exporter builds a
    # ManagedIdentityCredential from APPLICATIONINSIGHTS_AUTHENTICATION_STRING
    # ("Authorization=AAD;ClientId=<identity>"), which infra/ sets on the Function App.
    configure_azure_monitor(connection_string=connection_string)
    # Prompts and replies stay out of telemetry unless ENABLE_SENSITIVE_DATA=true is set.
    enable_instrumentation()
    _configured = True
    return True
