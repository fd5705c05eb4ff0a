"""Timer trigger schedules: NCRONTAB expressions and TimeSpan intervals (protocol §10).

NCRONTAB has six fields, `second minute hour day month day-of-week` (five-field expressions start at
second 0), each a `*`, a value, a range, a list, a step (`*/5`, `10-40/10`) or a name (`Jan`, `Mon`).
As in the NCrontab library the Functions host uses, a day must satisfy both the day-of-month and the
day-of-week fields. `hh:mm:ss` (or `d.hh:mm:ss`) schedules fire at that fixed interval.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from typing import Protocol

_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]
_TIMESPAN = re.compile(r"(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})")
_HORIZON_YEARS = 8  # covers Feb 29 (every leap year); an expression with no match by then never fires


class ScheduleError(ValueError):
    """An expression that is not valid NCRONTAB or TimeSpan."""


class Schedule(Protocol):
    def next_after(self, moment: datetime) -> datetime:
        """The first occurrence strictly after `moment` (both timezone-aware)."""
        ...


@dataclass(frozen=True)
class _Field:
    name: str
    low: int
    high: int
    names: tuple[str, ...] = ()


_FIELDS = (
    _Field("second", 0, 59),
    _Field("minute", 0, 59),
    _Field("hour", 0, 23),
    _Field("day", 1, 31),
    _Field("month", 1, 12, tuple(_MONTHS)),
    _Field("day-of-week", 0, 6, tuple(_DAYS)),
)


def _value(text: str, field: _Field, expression: str) -> int:
    lowered = text.lower()
    if field.names and lowered[:3] in field.names and not lowered.isdigit():
        return field.names.index(lowered[:3]) + field.low
    if not text.isdigit():
        raise ScheduleError(f"schedule '{expression}': bad {field.name} value '{text}'")
    number = int(text)
    if field.name == "day-of-week" and number == 7:  # 7 is Sunday in most cron dialects
        number = 0
    if not field.low <= number <= field.high:
        raise ScheduleError(
            f"schedule '{expression}': {field.name} {number} outside {field.low}-{field.high}"
        )
    return number


def _parse_item(item: str, field: _Field, expression: str) -> set[int]:
    base, _, step_text = item.partition("/")
    step = int(step_text) if step_text.isdigit() else 0
    if step_text and step <= 0:
        raise ScheduleError(f"schedule '{expression}': bad step '{item}' in the {field.name} field")
    if base == "*":
        low, high = field.low, field.high
    elif "-" in base:
        start, end = base.split("-", 1)
        low, high = _value(start, field, expression), _value(end, field, expression)
    else:
        low = _value(base, field, expression)
        high = field.high if step_text else low
    if low > high:
        raise ScheduleError(
            f"schedule '{expression}': range '{item}' runs backwards in the {field.name} field"
        )
    return set(range(low, high + 1, step or 1))


def _parse_field(text: str, field: _Field, expression: str) -> frozenset[int]:
    values: set[int] = set()
    for item in text.split(","):
        values |= _parse_item(item.strip(), field, expression)
    return frozenset(values)


@dataclass(frozen=True)
class CronSchedule:
    """A parsed NCRONTAB expression evaluated in `zone` (UTC unless WEBSITE_TIME_ZONE/TZ says otherwise)."""

    expression: str
    seconds: frozenset[int]
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]
    zone: tzinfo = UTC

    def next_after(self, moment: datetime) -> datetime:
        local = moment.astimezone(self.zone).replace(tzinfo=None, microsecond=0) + timedelta(seconds=1)
        horizon = local.year + _HORIZON_YEARS
        while local.year <= horizon:
            if local.month not in self.months:
                local = (local.replace(day=1) + timedelta(days=32)).replace(day=1, hour=0, minute=0, second=0)
            elif local.day not in self.days or (local.weekday() + 1) % 7 not in self.weekdays:
                local = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0)
            elif local.hour not in self.hours:
                local = (local + timedelta(hours=1)).replace(minute=0, second=0)
            elif local.minute not in self.minutes:
                local = (local + timedelta(minutes=1)).replace(second=0)
            elif local.second not in self.seconds:
                local += timedelta(seconds=1)
            else:
                return local.replace(tzinfo=self.zone).astimezone(UTC)
        raise ScheduleError(f"schedule '{self.expression}' never fires")


@dataclass(frozen=True)
class IntervalSchedule:
    """A TimeSpan schedule: a fixed interval between runs."""

    interval: timedelta

    def next_after(self, moment: datetime) -> datetime:
        return moment + self.interval


def parse_schedule(expression: str, zone: tzinfo = UTC) -> Schedule:
    """Parse an NCRONTAB (5 or 6 fields) or TimeSpan schedule; raises ScheduleError naming the problem."""
    text = expression.strip()
    span = _TIMESPAN.fullmatch(text)
    if span:
        days, hours, minutes, seconds = (int(g or 0) for g in span.groups())
        interval = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        if interval <= timedelta(0):
            raise ScheduleError(f"schedule '{expression}': the interval must be positive")
        return IntervalSchedule(interval)
    parts = text.split()
    if len(parts) == 5:
        parts = ["0", *parts]
    if len(parts) != 6:
        raise ScheduleError(
            f"schedule '{expression}': expected 6 fields (second minute hour day month weekday)"
        )
    second, minute, hour, day, month, weekday = (
        _parse_field(p, f, expression) for p, f in zip(parts, _FIELDS, strict=True)
    )
    return CronSchedule(expression, second, minute, hour, day, month, weekday, zone=zone)
