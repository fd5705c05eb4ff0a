"""The template as the benchmarks and the end-to-end tests host it: where it is and its settings.

Both start `function_app.py` on the embedded host with the offline model and their own state; this
module is the one place that says how, so a benchmark never reaches into the test suite for it.

Benchmarks compare the host with the same work done in their own process, so importing this module
puts that process under the host's telemetry policy too (no App Insights, hence agent-framework's
instrumentation off): on import, because graph modules import agent_framework at their top and it
reads the setting then.
"""

import os
from pathlib import Path

from observability import configure_telemetry

PROJECT_ROOT = Path(__file__).resolve().parents[1]

os.environ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = ""
configure_telemetry()


def template_env(tmp: Path, **overrides: str) -> dict[str, str]:
    """Settings for the host process: offline model, outbox, token streams and state in the caller's
    own folder."""
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
