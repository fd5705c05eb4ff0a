"""The `publish_draft` activity: publish an approved draft exactly once.

Input `{"title", "text", "approver", "idempotency_key"}`; output
`{"published": true, "duplicate": bool, "key"}`. Publication is a side effect, so it goes through
the same outbox as the tools (kind `publication`): a retried activity reports `duplicate: true`
and publishes nothing new.
"""

from typing import Any

from activities.payload import Payload
from agents.errors import PermanentModelError
from agents.tools import outbox


def publish_draft(payload: Payload) -> dict[str, Any]:
    """Record the publication under its idempotency key and say whether it was already there."""
    if not isinstance(payload, dict):
        raise PermanentModelError(f"publish_draft payload must be an object (got {type(payload).__name__})")
    key = payload.get("idempotency_key")
    text = payload.get("text")
    if not isinstance(key, str) or not key:
        raise PermanentModelError("publish_draft payload field 'idempotency_key' is required")
    if not isinstance(text, str) or not text.strip():
        raise PermanentModelError("publish_draft payload field 'text' must be a non-empty string")
    publication = {
        "title": str(payload.get("title") or ""),
        "text": text,
        "approver": payload.get("approver"),
    }
    write = outbox.write_once(
        key, "publication", publication, lambda seq: {"publication_id": f"PUB-{seq:05d}"}
    )
    return {"published": True, "duplicate": write.duplicate, "key": key}
