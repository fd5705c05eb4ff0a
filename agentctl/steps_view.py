"""`agentctl steps`: each agent and tool step of a run as plain text (GET /runs/{id}/steps).

One block per step: a heading with its number, kind, name, status, time and tokens, then what it
was asked, what it answered and the tools it called. Long texts are shortened unless `--full`.
"""

import json
from typing import Any

from agentctl.output import Output
from agentctl.views import STATUS_STYLES, usage_text

JsonObject = dict[str, Any]
SHORT_LIMIT = 400
STEP_STYLES = {"completed": STATUS_STYLES["Completed"], "failed": STATUS_STYLES["Failed"], "running": "cyan"}


def show_steps(out: Output, steps: list[JsonObject], *, full: bool) -> None:
    """Every step, in the order they were scheduled."""
    if not steps:
        out.line("no steps yet")
    for step in steps:
        _show_step(out, step, SHORT_LIMIT if not full else None)


def _show_step(out: Output, step: JsonObject, limit: int | None) -> None:
    facts = [str(step.get("status")), _elapsed(step.get("elapsed_ms")), usage_text(step.get("usage"))]
    heading = f"{step.get('seq')}. {step.get('kind')} {step.get('name')}  " + " · ".join(
        f for f in facts if f
    )
    out.line(heading, STEP_STYLES.get(str(step.get("status"))))
    if step.get("prompt") is not None:
        _block(out, "prompt", step["prompt"], limit)
    for message in step.get("messages") or []:
        _block(out, f"message ({message.get('role')})", message.get("text") or "", limit)
    if step.get("reply"):
        _block(out, "reply", step["reply"], limit)
    if step.get("value") is not None:
        _block(out, "value", step["value"], limit)
    for call in step.get("tool_calls") or []:
        _block(out, f"tool call {call.get('name')}", {"arguments": call.get("arguments")}, limit)
    if step.get("kind") != "agent" and step.get("arguments") is not None:
        _block(out, "arguments", step["arguments"], limit)
    if step.get("result") is not None:
        _block(out, "result", step["result"], limit)
    if step.get("error"):
        _block(out, "error", step["error"], None, "red")
    if step.get("truncated"):
        out.line(f"   (cut to 16 KB by the API: {', '.join(step['truncated'])})", "dim")


def _block(out: Output, label: str, value: Any, limit: int | None, style: str | None = None) -> None:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    if limit is not None and len(text) > limit:
        text = text[:limit] + f"… (+{len(text) - limit} chars, --full shows all)"
    lines = text.splitlines() or [""]
    out.line(f"   {label}: {lines[0]}", style)
    for line in lines[1:]:
        out.line(f"     {line}", style)


def _elapsed(value: Any) -> str:
    if not isinstance(value, int | float):
        return ""
    return f"{value / 1000:.1f} s" if value >= 1000 else f"{value:.0f} ms"
