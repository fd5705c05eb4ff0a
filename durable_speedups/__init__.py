"""Faster history replay for azure-functions-durable: an exact, cached timestamp parser, the
executor's per-episode class built once (``executor_types``) and ``new_uuid``'s namespace derived
once (``replay_safe_ids``).

Every orchestrator episode rebuilds the whole history, and the SDK parses each event's ``Timestamp``
with ``dateutil.parser.parse``: about 88% of an episode's cost. The extension always writes ISO 8601
stamps, so ``datetime.fromisoformat`` (after cutting fractions to the microseconds dateutil keeps)
returns the same datetimes, and a cache makes replaying an unchanged prefix almost free.

Usage, at the top of ``function_app.py``::

    import durable_speedups
    durable_speedups.install()

The patch is applied only to SDK versions it was checked against (``sdk_gate``); any other is left alone.
"""

from datetime import datetime
from functools import lru_cache
from importlib import import_module
from typing import Any

from dateutil.parser import parse as dateutil_parse
from dateutil.tz import tzutc

from durable_speedups import executor_types, replay_safe_ids, sdk_gate

HISTORY_EVENT_MODULE = "azure.durable_functions.models.history.HistoryEvent"
UTC = tzutc()

_state = {"installed": False}
_original: dict[str, Any] = {}  # the SDK's parser, while patched


def _normalise(text: str) -> str:
    """Cut fractional seconds to six digits (dateutil truncates, it does not round) and spell Z as +00:00."""
    body, zone = text, ""
    for marker in ("Z", "z", "+", "-"):
        index = text.rfind(marker)
        if index > 10:  # past the date part, which has its own dashes
            body, zone = text[:index], text[index:]
            break
    if zone in ("Z", "z"):
        zone = "+00:00"
    main, dot, fraction = body.partition(".")
    return f"{main}{dot}{fraction[:6]}{zone}" if dot else f"{main}{zone}"


@lru_cache(maxsize=65536)
def parse_timestamp(text: str) -> datetime:
    """``dateutil.parser.parse`` for ISO 8601 history stamps; anything unusual still goes to dateutil.

    UTC results carry dateutil's ``tzutc()`` so that they compare, print and format exactly alike.
    """
    try:
        moment = datetime.fromisoformat(_normalise(text))
    except ValueError:
        return dateutil_parse(text)
    if moment.tzinfo is not None and moment.utcoffset() == UTC.utcoffset(None):
        return moment.replace(tzinfo=UTC)
    return moment


def install() -> bool:
    """Patch the SDK once; returns whether the speed-ups are in place. Safe to call repeatedly."""
    if _state["installed"]:
        return True
    if not sdk_gate.allows("durable_speedups", "history replay keeps the SDK's slower code"):
        return False
    module = _history_event_module()
    _original["dt_parse"] = module.dt_parse
    module.dt_parse = parse_timestamp
    executor_types.install()
    replay_safe_ids.install()
    _state["installed"] = True
    return True


def uninstall() -> None:
    """Put the SDK's own code back, e.g. for a benchmark that measures with and without the patches."""
    if _state["installed"]:
        _history_event_module().dt_parse = _original.pop("dt_parse")
        executor_types.uninstall()
        replay_safe_ids.uninstall()
        _state["installed"] = False


def _history_event_module() -> Any:
    return import_module(HISTORY_EVENT_MODULE)
