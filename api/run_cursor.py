"""The opaque `cursor` of `GET /runs`: where the previous page stopped, to the microsecond.

A page is cut from creation-time windows of the durable query, as many as it takes to fill it
(see `api/run_windows.py`). The cursor names the window the page stopped in, at full precision
(`start`, `end`: inclusive bounds, null = unbounded), the last run the page examined in it (`after`:
its `createdTime` to the second and its id, the order within a window) and the runs on the window's
upper edge that the previous window already returned (`edge`: the host's bounds are inclusive, so
neighbouring windows share their edge instant). The next page queries the same window again and
continues after `after`: nothing skipped, nothing twice.

It travels as base64url JSON and is checked strictly on the way back in: a client can only pass on
what it was given.
"""

import base64
import binascii
import json
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from api.errors import ApiError, bad_parameter
from api.params import EPOCH, checked_id

log = logging.getLogger(__name__)

CURSOR_PARAM = "cursor"
CURSOR_VERSION = 1
# Runs exactly on a window's edge instant are rare (edges fall on arbitrary microseconds or whole seconds,
# creation times are finer), so a few ids are plenty; capped, a cursor stays well within a URL (a host
# reads request lines of about 8 KB).
MAX_EDGE_IDS = 16
MAX_CURSOR_LENGTH = 4096
CURSOR_PATTERN = "^[A-Za-z0-9_-]+$"  # unpadded base64url


@dataclass(frozen=True)
class RunKey:
    """A run's place within one window: newest second first, then instance id, descending."""

    created: datetime  # `createdTime` as the host reports it (whole seconds on Azure)
    instance_id: str


@dataclass(frozen=True)
class Cursor:
    start: datetime | None
    end: datetime | None
    after: RunKey | None
    edge: tuple[str, ...] = ()


def encode_cursor(cursor: Cursor) -> str:
    """The `next` value: base64url of a small JSON object, unpadded.

    More than MAX_EDGE_IDS runs on one edge instant would need a longer cursor than a URL carries;
    the rest of them may then be listed again on the next page (logged, never seen in practice).
    """
    if len(cursor.edge) > MAX_EDGE_IDS:
        log.warning("%d runs share one window edge; the next page may repeat some", len(cursor.edge))
    body: dict[str, Any] = {
        "v": CURSOR_VERSION,
        "start": _time_text(cursor.start),
        "end": _time_text(cursor.end),
        "after": None
        if cursor.after is None
        else [_time_text(cursor.after.created), cursor.after.instance_id],
        "edge": list(cursor.edge[:MAX_EDGE_IDS]),
    }
    raw = json.dumps(body, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(text: str) -> Cursor:
    """The cursor a previous page returned as `next`; anything else is a 400 naming `cursor`."""
    body = _cursor_json(text)
    if not isinstance(body, dict) or set(body) != {"v", "start", "end", "after", "edge"}:
        raise _invalid("it is not a cursor this API issued")
    if body["v"] != CURSOR_VERSION:
        raise _invalid(f"version {body['v']!r} is not {CURSOR_VERSION}")
    start, end = _time_value(body["start"], "start"), _time_value(body["end"], "end")
    if start is not None and end is not None and start > end:
        raise _invalid("its window ends before it starts")
    return Cursor(start=start, end=end, after=_after_value(body["after"]), edge=_edge_value(body["edge"]))


def _cursor_json(text: str) -> Any:
    if len(text) > MAX_CURSOR_LENGTH or not re.fullmatch(CURSOR_PATTERN, text):
        raise _invalid("it is not a cursor this API issued")
    try:
        return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    except (ValueError, binascii.Error):
        raise _invalid("it is not base64url-encoded JSON") from None


def _time_text(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat(timespec="microseconds")


def _time_value(value: Any, field: str) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise _invalid(f"'{field}' is not a UTC time after 1970")
    return _moment(value, field)


def _moment(text: str, field: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise _invalid(f"'{field}' is not a UTC time after 1970") from None
    if moment.utcoffset() is None or moment < EPOCH:
        raise _invalid(f"'{field}' is not a UTC time after 1970")
    return moment


def _after_value(value: Any) -> RunKey | None:
    if value is None:
        return None
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(part, str) for part in value)):
        raise _invalid("'after' is not a [createdTime, run id] pair")
    return RunKey(created=_moment(value[0], "after"), instance_id=_run_id(value[1]))


def _edge_value(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or len(value) > MAX_EDGE_IDS:
        raise _invalid(f"'edge' is not a list of at most {MAX_EDGE_IDS} run ids")
    return tuple(_run_id(item) for item in value)


def _run_id(value: Any) -> str:
    if not isinstance(value, str):
        raise _invalid("a run id in it is not a string")
    try:
        return checked_id(value, "run id")
    except ApiError:
        raise _invalid(f"{value!r} is not a run id") from None


def _invalid(reason: str) -> ApiError:
    return bad_parameter(CURSOR_PARAM, f"pass the `next` value of the previous page unchanged ({reason})")
