"""The clean model environment the agents and activities tests start from (shared by both conftests)."""

import os
from pathlib import Path

import pytest

MODEL_SETTINGS = (
    "AGENT_MODEL_PROVIDER",
    "AGENT_MODEL_API",
    "AGENT_MODEL_TIMEOUT_S",
    "OFFLINE_MODEL_DELAY_MS",
)


@pytest.fixture(autouse=True)
def clean_model_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Every test starts on the offline model with no OpenAI/Azure settings and its own outbox."""
    for name in list(os.environ):
        # OUTBOX_TABLE_*: a shell pointed at a real outbox table must not send test writes there.
        if name in MODEL_SETTINGS or name.startswith(
            ("OPENAI_", "AZURE_OPENAI_", "AZURE_CLIENT_", "OUTBOX_TABLE_", "STREAM_TABLE_")
        ):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OUTBOX_PATH", str(tmp_path / "outbox.db"))
    monkeypatch.setenv("STREAM_PATH", str(tmp_path / "streams.db"))
