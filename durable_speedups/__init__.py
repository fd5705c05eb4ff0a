"""Faster history replay for azure-functions-durable: an exact, cached timestamp parser, the
executor's per-episode class built once (``executor_types``) and ``new_uuid``'s namespace derived
once (``replay_safe_ids``).

Every orchestrator episode rebuilds the whole history, and the SDK parses each event's ``Timestamp``
with ``dateutil.parser.parse``: about 88% of an episode's cost. The extension always writes ISO 8601
UTC stamps (``...Z``), so ``datetime.fromisoformat`` (after cutting fractions to the microseconds
dateutil keeps) returns the same datetimes, and a cache makes replaying an unchanged prefix almost
free. The datetimes carry the very tzinfo dateutil gives a ``Z`` stamp in this process: ``tzutc()``,
or ``tzlocal()`` when the local zone is UTC (as on Azure), so ``str(t.tzinfo)`` matches too. Any
other text (a numeric offset, a zone name after the fraction) goes to dateutil itself.

Usage, at the top of ``function_app.py``::

    import durable_speedups
    durable_speedups.install()

The patch is applied only to SDK versions it was checked against (``sdk_gate``); any other is left alone.
"""

import re
from datetime import datetime
from functools import lru_cache
from importlib import import_module
from typing import Any

from dateutil.parser import parse as dateutil_parse

from durable_speedups import executor_types, replay_safe_ids, sdk_gate

HISTORY_EVENT_MODULE = "azure.durable_functions.models.history.HistoryEvent"
# What dateutil returns for a Z (or +00:00) stamp in this process: tzlocal() when the local zone is UTC.
UTC = dateutil_parse("2000-01-01T00:00:00Z").tzinfo
# Date and time, an optional fraction, then nothing, Z or +00:00: the forms the fast path takes.
_ISO_STAMP = re.compile(
    r"(?P<main>\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2})?)(?:\.(?P<fraction>\d+))?(?P<zone>[Zz]|\+00:00)?"
)

_state = {"installed": False}
_original: dict[str, Any] = {}  # the SDK's parser, while patched


def _normalise(text: str) -> str | None:
    """The stamp for ``fromisoformat``: fraction cut to six digits (dateutil truncates, it does not
    round) and Z spelled +00:00; None when it is not a plain UTC or zone-less ISO stamp."""
    match = _ISO_STAMP.fullmatch(text)
    if match is None:
        return None
    fraction = match["fraction"]
    zone = "+00:00" if match["zone"] else ""
    return f"{match['main']}.{fraction[:6]}{zone}" if fraction else f"{match['main']}{zone}"


@lru_cache(maxsize=65536)
def parse_timestamp(text: str) -> datetime:
    """``dateutil.parser.parse`` for ISO 8601 history stamps; anything unusual still goes to dateutil.

    UTC results carry the tzinfo dateutil gives a ``Z`` stamp, so they compare, print and format alike.
    """
    normalised = _normalise(text)
    if normalised is None:
        return dateutil_parse(text)
    try:
        moment = datetime.fromisoformat(normalised)
    except ValueError:
        return dateutil_parse(text)
    return moment.replace(tzinfo=UTC) if moment.tzinfo is not None else moment


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
