"""What every `run_agent` request carries besides the agent's input: the token stream it writes to."""

from typing import Any
from unittest.mock import ANY

# The harness runs every orchestration as instance `run-1`; step keys are checked in test_orch_streams.
STREAM: dict[str, Any] = {"run": "run-1", "step": ANY}
