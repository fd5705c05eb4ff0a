"""NCRONTAB and TimeSpan schedules fire when the Functions host would fire them."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from devhost.ncrontab import ScheduleError, parse_schedule

T0 = datetime(2026, 11, 25, 10, 37, 56, tzinfo=UTC)  # a Wednesday


def occurrences(expression: str, count: int, start: datetime = T0) -> list[datetime]:
    schedule = parse_schedule(expression)
    found, moment = [], start
    for _ in range(count):
        moment = schedule.next_after(moment)
        found.append(moment)
    return found


def test_every_five_seconds() -> None:
    first = occurrences("*/5 * * * * *", 3)
    assert [d.second for d in first] == [0, 5, 10]
    assert first[0] == datetime(2026, 11, 25, 10, 38, 0, tzinfo=UTC)


def test_daily_at_three() -> None:
    assert occurrences("0 0 3 * * *", 2) == [
        datetime(2026, 11, 26, 3, 0, 0, tzinfo=UTC),
        datetime(2026, 11, 27, 3, 0, 0, tzinfo=UTC),
    ]


def test_lists_ranges_steps_and_names() -> None:
    weekdays = occurrences("0 30 9 * * Mon-Fri", 3)
    assert [d.strftime("%a %H:%M") for d in weekdays] == ["Thu 09:30", "Fri 09:30", "Mon 09:30"]
    assert [d.month for d in occurrences("0 0 0 1 jan,jul *", 2)] == [1, 7]
    assert [d.minute for d in occurrences("0 10-40/15 * * * *", 3)] == [40, 10, 25]


def test_day_and_weekday_must_both_match() -> None:
    friday_13th = occurrences("0 0 0 13 * 5", 1)[0]
    assert (friday_13th.day, friday_13th.strftime("%a")) == (13, "Fri")


def test_five_fields_and_timespan() -> None:
    assert occurrences("*/10 * * * *", 1)[0] == datetime(2026, 11, 25, 10, 40, 0, tzinfo=UTC)
    assert parse_schedule("00:05:00").next_after(T0) == T0 + timedelta(minutes=5)
    assert parse_schedule("1.00:00:00").next_after(T0) == T0 + timedelta(days=1)


def test_time_zone() -> None:
    schedule = parse_schedule("0 0 9 * * *", ZoneInfo("America/New_York"))
    assert schedule.next_after(T0) == datetime(2026, 11, 25, 14, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("* * * *", "expected 6 fields"),
        ("0 60 * * * *", "minute 60 outside"),
        ("0 0 0 * Foo *", "bad month value"),
        ("0 0 5-1 * * *", "runs backwards"),
        ("*/0 * * * * *", "bad step"),
        ("0 0 0 31 2 *", "never fires"),
    ],
)
def test_bad_schedules_name_the_problem(expression: str, message: str) -> None:
    with pytest.raises(ScheduleError, match=message):
        parse_schedule(expression).next_after(T0)
