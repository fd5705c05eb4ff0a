"""The management API's instance query, paged the way the Azure Storage provider pages it.

`GET /instances` (protocol §7) answers one page: at most `top` instances (100 when `top` is absent, the
extension's `OrchestrationStatusQueryCondition.PageSize` default), in instance-id order (the Instances
table's partition key), and an opaque `x-ms-continuation-token` header when more match. The caller
sends that header back to get the next page. The Python SDK's `get_status_by` drops the header
(azure-functions-durable-python #580), so an app that assumes one call lists everything is cut at 100
on Azure; answering the same way here lets a local test see that cut.
"""

import base64
import binascii
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from devhost.errors import BadRequest

DEFAULT_PAGE_SIZE = 100
CONTINUATION_HEADER = "x-ms-continuation-token"


@dataclass(frozen=True)
class InstanceFilter:
    """Which instances a query or a purge matches; bounds are inclusive, as the extension's are."""

    created_from: datetime | None = None
    created_to: datetime | None = None
    statuses: tuple[str, ...] = ()
    prefix: str | None = None


@dataclass(frozen=True)
class InstancePage:
    """One answer to the instance query: status payloads and the token for the rest (None at the end)."""

    statuses: list[dict[str, Any]] = field(default_factory=list)
    continuation: str | None = None


def page_size(top: int | None) -> int:
    """The extension reads `top` as the page size and keeps its default for a missing or zero one."""
    return top if top else DEFAULT_PAGE_SIZE


def continuation_token(last_instance_id: str) -> str:
    """An opaque token that resumes the instance-id order after `last_instance_id`."""
    text = json.dumps({"after": last_instance_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(text.encode("utf-8")).decode("ascii")


def resume_after(token: str | None) -> str | None:
    """The instance id a continuation token resumes after; a token we did not issue is a 400."""
    if not token:
        return None
    try:
        decoded = json.loads(base64.urlsafe_b64decode(token.encode("ascii")))
    except (ValueError, UnicodeError, binascii.Error):
        decoded = None
    after = decoded.get("after") if isinstance(decoded, dict) else None
    if not isinstance(after, str):
        raise BadRequest(f"header '{CONTINUATION_HEADER}' is not a continuation token this host issued")
    return after
