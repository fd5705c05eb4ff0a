"""host.json `extensions.queues`: how queue triggers poll, retry and give up, with the host's defaults.

The defaults are the Storage queues extension's (`QueuesOptions`): 16 messages a batch, a new batch
once half of them are done, polling backed off up to one minute while a queue stays empty, a failed
message visible again at once, and moved to `<queue>-poison` after its fifth failed dequeue. Messages
are base64 in the service unless `messageEncoding` is `none`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

MAX_BATCH_SIZE = 32  # the service hands out at most 32 messages per receive
_TIMESPAN = re.compile(r"^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})(?:\.(\d+))?$")
ENCODINGS = ("base64", "none")


class QueueOptionsError(ValueError):
    """A host.json queue setting the host would reject; the message names it."""


@dataclass(frozen=True)
class QueueOptions:
    batch_size: int = 16
    new_batch_threshold: int = 8
    max_polling_interval_s: float = 60.0
    visibility_timeout_s: float = 0.0
    max_dequeue_count: int = 5
    message_encoding: str = "base64"


def timespan_seconds(value: Any, *, field: str, milliseconds: bool = False) -> float:
    """A .NET TimeSpan (`[d.]hh:mm:ss[.fffffff]`), or a number (in ms where the host reads ms)."""
    if isinstance(value, bool):
        raise QueueOptionsError(f"{field}: expected a time span like 00:00:02, got {value!r}")
    if isinstance(value, int | float):
        seconds = value / 1000 if milliseconds else float(value)
    else:
        match = _TIMESPAN.match(str(value).strip())
        if match is None:
            raise QueueOptionsError(f"{field}: expected a time span like 00:00:02, got {value!r}")
        days, hours, minutes, secs, fraction = match.groups()
        seconds = int(days or 0) * 86400 + int(hours) * 3600 + int(minutes) * 60 + int(secs)
        seconds += float(f"0.{fraction}") if fraction else 0.0
    if seconds < 0:
        raise QueueOptionsError(f"{field}: must not be negative, got {value!r}")
    return seconds


def _count(section: Mapping[str, Any], key: str, default: int, low: int, high: int, where: str) -> int:
    value = section.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise QueueOptionsError(f"{where}.{key}: must be a whole number from {low} to {high}, got {value!r}")
    return value


def queue_options(extensions: Mapping[str, Any], where: str = "host.json: extensions.queues") -> QueueOptions:
    """The options in host.json's `extensions` object; anything the host would refuse raises, named."""
    section = extensions.get("queues") or {}
    if not isinstance(section, Mapping):
        raise QueueOptionsError(f"{where}: must be an object")
    batch = _count(section, "batchSize", 16, 1, MAX_BATCH_SIZE, where)
    threshold = _count(section, "newBatchThreshold", batch // 2, 0, 10_000, where)
    polling = timespan_seconds(
        section.get("maxPollingInterval", 60_000), field=f"{where}.maxPollingInterval", milliseconds=True
    )
    if polling < 0.1:
        raise QueueOptionsError(
            f"{where}.maxPollingInterval: must be at least 100 ms, got {polling * 1000:g} ms"
        )
    visibility = timespan_seconds(section.get("visibilityTimeout", 0), field=f"{where}.visibilityTimeout")
    encoding = str(section.get("messageEncoding", "base64")).lower()
    if encoding not in ENCODINGS:
        raise QueueOptionsError(f"{where}.messageEncoding: must be base64 or none, got {encoding!r}")
    return QueueOptions(
        batch_size=batch,
        new_batch_threshold=threshold,
        max_polling_interval_s=polling,
        visibility_timeout_s=visibility,
        max_dequeue_count=_count(section, "maxDequeueCount", 5, 1, 10_000, where),
        message_encoding=encoding,
    )
