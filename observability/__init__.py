"""Telemetry wiring: Application Insights + agent-framework's OpenTelemetry spans, when configured.

With `APPLICATIONINSIGHTS_CONNECTION_STRING` set, `configure_telemetry()` installs the Azure
Monitor OpenTelemetry distro (traces, logs, metrics) and turns on agent-framework's
instrumentation, so each agent run, model call and tool declaration shows up as a span with
token usage. Without it, it does nothing and imports nothing heavy: the distro takes seconds to
import and local runs must start fast.
"""

import os

_configured = False


def configure_telemetry() -> bool:
    """Set up telemetry once per process; returns whether it is on."""
    global _configured
    connection_string = (os.environ.get("APPLICATIONINSIGHTS_CONNECTION_STRING") or "").strip()
    if not connection_string:
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
