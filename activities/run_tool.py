"""The `run_tool` activity: one tool call the model asked for, as its own durable step.

Input `{"tool", "call_id", "arguments", "idempotency_key"}`; output
`{"call_id", "name", "result", "elapsed_ms"}`. Arguments the tool rejects come back as
`{"error": ...}` in `result` so the model can recover; an unknown tool raises `UnknownToolError`
(a `PermanentModelError`). Side-effect tools write through the outbox keyed by
`idempotency_key`, so a retried or re-delivered call is not repeated.

A remote MCP tool (`<server>__<tool>`) is called on its server with the same idempotency key in
`_meta`; an unreachable server or a timeout fails the activity so the durable retry runs it again.
"""

import json
import time
from typing import Any

from activities.payload import Payload
from agents.errors import PermanentModelError
from agents.remote_tools.calls import call_remote_tool, is_remote_tool
from agents.tools import ToolContext, get_tool


def run_tool(payload: Payload) -> dict[str, Any]:
    """Run one tool call and return its result for the model."""
    if not isinstance(payload, dict):
        raise PermanentModelError(f"run_tool payload must be an object (got {type(payload).__name__})")
    name = payload.get("tool")
    call_id = payload.get("call_id")
    if not isinstance(call_id, str) or not call_id:
        raise PermanentModelError("run_tool payload field 'call_id' is required")
    context = ToolContext(call_id=call_id, idempotency_key=payload.get("idempotency_key") or None)
    arguments = _arguments(payload.get("arguments"))
    started = time.perf_counter()
    if is_remote_tool(name):
        result = call_remote_tool(str(name), arguments, context.idempotency_key)
    else:
        tool = get_tool(name)
        name, result = tool.name, tool.invoke(arguments, context)
    return {
        "call_id": call_id,
        "name": name,
        "result": result,
        "elapsed_ms": round((time.perf_counter() - started) * 1000, 3),
    }


def _arguments(raw: Any) -> Any:
    """Models sometimes send arguments as a JSON string; the tool validates whatever comes out."""
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except (ValueError, RecursionError):  # not JSON, or nested deeper than the parser goes
            return {"raw": raw}
    return raw
