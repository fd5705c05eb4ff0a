"""Running timer-triggered functions: schedules, `run_on_startup`, and the past-due monitor.

Like the host's schedule monitor (`useMonitor`), we persist each timer's last and next occurrence, so a
schedule missed while the host was down fires once, as past due, when it comes back. The status lives in
a small JSON file next to the state database; it is rewritten atomically after every run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from azure.functions import meta
from azure.functions.timer import TimerRequestConverter

from devhost.function_call import FunctionCaller, triggered
from devhost.ncrontab import CronSchedule, IntervalSchedule, Schedule, ScheduleError, parse_schedule
from devhost.settings import expand_setting_refs

log = logging.getLogger("devhost.timer")
TIMER_TRIGGER = "timertrigger"


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def schedule_zone(environ: Mapping[str, str]) -> tzinfo:
    """WEBSITE_TIME_ZONE (then TZ) as an IANA zone; UTC when unset."""
    name = environ.get("WEBSITE_TIME_ZONE") or environ.get("TZ")
    if not name:
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ScheduleError(f"setting WEBSITE_TIME_ZONE/TZ: unknown time zone '{name}'") from error


NEVER = datetime.min.replace(tzinfo=UTC)  # .NET's default(DateTime): "0001-01-01T00:00:00"


def schedule_status(last: datetime, next_run: datetime, updated: datetime) -> dict[str, str]:
    """A `ScheduleStatus` as the function receives it."""
    return {"Last": _iso(last), "Next": _iso(next_run), "LastUpdated": _iso(updated)}


def _moment(status: dict[str, str], key: str) -> datetime:
    return datetime.fromisoformat(status[key])


class ScheduleMonitor:
    """Persisted `ScheduleStatus` per timer function (`Last`, `Next`, `LastUpdated`)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.statuses: dict[str, dict[str, str]] = json.loads(path.read_text())
        except (OSError, ValueError):
            self.statuses = {}

    def get(self, name: str) -> dict[str, str] | None:
        """A copy of the stored status, or None before the timer's first start with the monitor on."""
        status = self.statuses.get(name)
        return None if status is None else dict(status)

    def save(self, name: str, status: dict[str, str]) -> None:
        self.statuses[name] = dict(status)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_text(json.dumps(self.statuses, indent=1))
        os.replace(temporary, self.path)

    def check_past_due(
        self, name: str, now: datetime, schedule: Schedule, status: dict[str, str] | None
    ) -> bool:
        """`ScheduleMonitor.CheckPastDueAsync`: whether an occurrence was missed while the host was down.

        A first start records `Next` (and `LastUpdated` = now). A stored `Next` that the schedule would
        not give from `Last` (or `LastUpdated`) means the schedule changed: it is recomputed, from now
        if it already passed, and updated in `status` (the listener's copy), so a changed schedule
        never counts as past due.
        """
        if status is None:
            recorded = schedule.next_after(now)
            self.save(name, schedule_status(NEVER, recorded, now))
            return now > recorded
        if _moment(status, "Last") != NEVER:
            base = _moment(status, "Last")
        elif _moment(status, "LastUpdated") != NEVER:
            base = _moment(status, "LastUpdated")
        else:
            base = now
        expected = schedule.next_after(base)
        if _moment(status, "Next") != expected:
            if now > expected:
                expected, base = schedule.next_after(now), now
            status.update(schedule_status(NEVER, expected, base))
            self.save(name, status)
        return now > _moment(status, "Next")


def monitor_allowed(schedule: Schedule, now: datetime) -> bool:
    """False for schedules that fire more than once a minute (`TimerSchedule.Create`).

    A TimeSpan under a minute, or a cron expression whose fields above seconds are all wildcards and
    that fires twice or more in the next minute (`ShouldDisableScheduleMonitor`): the host turns
    `useMonitor` off for them, so they never run as past due and get no `ScheduleStatus`.
    """
    if isinstance(schedule, IntervalSchedule):
        return schedule.interval >= timedelta(minutes=1)
    assert isinstance(schedule, CronSchedule)
    every = (range(60), range(24), range(1, 32), range(1, 13), range(7))
    fields = (schedule.minutes, schedule.hours, schedule.days, schedule.months, schedule.weekdays)
    if any(values != frozenset(full) for values, full in zip(fields, every, strict=True)):
        return True
    first = schedule.next_after(now)
    return schedule.next_after(first) >= now + timedelta(minutes=1)


@dataclass
class TimerFunction:
    function: Any
    schedule: Schedule
    expression: str
    run_on_startup: bool
    use_monitor: bool

    @property
    def name(self) -> str:
        return str(self.function.get_function_name())


def timer_functions(functions: list[Any], environ: Mapping[str, str]) -> list[TimerFunction]:
    """Every timer-triggered function (generic forms included) with its schedule parsed."""
    zone = schedule_zone(environ)
    timers = []
    for function, settings in triggered(functions, TIMER_TRIGGER):
        name = function.get_function_name()
        raw = str(settings.get("schedule") or "")
        expression = expand_setting_refs(raw, environ, field=f"timer '{name}' schedule")
        try:
            schedule = parse_schedule(expression, zone)
        except ScheduleError as error:
            raise ScheduleError(f"timer '{name}': {error}") from error
        run_on_startup = bool(settings.get("runOnStartup"))
        # The host's default is to use it, except for schedules that fire more than once a minute.
        wanted = settings.get("useMonitor") is not False
        use_monitor = wanted and monitor_allowed(schedule, datetime.now(UTC))
        if wanted and not use_monitor:
            log.debug("timer '%s': UseMonitor changed to false based on schedule frequency.", name)
        timers.append(TimerFunction(function, schedule, expression, run_on_startup, use_monitor))
    return timers


class TimerRunner:
    """One task per timer function; runs never overlap for the same function, as on the host."""

    def __init__(
        self,
        timers: list[TimerFunction],
        caller: FunctionCaller,
        monitor: ScheduleMonitor,
        origin: str,
        verbose: bool,
    ) -> None:
        self.timers = {t.name.lower(): t for t in timers}
        self.caller = caller
        self.monitor = monitor
        self.origin = origin
        self.verbose = verbose
        self.tasks: list[asyncio.Task[None]] = []
        self.locks = {name: asyncio.Lock() for name in self.timers}
        self.statuses: dict[str, dict[str, str]] = {}  # the listener's in-memory ScheduleStatus

    def start(self) -> None:
        self.tasks = [asyncio.create_task(self._run(t), name=f"timer:{t.name}") for t in self.timers.values()]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def fire_now(self, name: str) -> bool:
        """Run a timer function once now (the host's `POST /admin/functions/{name}`); False if unknown.

        As `TimerTriggerBinding.BindAsync` does for a call from outside the listener: the stored status
        (monitor on), not past due, and the schedule's status left as it was.
        """
        timer = self.timers.get(name.lower())
        if timer is None:
            return False
        status = self.monitor.get(timer.name) if timer.use_monitor else None
        async with self.locks[timer.name.lower()]:
            await self._invoke(timer, past_due=False, status=status, at=datetime.now(UTC))
        return True

    async def _run(self, timer: TimerFunction) -> None:
        """`TimerListener.StartAsync`: past due or run on start-up first, then the schedule."""
        now = datetime.now(UTC)
        status, past_due = None, False
        if timer.use_monitor:
            status = self.monitor.get(timer.name)
            past_due = self.monitor.check_past_due(timer.name, now, timer.schedule, status)
        # Without a stored status the listener starts from one that has never run or been updated.
        self.statuses[timer.name] = status or schedule_status(NEVER, timer.schedule.next_after(now), NEVER)
        if past_due or timer.run_on_startup:
            await self._fire(timer, past_due=past_due, at=now)
        while True:
            next_run = timer.schedule.next_after(max(now, datetime.now(UTC)))
            await asyncio.sleep(max(0.0, (next_run - datetime.now(UTC)).total_seconds()))
            now = next_run
            await self._fire(timer, past_due=False, at=next_run)

    async def _fire(self, timer: TimerFunction, past_due: bool, at: datetime) -> None:
        """`TimerListener.InvokeJobFunction`: the status goes to the function only with the monitor on;
        afterwards `Last` and `LastUpdated` become this run's time and `Next` the occurrence after it."""
        async with self.locks[timer.name.lower()]:
            status = self.statuses[timer.name] if timer.use_monitor else None
            await self._invoke(timer, past_due, status, at)
            self.statuses[timer.name] = schedule_status(at, timer.schedule.next_after(at), at)
            if timer.use_monitor:
                self.monitor.save(timer.name, self.statuses[timer.name])

    async def _invoke(
        self, timer: TimerFunction, past_due: bool, status: dict[str, str] | None, at: datetime
    ) -> None:
        payload: dict[str, Any] = {"Schedule": {"AdjustForDST": True}, "IsPastDue": past_due}
        if status is not None:
            payload["ScheduleStatus"] = status
        if self.verbose:
            log.info("%s <- timer %s", timer.name, json.dumps(payload))
        request = TimerRequestConverter.decode(meta.Datum(json.dumps(payload), "json"), trigger_metadata=None)
        log.info("Executing '%s' (Reason='Timer fired at %s', past due=%s)", timer.name, _iso(at), past_due)
        try:
            await self.caller.call(timer.function, request, self.origin)
            log.info("Executed '%s' (Succeeded)", timer.name)
        except Exception:
            log.exception("Executed '%s' (Failed)", timer.name)
