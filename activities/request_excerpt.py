"""A capped excerpt of what an agent was asked, carried in `run_agent`'s result.

The status API returns history without activity inputs (the Durable extension drops them, and the
embedded host does the same), so the only place a step's prompt survives for `GET /runs/{id}/steps`
is the step's own result. The excerpt is bounded so agent calls on long conversations do not bloat
the history every replay reads: the newest messages are kept first, within one byte budget, and
anything cut is flagged.
"""

import json
from typing import Any

MAX_TEXT_BYTES = 16 * 1024
MAX_EXCERPT_BYTES = 16 * 1024


def cap_text(text: str, limit: int = MAX_TEXT_BYTES) -> tuple[str, bool]:
    """`text` cut to at most `limit` UTF-8 bytes on a character boundary, and whether it was cut."""
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text, False
    return encoded[:limit].decode("utf-8", errors="ignore"), True


def request_excerpt(payload: dict[str, Any]) -> dict[str, Any]:
    """`{"prompt", "truncated"}` or `{"messages", "omitted", "truncated"}` for a run_agent payload."""
    prompt = payload.get("prompt")
    if payload.get("messages") is None and isinstance(prompt, str):
        text, cut = cap_text(prompt, MAX_EXCERPT_BYTES)
        return {"prompt": text, "truncated": cut}
    messages = [m for m in payload.get("messages") or [] if isinstance(m, dict)]
    kept: list[dict[str, Any]] = []
    budget = MAX_EXCERPT_BYTES
    truncated = False
    for message in reversed(messages):
        if budget <= 0:
            break
        excerpt, cut = _message_excerpt(message, budget)
        budget -= len(excerpt.get("text", "").encode("utf-8"))
        truncated = truncated or cut
        kept.append(excerpt)
    omitted = len(messages) - len(kept)
    return {"messages": kept[::-1], "omitted": omitted, "truncated": truncated or omitted > 0}


def _message_excerpt(message: dict[str, Any], budget: int) -> tuple[dict[str, Any], bool]:
    """One contract message reduced to role, text (capped) and the names of tools it mentions."""
    excerpt: dict[str, Any] = {"role": str(message.get("role") or "")}
    text = message.get("text")
    if message.get("role") == "tool":
        excerpt["name"] = str(message.get("name") or "")
        text = _json_text(message.get("result"))
    capped, cut = cap_text(text if isinstance(text, str) else "", budget)
    excerpt["text"] = capped
    calls = [c for c in message.get("tool_calls") or [] if isinstance(c, dict)]
    if calls:
        excerpt["tool_calls"] = [str(call.get("name") or "") for call in calls]
    return excerpt, cut


def _json_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
