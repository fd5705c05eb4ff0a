"""Reading path, query and header values: each one checked, each refusal naming the parameter.

Ids end up in durable RPC URLs and storage keys, so only a conservative alphabet gets through;
anything else (path traversal, control characters, slashes) is refused before it reaches the client.
"""

import re
from datetime import UTC, datetime

import azure.functions as func

from api.errors import bad_parameter

MAX_ID_LENGTH = 100
_ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]+")


def route_id(req: func.HttpRequest, name: str, label: str) -> str:
    """The route parameter `name`, validated as a run or session id (`label` names it in errors)."""
    value = req.route_params.get(name, "")
    return checked_id(value, label)


def checked_id(value: str, label: str) -> str:
    """Refuse ids that are empty, too long, contain `..` or characters outside `[A-Za-z0-9_.:-]`."""
    if not value:
        raise bad_parameter(label, "must not be empty")
    if len(value) > MAX_ID_LENGTH:
        raise bad_parameter(label, f"must be at most {MAX_ID_LENGTH} characters")
    if not _ID_PATTERN.fullmatch(value) or ".." in value:
        raise bad_parameter(label, "may contain only letters, digits and _ . : - (and no '..')")
    return value


def int_param(req: func.HttpRequest, name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter within [low, high], or its default when absent."""
    raw = req.params.get(name)
    if raw is None or raw == "":
        return default
    return bounded_int(raw, name, low, high)


def bounded_int(raw: str, name: str, low: int, high: int) -> int:
    """Parse a decimal integer in [low, high]; `name` is the parameter or header named in errors."""
    text = raw.strip()
    if not text.isascii() or not text.isdigit():
        raise bad_parameter(name, f"must be an integer between {low} and {high}, got {raw!r}")
    value = int(text)
    if not low <= value <= high:
        raise bad_parameter(name, f"must be between {low} and {high}, got {value}")
    return value


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def bool_param(req: func.HttpRequest, name: str, default: bool) -> bool:
    """A `true`/`false` query parameter (also `1`/`0`), or its default when absent."""
    raw = (req.params.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw not in ("true", "false", "1", "0"):
        raise bad_parameter(name, f"must be true or false, got {raw!r}")
    return raw in ("true", "1")
