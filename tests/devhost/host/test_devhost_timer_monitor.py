"""The schedule monitor as the Timers extension runs it (TimerSchedule, ScheduleMonitor, TimerListener).

Each case is checked against azure-webjobs-sdk-extensions: which schedules turn the monitor off, what
`ScheduleStatus` the function receives, and when a start counts as past due.
"""

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from devhost.ncrontab import parse_schedule
from devhost.timer_triggers import (
    NEVER,
    ScheduleMonitor,
    TimerRunner,
    monitor_allowed,
    schedule_status,
    timer_functions,
)

NOW = datetime(2020, 10, 30, 0, 0, tzinfo=UTC)
DAILY = "0 0 3 * * *"


class Recorder:
    """Stands in for the function caller: keeps the TimerRequest each run receives."""

    def __init__(self) -> None:
        self.requests: list[Any] = []

    async def call(self, function: Any, value: Any, origin: str, data: Any = None) -> None:
        self.requests.append(value)


# ShouldDisableScheduleMonitor_ReturnsExpectedValue's cases (monitor allowed = not disabled), plus TimeSpans.
@pytest.mark.parametrize(
    ("schedule", "allowed"),
    [
        ("* * * * * *", False),
        ("*/5 * * * * *", False),
        ("10,20,45 * * * * *", False),
        ("0 */5 * * * *", True),
        ("0 30 * * * *", True),
        ("* 30 * * * *", True),
        ("* */30 * * * *", True),
        ("0 * * * * *", True),
        ("30 * * * * *", True),
        ("* 1-5 * * * *", True),
        ("* * 12 * * Mon", True),
        ("00:00:30", False),
        ("00:01:00", True),
    ],
)
def test_schedules_firing_more_than_once_a_minute_turn_the_monitor_off(schedule: str, allowed: bool) -> None:
    assert monitor_allowed(parse_schedule(schedule), NOW) is allowed


def timer_app(schedule: str, **options: Any) -> list[Any]:
    import azure.functions as func

    app = func.FunctionApp()

    @app.timer_trigger(schedule=schedule, arg_name="timer", **options)
    def tick(timer: func.TimerRequest) -> None:
        """Never called: the recorder stands in for the worker."""

    return list(app.get_functions())


def fire_once(tmp_path: Path, schedule: str, **options: Any) -> tuple[Any, ScheduleMonitor]:
    """Start the timer's runner with run_on_startup and return the first request its function got."""
    monitor = ScheduleMonitor(tmp_path / "timers.json")
    recorder = Recorder()
    timers = timer_functions(timer_app(schedule, run_on_startup=True, **options), {})

    async def main() -> None:
        runner = TimerRunner(timers, recorder, monitor, "http://test", verbose=False)  # type: ignore[arg-type]
        runner.start()
        try:
            async with asyncio.timeout(5):
                while not recorder.requests:
                    await asyncio.sleep(0.01)
        finally:
            await runner.stop()

    asyncio.run(main())
    return recorder.requests[0], monitor


def test_first_start_passes_the_initial_status_as_the_listener_builds_it(tmp_path: Path) -> None:
    request, monitor = fire_once(tmp_path, DAILY)
    status = request.schedule_status
    assert (status["Last"], status["LastUpdated"]) == (NEVER.isoformat(), NEVER.isoformat())
    assert datetime.fromisoformat(status["Next"]) > datetime.now(UTC)
    assert not request.past_due
    # After the run, the stored status has the run as Last and LastUpdated.
    stored = monitor.get("tick")
    assert stored is not None and stored["Last"] == stored["LastUpdated"] != NEVER.isoformat()


def test_no_schedule_status_without_the_monitor(tmp_path: Path) -> None:
    request, monitor = fire_once(tmp_path, DAILY, use_monitor=False)
    assert request.schedule_status == {}
    assert monitor.get("tick") is None


def test_a_sub_minute_schedule_gets_no_status_and_is_never_past_due(tmp_path: Path) -> None:
    long_ago = NOW - timedelta(days=1)
    ScheduleMonitor(tmp_path / "timers.json").save("tick", schedule_status(long_ago, long_ago, long_ago))
    request, _ = fire_once(tmp_path, "*/5 * * * * *")
    assert (request.past_due, request.schedule_status) == (False, {})


def seeded(tmp_path: Path, last: datetime, next_run: datetime) -> ScheduleMonitor:
    monitor = ScheduleMonitor(tmp_path / "timers.json")
    monitor.save("tick", schedule_status(last, next_run, last))
    return ScheduleMonitor(tmp_path / "timers.json")


def test_a_missed_occurrence_is_past_due(tmp_path: Path) -> None:
    schedule = parse_schedule(DAILY)
    last = datetime(2020, 10, 28, 3, tzinfo=UTC)
    monitor = seeded(tmp_path, last, schedule.next_after(last))
    status = monitor.get("tick")
    assert monitor.check_past_due("tick", NOW, schedule, status)


def test_a_changed_schedule_is_rebased_not_past_due(tmp_path: Path) -> None:
    """The stored Next is not what the schedule gives from Last: recomputed from now, not run."""
    schedule = parse_schedule(DAILY)
    last = datetime(2020, 10, 28, 3, tzinfo=UTC)
    monitor = seeded(tmp_path, last, last + timedelta(hours=1))
    status = monitor.get("tick")
    assert not monitor.check_past_due("tick", NOW, schedule, status)
    assert status == schedule_status(NEVER, schedule.next_after(NOW), NOW)
    assert json.loads((tmp_path / "timers.json").read_text())["tick"] == status


def test_first_start_records_next_with_now_as_last_updated(tmp_path: Path) -> None:
    monitor = ScheduleMonitor(tmp_path / "timers.json")
    assert not monitor.check_past_due("tick", NOW, parse_schedule(DAILY), None)
    assert monitor.get("tick") == schedule_status(NEVER, datetime(2020, 10, 30, 3, tzinfo=UTC), NOW)
